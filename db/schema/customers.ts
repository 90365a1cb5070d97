import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, fiatCurrencyEnum, updatedAt } from "./common";
import { invoices } from "./invoices";
import { merchants } from "./merchants";

/** Payment Processing context: the Customer aggregate and its append-only payment history. */

export const customerStatusEnum = pgEnum("customer_status", ["active", "blocked", "inactive"]);
export const paymentHistoryStatusEnum = pgEnum("payment_history_status", ["paid", "cancelled", "expired"]);

export const customers = pgTable(
  "customers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    merchantId: uuid("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    status: customerStatusEnum("status").notNull().default("active"),
    metadata: jsonb("metadata").$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("customers_merchant_email_key").on(t.merchantId, sql`lower(${t.email})`),
    index("customers_merchant_created_idx").on(t.merchantId, t.createdAt),
    check("customers_email_format", sql`${t.email} ~ '^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$'`),
  ],
);

/**
 * PaymentHistory entity. Append-only: a trigger (migration 0001) refuses UPDATE and DELETE, so
 * history cannot be rewritten even by a bug in the application.
 */
export const customerPaymentHistory = pgTable(
  "customer_payment_history",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id),
    invoiceId: uuid("invoice_id")
      .notNull()
      .references(() => invoices.id),
    amountMinor: bigint("amount_minor", { mode: "bigint" }).notNull(),
    currency: fiatCurrencyEnum("currency").notNull(),
    status: paymentHistoryStatusEnum("status").notNull(),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("customer_payment_history_invoice_key").on(t.invoiceId),
    index("customer_payment_history_customer_idx").on(t.customerId, t.createdAt),
    check("customer_payment_history_amount_positive", sql`${t.amountMinor} > 0`),
  ],
);
