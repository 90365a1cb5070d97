import { sql } from "drizzle-orm";
import { check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt } from "./common";
import { outboxEvents } from "./events";
import { invoices } from "./invoices";
import { webhookEndpoints } from "./merchants";

/** WebhookDelivery: one event to one endpoint, with every attempt kept. */

export const webhookDeliveryStatusEnum = pgEnum("webhook_delivery_status", [
  "pending",
  "delivering",
  "succeeded",
  "failed",
]);

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: uuid("event_id")
      .notNull()
      .references(() => outboxEvents.id),
    invoiceId: uuid("invoice_id").references(() => invoices.id),
    eventType: text("event_type").notNull(),
    status: webhookDeliveryStatusEnum("status").notNull().default("pending"),
    attemptCount: integer("attempt_count").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastStatusCode: integer("last_status_code"),
    createdAt: createdAt(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_endpoint_event_key").on(t.endpointId, t.eventId),
    index("webhook_deliveries_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'delivering')`),
    index("webhook_deliveries_invoice_idx").on(t.invoiceId),
    check("webhook_deliveries_attempts_nonnegative", sql`${t.attemptCount} >= 0`),
  ],
);

export const webhookDeliveryAttempts = pgTable(
  "webhook_delivery_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attemptedAt: timestamp("attempted_at", { withTimezone: true }).notNull().defaultNow(),
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms"),
    /** At most a few KB of the response body, for the merchant's delivery log. */
    responseBody: text("response_body"),
    error: text("error"),
  },
  (t) => [
    index("webhook_delivery_attempts_delivery_idx").on(t.deliveryId, t.attemptedAt),
    check("webhook_delivery_attempts_latency_nonnegative", sql`${t.latencyMs} is null or ${t.latencyMs} >= 0`),
  ],
);
