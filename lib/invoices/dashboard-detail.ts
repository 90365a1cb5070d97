import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import {
  auditEntries,
  customers,
  exchangeRates,
  invoiceItems,
  invoices,
  notificationDeliveries,
  outboxEvents,
  payments,
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookEndpoints,
} from "@/db/schema";
import { canTransitionInvoice } from "@/lib/domain";
import { isUuid } from "@/lib/uuid";

/**
 * The dashboard's invoice page: the invoice with its items, customer, locked rate and payments,
 * and one timeline merging its audit entries, payments, webhook deliveries (with their attempts)
 * and notification emails, oldest first. Read-only; scoped to the merchant, so another
 * merchant's invoice is simply not found.
 */

export type TimelineEntry =
  | { kind: "audit"; at: Date; id: string; event: string; actorType: string; data: Record<string, unknown> }
  | {
      kind: "payment";
      at: Date;
      id: string;
      phase: "detected" | "confirmed";
      status: string;
      txHash: string;
      amount: bigint;
      asset: string;
      network: string;
      confirmations: number;
      requiredConfirmations: number;
    }
  | {
      kind: "webhook";
      at: Date;
      id: string;
      eventType: string;
      endpointUrl: string;
      status: string;
      attemptCount: number;
      lastStatusCode: number | null;
      attempts: { at: Date; statusCode: number | null; latencyMs: number | null; error: string | null }[];
    }
  | {
      kind: "notification";
      at: Date;
      id: string;
      recipient: string;
      subject: string;
      status: string;
      attempts: number;
      lastError: string | null;
      sentAt: Date | null;
    };

/** Same-instant entries keep a causal order: the audit entry, then the payment, then what was sent. */
const KIND_ORDER: Record<TimelineEntry["kind"], number> = { audit: 0, payment: 1, webhook: 2, notification: 3 };

export function sortTimeline(entries: TimelineEntry[]): TimelineEntry[] {
  return [...entries].sort((a, b) => a.at.getTime() - b.at.getTime() || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.id.localeCompare(b.id));
}


export async function findDashboardInvoice(db: Executor, merchantId: string, invoiceId: string) {
  if (!isUuid(invoiceId)) return null;
  const [head] = await db
    .select({ invoice: invoices, customerEmail: customers.email, rate: exchangeRates.rate, rateSource: exchangeRates.source })
    .from(invoices)
    .innerJoin(exchangeRates, eq(exchangeRates.id, invoices.exchangeRateId))
    .leftJoin(customers, eq(customers.id, invoices.customerId))
    .where(and(eq(invoices.id, invoiceId), eq(invoices.merchantId, merchantId)));
  if (!head) return null;

  const [items, paymentRows, audits, deliveries] = await Promise.all([
    db.select().from(invoiceItems).where(eq(invoiceItems.invoiceId, invoiceId)).orderBy(asc(invoiceItems.position)),
    db.select().from(payments).where(eq(payments.invoiceId, invoiceId)).orderBy(asc(payments.detectedAt)),
    db.select().from(auditEntries).where(eq(auditEntries.invoiceId, invoiceId)).orderBy(asc(auditEntries.createdAt)),
    db
      .select({ delivery: webhookDeliveries, endpointUrl: webhookEndpoints.url })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(and(eq(webhookDeliveries.invoiceId, invoiceId), eq(webhookEndpoints.merchantId, merchantId))),
  ]);
  const deliveryIds = deliveries.map((d) => d.delivery.id);
  const paymentIds = paymentRows.map((p) => p.id);
  const [attempts, notifications] = await Promise.all([
    deliveryIds.length
      ? db.select().from(webhookDeliveryAttempts).where(inArray(webhookDeliveryAttempts.deliveryId, deliveryIds)).orderBy(asc(webhookDeliveryAttempts.attemptedAt))
      : Promise.resolve([]),
    // Emails hang off outbox events: the invoice's own, and its payments'.
    db
      .select({ n: notificationDeliveries })
      .from(notificationDeliveries)
      .innerJoin(outboxEvents, eq(outboxEvents.id, notificationDeliveries.eventId))
      .where(
        and(
          eq(notificationDeliveries.merchantId, merchantId),
          or(
            and(eq(outboxEvents.aggregateType, "invoice"), eq(outboxEvents.aggregateId, invoiceId)),
            paymentIds.length ? and(eq(outboxEvents.aggregateType, "payment"), inArray(outboxEvents.aggregateId, paymentIds)) : sql`false`,
          ),
        ),
      ),
  ]);

  const timeline: TimelineEntry[] = [];
  for (const a of audits) timeline.push({ kind: "audit", at: a.createdAt, id: a.id, event: a.event, actorType: a.actorType, data: a.data });
  for (const p of paymentRows) {
    const base = {
      kind: "payment" as const,
      status: p.status,
      txHash: p.txHash,
      amount: p.amount,
      asset: p.asset,
      network: p.network,
      confirmations: p.confirmations,
      requiredConfirmations: p.requiredConfirmations,
    };
    timeline.push({ ...base, at: p.detectedAt, id: `${p.id}:detected`, phase: "detected" });
    if (p.confirmedAt) timeline.push({ ...base, at: p.confirmedAt, id: `${p.id}:confirmed`, phase: "confirmed" });
  }
  for (const { delivery, endpointUrl } of deliveries) {
    timeline.push({
      kind: "webhook",
      at: delivery.createdAt,
      id: delivery.id,
      eventType: delivery.eventType,
      endpointUrl,
      status: delivery.status,
      attemptCount: delivery.attemptCount,
      lastStatusCode: delivery.lastStatusCode,
      attempts: attempts
        .filter((t) => t.deliveryId === delivery.id)
        .map((t) => ({ at: t.attemptedAt, statusCode: t.statusCode, latencyMs: t.latencyMs, error: t.error })),
    });
  }
  for (const { n } of notifications) {
    timeline.push({
      kind: "notification",
      at: n.createdAt,
      id: n.id,
      recipient: n.recipientAddress,
      subject: n.subject,
      status: n.status,
      attempts: n.attempts,
      lastError: n.lastError,
      sentAt: n.sentAt,
    });
  }

  const invoice = head.invoice;
  return {
    invoice,
    customerEmail: head.customerEmail,
    rate: { rate: head.rate, source: head.rateSource },
    items,
    payments: paymentRows,
    timeline: sortTimeline(timeline),
    cancellable: canTransitionInvoice(invoice.status, "cancel"),
  };
}

export type DashboardInvoiceDetail = NonNullable<Awaited<ReturnType<typeof findDashboardInvoice>>>;
