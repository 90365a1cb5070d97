import { and, asc, desc, eq, lt, or, sql, type SQL } from "drizzle-orm";
import type { Db, Executor } from "@/db";
import { invoices, outboxEvents, webhookDeliveries, webhookDeliveryAttempts, webhookEndpoints } from "@/db/schema";
import { recordAudit, type AuditContext } from "@/lib/audit";
import { DomainError } from "@/lib/domain";
import { webhookBody } from "./deliver";
import { isUuid } from "@/lib/uuid";

/** The merchant's delivery log, redelivery and test events. Every read is scoped to the merchant. */

export const DELIVERY_STATUSES = ["pending", "delivering", "succeeded", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export type DeliverySummary = {
  id: string;
  endpointId: string;
  endpointUrl: string;
  eventId: string;
  eventType: string;
  invoiceId: string | null;
  status: DeliveryStatus;
  attemptCount: number;
  lastStatusCode: number | null;
  nextAttemptAt: Date;
  createdAt: Date;
  completedAt: Date | null;
};

const summaryColumns = {
  id: webhookDeliveries.id,
  endpointId: webhookDeliveries.endpointId,
  endpointUrl: webhookEndpoints.url,
  eventId: webhookDeliveries.eventId,
  eventType: webhookDeliveries.eventType,
  invoiceId: webhookDeliveries.invoiceId,
  status: webhookDeliveries.status,
  attemptCount: webhookDeliveries.attemptCount,
  lastStatusCode: webhookDeliveries.lastStatusCode,
  nextAttemptAt: webhookDeliveries.nextAttemptAt,
  createdAt: webhookDeliveries.createdAt,
  completedAt: webhookDeliveries.completedAt,
};

export const TEST_EVENT_TYPE = "WebhookTest";

export type DeliveryFilter = { endpointId?: string; status?: DeliveryStatus; eventType?: string; invoiceId?: string };

/** Newest first, `limit` per page; `before` is the last row of the previous page (keyset). */
export async function listDeliveries(
  db: Executor,
  merchantId: string,
  filter: DeliveryFilter = {},
  page: { limit?: number; before?: { createdAt: Date; id: string } } = {},
): Promise<{ items: DeliverySummary[]; next: { createdAt: Date; id: string } | null }> {
  const limit = Math.min(Math.max(page.limit ?? 25, 1), 100);
  const conditions: SQL[] = [eq(webhookEndpoints.merchantId, merchantId)];
  if (filter.endpointId && isUuid(filter.endpointId)) conditions.push(eq(webhookDeliveries.endpointId, filter.endpointId));
  else if (filter.endpointId) return { items: [], next: null };
  if (filter.status) conditions.push(eq(webhookDeliveries.status, filter.status));
  if (filter.eventType) conditions.push(eq(webhookDeliveries.eventType, filter.eventType));
  if (filter.invoiceId && isUuid(filter.invoiceId)) conditions.push(eq(webhookDeliveries.invoiceId, filter.invoiceId));
  if (page.before) {
    const { createdAt, id } = page.before;
    conditions.push(or(lt(webhookDeliveries.createdAt, createdAt), and(eq(webhookDeliveries.createdAt, createdAt), lt(webhookDeliveries.id, id)))!);
  }
  const rows = await db
    .select(summaryColumns)
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(and(...conditions))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}

export type DeliveryDetail = DeliverySummary & {
  body: string;
  attempts: { id: string; attemptedAt: Date; statusCode: number | null; latencyMs: number | null; responseBody: string | null; error: string | null }[];
};

export async function findDelivery(db: Executor, merchantId: string, deliveryId: string): Promise<DeliveryDetail | null> {
  if (!isUuid(deliveryId)) return null;
  const [row] = await db
    .select({ ...summaryColumns, livemode: invoices.livemode, event: { id: outboxEvents.id, eventType: outboxEvents.eventType, occurredAt: outboxEvents.occurredAt, payload: outboxEvents.payload } })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .innerJoin(outboxEvents, eq(outboxEvents.id, webhookDeliveries.eventId))
    .leftJoin(invoices, eq(invoices.id, webhookDeliveries.invoiceId))
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookEndpoints.merchantId, merchantId)));
  if (!row) return null;
  const attempts = await db
    .select({
      id: webhookDeliveryAttempts.id,
      attemptedAt: webhookDeliveryAttempts.attemptedAt,
      statusCode: webhookDeliveryAttempts.statusCode,
      latencyMs: webhookDeliveryAttempts.latencyMs,
      responseBody: webhookDeliveryAttempts.responseBody,
      error: webhookDeliveryAttempts.error,
    })
    .from(webhookDeliveryAttempts)
    .where(eq(webhookDeliveryAttempts.deliveryId, deliveryId))
    .orderBy(asc(webhookDeliveryAttempts.attemptedAt));
  const { event, livemode, ...summary } = row;
  return { ...summary, body: webhookBody(event, livemode), attempts };
}

