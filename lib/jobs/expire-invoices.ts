import { and, asc, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { chainCursors, invoices } from "@/db/schema";
import { reconcileInvoices } from "@/lib/payments/reconcile-invoices";
import { getSystemConfig } from "@/lib/system-config";

/** examined: open invoices past their expiry; changed: those whose status or flags changed (expired, mostly). */
export type ExpireReport = { examined: number; changed: number };

/**
 * Expires open invoices whose time ran out. Each candidate is reconciled from its payments
 * (lib/domain/reconciliation.ts), so a partly paid invoice keeps its grace period and an invoice
 * whose full payment is confirming is never expired under it.
 *
 * An invoice is judged only as of the moment its chain has been read up to: the start of the last
 * successful poll of its network and mode. A payment mined just before the deadline, or while the
 * node was unreachable, is therefore seen before the invoice can time out. A network no watcher
 * reads (no cursor) is judged as of now. Batches of `batchSize`, through invoices_open_expiry_idx.
 */
export async function expireInvoices(db: Db, options: { now?: Date; batchSize?: number } = {}): Promise<ExpireReport> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 500;
  const config = await getSystemConfig(db);
  const settings = { partialGraceMinutes: config.paymentSettings.partialPaymentGraceMinutes };
  const cursors = await db.select({ source: chainCursors.source, lastPolledAt: chainCursors.lastPolledAt }).from(chainCursors);
  const readUntil = new Map(cursors.map((c) => [c.source, c.lastPolledAt]));
  const judgedAt = (network: string, livemode: boolean): Date => {
    const source = `${network}:${livemode ? "live" : "test"}`;
    if (!readUntil.has(source)) return now;
    const polled = readUntil.get(source);
    return polled && polled < now ? polled : polled ? now : new Date(0);
  };

  const report: ExpireReport = { examined: 0, changed: 0 };
  let after = null as { expiresAt: Date; id: string } | null;
  for (;;) {
    const cursor = after;
    const due = await db
      .select({ id: invoices.id, expiresAt: invoices.expiresAt, network: invoices.network, livemode: invoices.livemode })
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
    const groups = new Map<number, string[]>();
    for (const d of due) {
      const at = judgedAt(d.network, d.livemode);
      if (at.getTime() <= d.expiresAt.getTime()) continue; // the chain is not read past the expiry yet
      groups.set(at.getTime(), [...(groups.get(at.getTime()) ?? []), d.id]);
    }
    for (const [at, ids] of groups) {
      report.changed += await db.transaction((tx) => reconcileInvoices(tx, ids, settings, new Date(at)));
    }
    after = due.at(-1)!;
    if (due.length < batchSize) break;
  }
  return report;
}
