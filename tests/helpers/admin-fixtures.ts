import type { Db } from "@/db";
import { admins } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";

/** An administrator to act as; returns its id. */
export async function createTestAdmin(db: Db, username = "ops"): Promise<string> {
  const [admin] = await db.insert(admins).values({ username, passwordHash: await hashPassword("a long enough password") }).returning({ id: admins.id });
  return admin!.id;
}