const deliveryNotFound = () => new DomainError("webhook_delivery.not_found", "Delivery not found");

/**
 * Queues a delivery again now, with a fresh set of retries; its earlier attempts stay in the log.
 * The caller may deliver it at once (deliverDueWebhooks with its id).
 */
export async function redeliver(db: Db, merchantId: string, deliveryId: string, context: AuditContext): Promise<void> {
  if (!isUuid(deliveryId)) throw deliveryNotFound();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhookDeliveries)
      .set({ status: "pending", attemptCount: 0, nextAttemptAt: new Date(), completedAt: null })
      .where(
        and(
          eq(webhookDeliveries.id, deliveryId),
          sql`${webhookDeliveries.status} <> 'delivering'`,
          sql`exists (select 1 from ${webhookEndpoints} e where e.id = ${webhookDeliveries.endpointId} and e.merchant_id = ${merchantId})`,
        ),
      )
      .returning({ id: webhookDeliveries.id, eventId: webhookDeliveries.eventId });
    if (!row) {
      const existing = await findDelivery(tx, merchantId, deliveryId);
      if (!existing) throw deliveryNotFound();
      throw new DomainError("webhook_delivery.in_progress", "This delivery is being sent right now; try again in a moment");
    }
    await recordAudit(tx, { merchantId, event: "webhook_delivery.redelivered", data: { deliveryId, eventId: row.eventId } }, context);
  });
}

/**
 * A WebhookTest event for one endpoint, whatever it subscribes to: written to the outbox already
 * published (no other endpoint receives it) with its delivery queued. Returns the delivery id.
 */
export async function queueTestEvent(db: Db, merchantId: string, endpointId: string, context: AuditContext): Promise<string> {
  if (!isUuid(endpointId)) throw new DomainError("webhook_endpoint.not_found", "Webhook endpoint not found");
  return db.transaction(async (tx) => {
    const [endpoint] = await tx
      .select({ id: webhookEndpoints.id, status: webhookEndpoints.status, url: webhookEndpoints.url })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.merchantId, merchantId)));
    if (!endpoint) throw new DomainError("webhook_endpoint.not_found", "Webhook endpoint not found");
    if (endpoint.status !== "active") {
      throw new DomainError("webhook_endpoint.inactive", `The endpoint is ${endpoint.status}; enable it to send a test event`);
    }
    const now = new Date();
    const [event] = await tx
      .insert(outboxEvents)
      .values({
        aggregateType: "merchant",
        aggregateId: merchantId,
        merchantId,
        eventType: TEST_EVENT_TYPE,
        actorType: context.actor.type,
        actorId: context.actor.id ?? null,
        payload: { endpointId, message: "A test event sent from the dashboard. No action is needed." },
        occurredAt: now,
        publishedAt: now,
      })
      .returning({ id: outboxEvents.id });
    const [delivery] = await tx
      .insert(webhookDeliveries)
      .values({ endpointId, eventId: event!.id, eventType: TEST_EVENT_TYPE, nextAttemptAt: now })
      .returning({ id: webhookDeliveries.id });
    await recordAudit(tx, { merchantId, event: "webhook_endpoint.test_sent", data: { endpointId, eventId: event!.id } }, context);
    return delivery!.id;
  });
}
