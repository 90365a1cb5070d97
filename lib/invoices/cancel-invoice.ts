import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { customerPaymentHistory, invoices } from "@/db/schema";
import { recordAudit, type AuditContext } from "@/lib/audit";
import { DomainError, transitionInvoice } from "@/lib/domain";
import { recordEvent } from "@/lib/events/outbox";
import { cancelOrderOfInvoice } from "@/lib/orders/settle-order";

/**
 * CancelInvoice: the invoice state machine decides whether "cancel" is legal from the current
 * status; the update is guarded on that status in SQL, so a payment that lands concurrently wins
 * or loses cleanly rather than being overwritten.
 */
export async function cancelInvoice(
  db: Db,
  scope: { merchantId: string; livemode: boolean },
  invoiceId: string,
  reason: string | null,
  context: AuditContext,
  now = new Date(),
) {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ status: invoices.status, customerId: invoices.customerId, totalMinor: invoices.totalMinor, fiatCurrency: invoices.fiatCurrency, createdAt: invoices.createdAt })
      .from(invoices)
      .where(and(eq(invoices.id, invoiceId), eq(invoices.merchantId, scope.merchantId), eq(invoices.livemode, scope.livemode)))
      .for("update");
    if (!current) throw new DomainError("invoice.not_found", "No such invoice", { invoiceId });
    const next = transitionInvoice(current.status, "cancel");
    const [updated] = await tx
      .update(invoices)
      .set({ status: next, updatedAt: now })
      .where(and(eq(invoices.id, invoiceId), eq(invoices.status, current.status)))
      .returning({ id: invoices.id });
    if (!updated) throw new DomainError("invoice.concurrent_update", "The invoice changed meanwhile; retry");
    await cancelOrderOfInvoice(tx, invoiceId, now);
    if (current.customerId) {
      await tx.insert(customerPaymentHistory).values({
        customerId: current.customerId,
        invoiceId,
        amountMinor: current.totalMinor,
        currency: current.fiatCurrency,
        status: "cancelled",
        createdAt: current.createdAt,
      });
    }
    await recordAudit(
      tx,
      { merchantId: scope.merchantId, invoiceId, event: "invoice.cancelled", data: { from: current.status, reason }, at: now },
      context,
    );
    await recordEvent(tx, {
      aggregateType: "invoice",
      aggregateId: invoiceId,
      merchantId: scope.merchantId,
      eventType: "InvoiceCancelled",
      actor: context.actor,
      occurredAt: now,
      payload: { invoiceId, reason },
    });
  });
}
