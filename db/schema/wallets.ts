import { sql } from "drizzle-orm";
import { check, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, cryptoAmount, cryptoCurrencyEnum, networkEnum, updatedAt } from "./common";
import { payments } from "./invoices";

/**
 * Settlement: hot wallets that pay network fees and forward received funds, their transactions,
 * refill requests, and each attempt to forward a payment.
 */

export const hotWalletStatusEnum = pgEnum("hot_wallet_status", ["active", "paused", "retired"]);
export const walletTxDirectionEnum = pgEnum("wallet_tx_direction", ["inbound", "outbound"]);
export const walletTxStatusEnum = pgEnum("wallet_tx_status", ["pending", "confirmed", "failed"]);
export const refillStatusEnum = pgEnum("refill_status", ["requested", "approved", "fulfilled", "rejected"]);
export const forwardingStatusEnum = pgEnum("forwarding_status", ["pending", "broadcast", "confirmed", "failed"]);

export const hotWallets = pgTable(
  "hot_wallets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    network: networkEnum("network").notNull(),
    asset: cryptoCurrencyEnum("asset").notNull(),
    address: text("address").notNull(),
    label: text("label").notNull(),
    status: hotWalletStatusEnum("status").notNull().default("active"),
    balance: cryptoAmount("balance").notNull().default(sql`0`),
    lowBalanceThreshold: cryptoAmount("low_balance_threshold").notNull().default(sql`0`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("hot_wallets_network_address_asset_key").on(t.network, t.address, t.asset),
    check("hot_wallets_balance_nonnegative", sql`${t.balance} >= 0`),
  ],
);

export const walletTransactions = pgTable(
  "wallet_transactions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    hotWalletId: uuid("hot_wallet_id")
      .notNull()
      .references(() => hotWallets.id),
    paymentId: uuid("payment_id").references(() => payments.id),
    direction: walletTxDirectionEnum("direction").notNull(),
    txHash: text("tx_hash"),
    amount: cryptoAmount("amount").notNull(),
    fee: cryptoAmount("fee"),
    status: walletTxStatusEnum("status").notNull().default("pending"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("wallet_transactions_wallet_idx").on(t.hotWalletId, t.createdAt),
    index("wallet_transactions_payment_idx").on(t.paymentId),
    check("wallet_transactions_amount_positive", sql`${t.amount} > 0`),
    check("wallet_transactions_fee_positive", sql`${t.fee} is null or ${t.fee} > 0`),
  ],
);

export const refillRequests = pgTable(
  "refill_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    hotWalletId: uuid("hot_wallet_id")
      .notNull()
      .references(() => hotWallets.id),
    amount: cryptoAmount("amount").notNull(),
    status: refillStatusEnum("status").notNull().default("requested"),
    reason: text("reason"),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (t) => [
    index("refill_requests_wallet_idx").on(t.hotWalletId, t.requestedAt),
    check("refill_requests_amount_positive", sql`${t.amount} > 0`),
  ],
);

export const forwardingAttempts = pgTable(
  "forwarding_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    paymentId: uuid("payment_id")
      .notNull()
      .references(() => payments.id),
    hotWalletId: uuid("hot_wallet_id").references(() => hotWallets.id),
    destinationAddress: text("destination_address").notNull(),
    amount: cryptoAmount("amount").notNull(),
    txHash: text("tx_hash"),
    status: forwardingStatusEnum("status").notNull().default("pending"),
    error: text("error"),
    attemptedAt: timestamp("attempted_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("forwarding_attempts_payment_idx").on(t.paymentId, t.attemptedAt),
    check("forwarding_attempts_amount_positive", sql`${t.amount} > 0`),
  ],
);
