import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { accountOrders } from "@/db/schema";

/** Whether some order holds the account now (a 'reserved' order: its invoice is still open). */
export async function hasLiveReservation(db: Executor, accountId: string): Promise<boolean> {
  const [held] = await db
    .select({ id: accountOrders.id })
    .from(accountOrders)
    .where(and(eq(accountOrders.accountId, accountId), eq(accountOrders.status, "reserved")))
    .limit(1);
  return held !== undefined;
}
