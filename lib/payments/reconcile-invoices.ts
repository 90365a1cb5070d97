/**
 * Bringing invoices in line with their payments: each locked invoice is recomputed by the pure
 * PaymentReconciliationService (lib/domain/reconciliation.ts) and written under a status guard,
 * with its audit entry, its events and the customer's payment history. The payment service
 * (record-transfers.ts) and the expiry job call this inside their transactions.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db";
import { customerPaymentHistory, invoices, payments } from "@/db/schema";
import { recordAudits, SYSTEM_AUDIT, type AuditEntryInput } from "@/lib/audit";
import { createPaymentTolerance, money, reconcileInvoice, type PaymentStatus } from "@/lib/domain";
import { recordEvents, type DomainEventInput } from "@/lib/events/outbox";
import { settleOrderOfInvoice } from "@/lib/orders/settle-order";

export type InvoiceRow = typeof invoices.$inferSelect;
type PaymentRow = typeof payments.$inferSelect;

/**
 * Collects the events and audit entries of one transaction, written together at the end: one
 * statement each, however many payments a block carries.
 */
export class EventBatch {
  readonly events: DomainEventInput[] = [];
  readonly audits: AuditEntryInput[] = [];
  add(event: Omit<DomainEventInput, "actor">) {
    this.events.push({ ...event, actor: { type: "system" } });
  }
  audit(entry: AuditEntryInput) {
    this.audits.push(entry);
  }
  async flush(tx: Executor) {
    await recordAudits(tx, this.audits.splice(0), SYSTEM_AUDIT);
    await recordEvents(tx, this.events.splice(0));
  }
}

/** Locks invoices by id, in id order (no deadlock between writers). */
export async function lockInvoicesById(tx: Executor, ids: string[]): Promise<InvoiceRow[]> {
  if (ids.length === 0) return [];
  return tx.select().from(invoices).where(inArray(invoices.id, ids)).orderBy(asc(invoices.id)).for("update");
}

type CountedRow = { invoiceId: string; asset: PaymentRow["asset"]; amount: bigint; status: PaymentStatus; detectedAt: Date; blockTimestamp: Date | null };

/** The payments of several invoices in one query, by invoice. */
export async function paymentsOf(tx: Executor, invoiceIds: string[]): Promise<Map<string, CountedRow[]>> {
  const byInvoice = new Map<string, CountedRow[]>();
  if (invoiceIds.length === 0) return byInvoice;
  const rows = await tx
    .select({ invoiceId: payments.invoiceId, asset: payments.asset, amount: payments.amount, status: payments.status, detectedAt: payments.detectedAt, blockTimestamp: payments.blockTimestamp })
    .from(payments)
    .where(inArray(payments.invoiceId, invoiceIds));
  for (const row of rows) byInvoice.set(row.invoiceId, [...(byInvoice.get(row.invoiceId) ?? []), row]);
  return byInvoice;
}

/** Reconciles invoices by id (locking them): the expiry job's entry point. */
export async function reconcileInvoices(
  tx: Executor,
  invoiceIds: readonly string[],
  settings: { partialGraceMinutes: number },
  now: Date,
): Promise<number> {
  const events = new EventBatch();
  let changed = 0;
  const locked = await lockInvoicesById(tx, [...invoiceIds]);
  const paid = await paymentsOf(tx, locked.map((i) => i.id));
  for (const invoice of locked) {
    if (await reconcileLocked(tx, invoice, paid.get(invoice.id) ?? [], settings, now, events)) changed++;
  }
  await events.flush(tx);
  return changed;
}

/**
 * Recomputes one locked invoice from all its payments and writes the result under a status
 * guard, with its audit entry, its events and the customer's payment history. True if it changed.
 */
export async function reconcileLocked(
  tx: Executor,
  invoice: InvoiceRow,
  allPayments: CountedRow[],
  settings: { partialGraceMinutes: number },
  now: Date,
  events: EventBatch,
): Promise<boolean> {
  const rows = allPayments.filter((p) => p.asset === invoice.cryptoCurrency);
  const result = reconcileInvoice({
    status: invoice.status,
    exception: invoice.exception,
    required: money(invoice.cryptoAmount, invoice.cryptoCurrency),
    tolerance: createPaymentTolerance({
      underpaymentThresholdBps: invoice.underpaymentThresholdBps,
      overpaymentThresholdBps: invoice.overpaymentThresholdBps,
      overpaymentAction: invoice.overpaymentAction,
    }),
    expiresAt: invoice.expiresAt,
    partialGraceMinutes: settings.partialGraceMinutes,
    payments: rows.map((p) => ({
      amount: p.amount,
      status: p.status,
      arrivedAt: p.blockTimestamp && p.blockTimestamp < p.detectedAt ? p.blockTimestamp : p.detectedAt,
    })),
    now,
  });
  // Before the no-change return: a late payment's confirmation changes nothing here but sells its order.
  await settleOrderOfInvoice(tx, { ...invoice, status: result.status, exception: result.exception }, rows, now);
  if (result.status === invoice.status && result.exception === invoice.exception && result.amountReceived === invoice.amountReceived) {
    return false;
  }
  const paidAt = result.becamePaid ? now : invoice.paidAt;
  const [updated] = await tx
    .update(invoices)
    .set({ status: result.status, exception: result.exception, amountReceived: result.amountReceived, paidAt, updatedAt: now })
    .where(and(eq(invoices.id, invoice.id), eq(invoices.status, invoice.status)))
    .returning({ id: invoices.id });
  if (!updated) throw new Error(`invoice ${invoice.id} changed under its lock`);

  const { shortfall, excess } = result.classification;
  events.audit({
      merchantId: invoice.merchantId,
      invoiceId: invoice.id,
      event: result.status === invoice.status ? "invoice.amount_received_changed" : `invoice.${result.status}`,
      data: {
        from: invoice.status,
        to: result.status,
        events: result.events,
        amountReceived: result.amountReceived,
        remaining: shortfall.amount,
        excess: excess.amount,
        exception: result.exception,
        ...(result.exception === "overpaid" ? { overpaymentAction: invoice.overpaymentAction } : {}),
      },
      at: now,
    });
  const invoiceEvent = { aggregateType: "invoice" as const, aggregateId: invoice.id, merchantId: invoice.merchantId, occurredAt: now };
  if (result.becamePaid) {
    events.add({
      ...invoiceEvent,
      eventType: "InvoicePaid",
      payload: {
        invoiceId: invoice.id,
        totalReceived: result.amountReceived,
        asset: invoice.cryptoCurrency,
        paidAt: now,
        exception: result.exception,
        shortfall: shortfall.amount,
        excess: excess.amount,
        ...(result.exception === "overpaid" ? { overpaymentAction: invoice.overpaymentAction } : {}),
      },
    });
  }
  if (result.becameExpired) {
    events.add({
      ...invoiceEvent,
      eventType: "InvoiceExpired",
      payload: { invoiceId: invoice.id, expiredAt: now, amountReceived: result.amountReceived, exception: result.exception },
    });
  }
  if ((result.becamePaid || result.becameExpired) && invoice.customerId) {
    await tx
      .insert(customerPaymentHistory)
      .values({
        customerId: invoice.customerId,
        invoiceId: invoice.id,
        amountMinor: invoice.totalMinor,
        currency: invoice.fiatCurrency,
        status: result.becamePaid ? "paid" : "expired",
        paidAt: result.becamePaid ? now : null,
        createdAt: invoice.createdAt,
      })
      .onConflictDoNothing();
  }
  return true;
}

