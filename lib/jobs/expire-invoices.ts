import { and, asc, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { invoices } from "@/db/schema";
import { reconcileInvoices } from "@/lib/payments/record-transfers";
import { getSystemConfig } from "@/lib/system-config";

/** examined: open invoices past their expiry; changed: those whose status or flags changed (expired, mostly). */
export type ExpireReport = { examined: number; changed: number };

/**
 * Expires open invoices whose time ran out. Each candidate is reconciled from its payments
 * (lib/domain/reconciliation.ts), so a partly paid invoice keeps its grace period and an invoice
 * whose full payment is confirming is never expired under it. Batches of `batchSize`, each in its
 * own transaction, through invoices_open_expiry_idx.
 */
export async function expireInvoices(db: Db, options: { now?: Date; batchSize?: number } = {}): Promise<ExpireReport> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 500;
  const config = await getSystemConfig(db);
  const settings = { partialGraceMinutes: config.paymentSettings.partialPaymentGraceMinutes };
  const report: ExpireReport = { examined: 0, changed: 0 };
  let after = null as { expiresAt: Date; id: string } | null;
  for (;;) {
    const cursor: { expiresAt: Date; id: string } | null = after;
    const due = await db
      .select({ id: invoices.id, expiresAt: invoices.expiresAt })
      .from(invoices)
      .where(
        and(
          inArray(invoices.status, ["pending", "partial", "confirming"]),
          lt(invoices.expiresAt, now),
          cursor ? sql`(${invoices.expiresAt}, ${invoices.id}) > (${cursor.expiresAt.toISOString()}::timestamptz, ${cursor.id}::uuid)` : undefined,
        ),
      )
      .orderBy(asc(invoices.expiresAt), asc(invoices.id))
      .limit(batchSize);
    if (due.length === 0) break;
    report.examined += due.length;
    report.changed += await db.transaction((tx) => reconcileInvoices(tx, due.map((d) => d.id), settings, now));
    after = due.at(-1)!;
    if (due.length < batchSize) break;
  }
  return report;
}
