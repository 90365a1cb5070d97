import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * The transactional outbox. Every domain event is inserted in the same transaction as the change
 * that caused it; webhooks, emails and activity views read from here. The id doubles as the
 * event id receivers use to de-duplicate.
 */
export const outboxEvents = pgTable(
  "outbox_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Commit-independent write order: events of one transaction keep the order they were recorded in. */
    sequence: bigserial("sequence", { mode: "number" }).notNull(),
    /** e.g. "invoice", "payment", "merchant", "account", "admin". */
    aggregateType: text("aggregate_type").notNull(),
    aggregateId: text("aggregate_id").notNull(),
    /** The spec's event name, e.g. "InvoiceCreated", "AccountStatusChanged". */
    eventType: text("event_type").notNull(),
    merchantId: uuid("merchant_id"),
    actorType: text("actor_type"),
    actorId: text("actor_id"),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
  },
  (t) => [
    index("outbox_events_unpublished_idx").on(t.occurredAt).where(sql`${t.publishedAt} is null`),
    index("outbox_events_aggregate_idx").on(t.aggregateType, t.aggregateId, t.occurredAt),
    index("outbox_events_merchant_idx").on(t.merchantId, t.occurredAt),
    check("outbox_events_event_type_format", sql`${t.eventType} ~ '^[A-Z][A-Za-z]+$'`),
    check("outbox_events_attempts_nonnegative", sql`${t.attempts} >= 0`),
  ],
);
