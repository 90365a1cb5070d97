import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts";
import { createdAt, fiatCurrencyEnum, updatedAt } from "./common";
import { invoices } from "./invoices";

/**
 * Storefront orders: a buyer's purchase of one marketplace account, paid through an invoice of
 * the store merchant. While the order is "reserved" (its invoice is live) the account is held for
 * that buyer: at most one reserved order per account, enforced by a partial unique index.
 *
 *   reserved → paid            the invoice was paid: the account is SOLD to this buyer
 *   reserved → expired         the invoice expired: the account is free again
 *   reserved → cancelled       the invoice was cancelled
 *   expired  → paid            paid late, and the account was still free to sell
 *   expired  → unfulfillable   paid late, but the account was sold or held meanwhile: refund
 */
export const ORDER_STATUSES = ["reserved", "paid", "expired", "cancelled", "unfulfillable"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const orderStatusEnum = pgEnum("account_order_status", ORDER_STATUSES);

export const accountOrders = pgTable(
  "account_orders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "restrict" }),
    invoiceId: uuid("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "restrict" }),
    status: orderStatusEnum("status").notNull().default("reserved"),
    /** The account's list price when the order was placed. */
    priceMinor: bigint("price_minor", { mode: "bigint" }).notNull(),
    priceCurrency: fiatCurrencyEnum("price_currency").notNull(),
    buyerEmail: text("buyer_email"),
    /** SHA-256 (hex) of the random token in the buyer's order link; the token itself is never stored. */
    accessTokenHash: text("access_token_hash").notNull(),
    /** The invoice's expiry when the order was placed: how long the reservation is meant to last. */
    reservedUntil: timestamp("reserved_until", { withTimezone: true }).notNull(),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    emailSentAt: timestamp("email_sent_at", { withTimezone: true }),
    emailAttempts: integer("email_attempts").notNull().default(0),
    emailError: text("email_error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("account_orders_invoice_key").on(t.invoiceId),
    uniqueIndex("account_orders_access_token_key").on(t.accessTokenHash),
    uniqueIndex("account_orders_one_live_reservation").on(t.accountId).where(sql`${t.status} = 'reserved'`),
    index("account_orders_account_idx").on(t.accountId, t.createdAt),
    index("account_orders_status_idx").on(t.status, t.createdAt),
    check("account_orders_price_positive", sql`${t.priceMinor} > 0`),
    check("account_orders_paid_at_when_paid", sql`${t.status} <> 'paid' or ${t.paidAt} is not null`),
    check("account_orders_email_attempts_nonnegative", sql`${t.emailAttempts} >= 0`),
  ],
);

/** One run of the quota refresh over many accounts (cron or admin), for progress in the admin. */
export const quotaRefreshRuns = pgTable(
  "quota_refresh_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** "cron", or "admin" with adminId set. */
    trigger: text("trigger").notNull(),
    adminId: uuid("admin_id"),
    total: integer("total").notNull(),
    succeeded: integer("succeeded").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("quota_refresh_runs_started_idx").on(t.startedAt),
    check("quota_refresh_runs_counts", sql`${t.succeeded} >= 0 and ${t.failed} >= 0 and ${t.succeeded} + ${t.failed} <= ${t.total}`),
  ],
);

/**
 * One row whose version goes up whenever anything the catalog shows changes (accounts, their
 * quotas, reservations), bumped by statement triggers in the same transaction. Catalog readers
 * in every process compare it with the version their cached pages were built from.
 */
export const catalogVersion = pgTable(
  "catalog_version",
  {
    id: integer("id").primaryKey().default(1),
    version: bigint("version", { mode: "number" }).notNull().default(0),
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("catalog_version_single_row", sql`${t.id} = 1`)],
);
