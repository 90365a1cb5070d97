import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./common";
import { outboxEvents } from "./events";
import { merchants } from "./merchants";

/** Communication context: NotificationTemplate and the NotificationDeliveries it generates. */

export const notificationEventEnum = pgEnum("notification_event", [
  "invoice_created",
  "payment_detected",
  "payment_confirmed",
  "payment_failed",
  "invoice_paid",
  "invoice_expired",
  "invoice_cancelled",
  "merchant_suspended",
  "webhook_endpoint_failed",
]);
export const notificationRecipientEnum = pgEnum("notification_recipient", ["customer", "merchant"]);
export const notificationDeliveryStatusEnum = pgEnum("notification_delivery_status", [
  "pending",
  "sent",
  "failed",
]);

export const notificationTemplates = pgTable(
  "notification_templates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    merchantId: uuid("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    eventType: notificationEventEnum("event_type").notNull(),
    recipient: notificationRecipientEnum("recipient").notNull().default("customer"),
    subject: text("subject").notNull(),
    bodyTemplate: text("body_template").notNull(),
    isActive: boolean("is_active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("notification_templates_merchant_event_key").on(t.merchantId, t.eventType, t.recipient),
    check("notification_templates_subject_length", sql`char_length(${t.subject}) between 1 and 255`),
    check("notification_templates_body_length", sql`char_length(${t.bodyTemplate}) between 1 and 20000`),
  ],
);

export const notificationDeliveries = pgTable(
  "notification_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    templateId: uuid("template_id").references(() => notificationTemplates.id, { onDelete: "set null" }),
    merchantId: uuid("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    eventId: uuid("event_id").references(() => outboxEvents.id),
    channel: text("channel", { enum: ["email"] }).notNull().default("email"),
    recipientAddress: text("recipient_address").notNull(),
    subject: text("subject").notNull(),
    status: notificationDeliveryStatusEnum("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    providerMessageId: text("provider_message_id"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("notification_deliveries_event_recipient_key").on(t.eventId, t.templateId, t.recipientAddress),
    index("notification_deliveries_merchant_idx").on(t.merchantId, t.createdAt),
    index("notification_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    check("notification_deliveries_attempts_nonnegative", sql`${t.attempts} >= 0`),
  ],
);
