import { eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { merchants, systemConfiguration } from "@/db/schema";

/** The merchant the storefront sells through, if one is set and active. */
export async function findStoreMerchant(db: Executor): Promise<{ id: string; businessName: string } | null> {
  const [row] = await db
    .select({ id: merchants.id, businessName: merchants.businessName, status: merchants.status })
    .from(systemConfiguration)
    .innerJoin(merchants, eq(merchants.id, systemConfiguration.storeMerchantId))
    .limit(1);
  return row && row.status === "active" ? { id: row.id, businessName: row.businessName } : null;
}
