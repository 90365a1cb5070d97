import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db";
import { webhookDeliveries, webhookEndpoints } from "@/db/schema";
import type { OutboxEvent } from "@/lib/events/dispatch";
import { isUuid } from "@/lib/uuid";

/**
 * Outbox consumer: one pending delivery per event and active endpoint of the event's merchant that
 * subscribes to its type. Idempotent (the (endpoint, event) key), so a replayed batch adds nothing.
 */
export async function planWebhookDeliveries(tx: Executor, events: OutboxEvent[]): Promise<number> {
  const merchantIds = [...new Set(events.map((e) => e.merchantId).filter((id): id is string => id !== null))];
  if (merchantIds.length === 0) return 0;
  const endpoints = await tx
    .select({ id: webhookEndpoints.id, merchantId: webhookEndpoints.merchantId, events: webhookEndpoints.events })
    .from(webhookEndpoints)
    .where(and(inArray(webhookEndpoints.merchantId, merchantIds), eq(webhookEndpoints.status, "active")));
  if (endpoints.length === 0) return 0;
  const rows: (typeof webhookDeliveries.$inferInsert)[] = [];
  for (const event of events) {
    for (const endpoint of endpoints) {
      if (endpoint.merchantId !== event.merchantId || !endpoint.events.includes(event.eventType)) continue;
      rows.push({ endpointId: endpoint.id, eventId: event.id, eventType: event.eventType, invoiceId: invoiceIdOf(event), nextAttemptAt: event.occurredAt });
    }
  }
  if (rows.length === 0) return 0;
  const inserted = await tx.insert(webhookDeliveries).values(rows).onConflictDoNothing().returning({ id: webhookDeliveries.id });
  return inserted.length;
}

function invoiceIdOf(event: OutboxEvent): string | null {
  if (event.aggregateType === "invoice" && isUuid(event.aggregateId)) return event.aggregateId;
  const fromPayload = event.payload.invoiceId;
  return typeof fromPayload === "string" && isUuid(fromPayload) ? fromPayload : null;
}
