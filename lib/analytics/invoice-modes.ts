import { sql } from "drizzle-orm";
import { queryRows, type Executor } from "@/db/client";

/**
 * Whether the merchant has any live and any test invoices at all (not only in a period): the
 * analytics page shows its empty state, and points to the other mode, from this. Two EXISTS
 * probes on the (merchant_id, livemode, created_at) index, whatever the merchant's size.
 */
export async function merchantInvoiceModes(db: Executor, merchantId: string): Promise<{ live: boolean; test: boolean }> {
  const [row] = await queryRows<{ live: boolean; test: boolean }>(
    db,
    sql`select
          exists (select 1 from invoices where merchant_id = ${merchantId}::uuid and livemode = true) as live,
          exists (select 1 from invoices where merchant_id = ${merchantId}::uuid and livemode = false) as test`,
  );
  return { live: row?.live === true, test: row?.test === true };
}
