import { sql, type SQL } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import {
  createdAt,
  cryptoAmount,
  cryptoCurrencyEnum,
  fiatCurrencyEnum,
  networkEnum,
  tsvector,
  updatedAt,
} from "./common";
import { INVOICE_EXCEPTIONS, INVOICE_STATUSES, PAYMENT_STATUSES } from "@/lib/domain";
import { exchangeRates } from "./configuration";
import { customers } from "./customers";
import { merchants, overpaymentActionEnum } from "./merchants";
import { hotWallets } from "./wallets";

/** Payment Processing context: the Invoice aggregate with its Payments and AuditEntries. */

export const invoiceStatusEnum = pgEnum("invoice_status", INVOICE_STATUSES);
/** The second axis beside status: what was unusual about how the invoice was paid. */
export const invoiceExceptionEnum = pgEnum("invoice_exception", INVOICE_EXCEPTIONS);
export const paymentStatusEnum = pgEnum("payment_status", PAYMENT_STATUSES);
export const auditActorEnum = pgEnum("audit_actor", ["api_key", "system", "customer", "merchant", "admin"]);

export const invoices = pgTable(
  "invoices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    merchantId: uuid("merchant_id")
      .notNull()
      .references(() => merchants.id),
    customerId: uuid("customer_id").references(() => customers.id),
    livemode: boolean("livemode").notNull().default(true),
    /** The merchant's own order reference, searchable. */
    reference: text("reference"),
    title: text("title").notNull(),
    description: text("description"),
    status: invoiceStatusEnum("status").notNull().default("pending"),
    exception: invoiceExceptionEnum("exception").notNull().default("none"),
    // InvoicePricing, in fiat minor units.
    fiatCurrency: fiatCurrencyEnum("fiat_currency").notNull(),
    subtotalMinor: bigint("subtotal_minor", { mode: "bigint" }).notNull(),
    taxMinor: bigint("tax_minor", { mode: "bigint" }).notNull().default(sql`0`),
    totalMinor: bigint("total_minor", { mode: "bigint" }).notNull(),
    // What the buyer pays, locked at creation.
    cryptoCurrency: cryptoCurrencyEnum("crypto_currency").notNull(),
    network: networkEnum("network").notNull(),
    cryptoAmount: cryptoAmount("crypto_amount").notNull(),
    amountReceived: cryptoAmount("amount_received").notNull().default(sql`0`),
    exchangeRateId: uuid("exchange_rate_id")
      .notNull()
      .references(() => exchangeRates.id),
    // PaymentAddress.
    paymentAddress: text("payment_address").notNull(),
    derivationIndex: integer("derivation_index"),
    addressGeneratedAt: timestamp("address_generated_at", { withTimezone: true }).notNull().defaultNow(),
    // PaymentTolerance, copied from the merchant default or overridden per invoice.
    underpaymentThresholdBps: integer("underpayment_threshold_bps").notNull(),
    overpaymentThresholdBps: integer("overpayment_threshold_bps").notNull(),
    overpaymentAction: overpaymentActionEnum("overpayment_action").notNull(),
    requiredConfirmations: integer("required_confirmations").notNull(),
    metadata: jsonb("metadata").$type<Record<string, string>>().notNull().default({}),
    redirectUrl: text("redirect_url"),
    paymentLinkId: uuid("payment_link_id").references((): AnyPgColumn => paymentLinks.id),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    search: tsvector("search").generatedAlwaysAs(
      (): SQL =>
        sql`to_tsvector('simple', coalesce(${invoices.title}, '') || ' ' || coalesce(${invoices.description}, '') || ' ' || coalesce(${invoices.reference}, ''))`,
    ),
  },
  (t) => [
    // Serves the keyset-paginated list exactly: ORDER BY created_at DESC NULLS LAST, id DESC NULLS LAST.
    index("invoices_merchant_created_idx").on(t.merchantId, t.livemode, t.createdAt.desc(), t.id.desc()),
    index("invoices_merchant_status_created_idx").on(t.merchantId, t.status, t.createdAt.desc()),
    // The dashboard's other sorts (lib/invoices/dashboard-list.ts), read off an index in either
    // direction like the one above; the status one also serves a status filter sorted by date.
    index("invoices_merchant_total_idx").on(t.merchantId, t.livemode, t.totalMinor.desc().nullsLast(), t.id.desc().nullsLast()),
    index("invoices_merchant_mode_status_idx").on(
      t.merchantId,
      t.livemode,
      t.status.desc().nullsLast(),
      t.createdAt.desc().nullsLast(),
      t.id.desc().nullsLast(),
    ),
    // An order reference typed into the dashboard's search box is looked up exactly.
    index("invoices_merchant_reference_idx").on(t.merchantId, t.reference).where(sql`${t.reference} is not null`),
    index("invoices_merchant_paid_idx").on(t.merchantId, t.paidAt).where(sql`${t.paidAt} is not null`),
    index("invoices_customer_idx").on(t.customerId, t.createdAt),
    index("invoices_open_expiry_idx")
      .on(t.expiresAt)
      .where(sql`${t.status} in ('pending', 'partial', 'confirming')`),
    index("invoices_search_idx").using("gin", t.search),
    uniqueIndex("invoices_network_address_key").on(t.network, t.paymentAddress),
    // The chain watcher's list of addresses to read (lib/payments/watch-set.ts).
    index("invoices_network_watch_idx").on(t.network, t.livemode, t.expiresAt),
    check("invoices_title_length", sql`char_length(${t.title}) between 1 and 255`),
    check("invoices_description_length", sql`${t.description} is null or char_length(${t.description}) <= 1000`),
    check("invoices_subtotal_positive", sql`${t.subtotalMinor} > 0`),
    check("invoices_tax_nonnegative", sql`${t.taxMinor} >= 0`),
    check("invoices_total_is_subtotal_plus_tax", sql`${t.totalMinor} = ${t.subtotalMinor} + ${t.taxMinor}`),
    check("invoices_crypto_amount_positive", sql`${t.cryptoAmount} > 0`),
    check("invoices_amount_received_nonnegative", sql`${t.amountReceived} >= 0`),
    check("invoices_underpayment_range", sql`${t.underpaymentThresholdBps} between 0 and 100`),
    check("invoices_overpayment_range", sql`${t.overpaymentThresholdBps} between 0 and 10000`),
    check("invoices_required_confirmations_nonnegative", sql`${t.requiredConfirmations} >= 0`),
    check("invoices_expires_after_created", sql`${t.expiresAt} > ${t.createdAt}`),
    check(
      "invoices_currency_network",
      sql`(${t.cryptoCurrency} = 'BTC' and ${t.network} = 'bitcoin') or (${t.cryptoCurrency} = 'ETH' and ${t.network} = 'ethereum') or (${t.cryptoCurrency} = 'USDT' and ${t.network} in ('ethereum', 'tron'))`,
    ),
    check("invoices_paid_at_when_paid", sql`${t.status} not in ('paid', 'refunded') or ${t.paidAt} is not null`),
  ],
);

export const invoiceItems = pgTable(
  "invoice_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    invoiceId: uuid("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    description: text("description").notNull(),
    quantity: integer("quantity").notNull(),
    unitPriceMinor: bigint("unit_price_minor", { mode: "bigint" }).notNull(),
    amountMinor: bigint("amount_minor", { mode: "bigint" }).notNull(),
  },
  (t) => [
    uniqueIndex("invoice_items_invoice_position_key").on(t.invoiceId, t.position),
    check("invoice_items_description_length", sql`char_length(${t.description}) between 1 and 500`),
    check("invoice_items_quantity_positive", sql`${t.quantity} > 0`),
    check("invoice_items_unit_price_positive", sql`${t.unitPriceMinor} > 0`),
    check("invoice_items_amount", sql`${t.amountMinor} = ${t.quantity} * ${t.unitPriceMinor}`),
  ],
);

/** A chain transfer to an invoice address, stored once per (network, tx hash, output/log index). */
export const payments = pgTable(
  "payments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    invoiceId: uuid("invoice_id")
      .notNull()
      .references(() => invoices.id),
    network: networkEnum("network").notNull(),
    txHash: text("tx_hash").notNull(),
    /** Bitcoin output index (vout) or EVM/Tron log index; 0 for a native ETH transfer. */
    outputIndex: integer("output_index").notNull(),
    asset: cryptoCurrencyEnum("asset").notNull(),
    amount: cryptoAmount("amount").notNull(),
    fromAddress: text("from_address"),
    toAddress: text("to_address").notNull(),
    status: paymentStatusEnum("status").notNull().default("detected"),
    confirmations: integer("confirmations").notNull().default(0),
    requiredConfirmations: integer("required_confirmations").notNull(),
    blockNumber: bigint("block_number", { mode: "bigint" }),
    blockHash: text("block_hash"),
    /** When the including block was mined: a payment mined before expiry is on time even if seen later. */
    blockTimestamp: timestamp("block_timestamp", { withTimezone: true }),
    networkFee: cryptoAmount("network_fee"),
    failureReason: text("failure_reason"),
    hotWalletId: uuid("hot_wallet_id").references(() => hotWallets.id),
    detectedAt: timestamp("detected_at", { withTimezone: true }).notNull().defaultNow(),
    /** When the chain last showed the transfer (a block or the mempool): a payment unseen for long enough fails. */
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("payments_transfer_key").on(t.network, t.txHash, t.outputIndex),
    index("payments_invoice_idx").on(t.invoiceId, t.detectedAt),
    index("payments_open_idx")
      .on(t.network, t.status)
      .where(sql`${t.status} in ('detected', 'confirming', 'orphaned')`),
    index("payments_detected_at_brin").using("brin", t.detectedAt),
    check("payments_amount_positive", sql`${t.amount} > 0`),
    check("payments_confirmations_nonnegative", sql`${t.confirmations} >= 0`),
    check("payments_required_confirmations_nonnegative", sql`${t.requiredConfirmations} >= 0`),
    check("payments_output_index_nonnegative", sql`${t.outputIndex} >= 0`),
    check("payments_block_number_positive", sql`${t.blockNumber} is null or ${t.blockNumber} > 0`),
    check("payments_network_fee_positive", sql`${t.networkFee} is null or ${t.networkFee} > 0`),
    check("payments_confirmed_at_when_confirmed", sql`${t.status} <> 'confirmed' or ${t.confirmedAt} is not null`),
  ],
);

export const auditEntries = pgTable(
  "audit_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    merchantId: uuid("merchant_id").references(() => merchants.id),
    invoiceId: uuid("invoice_id").references(() => invoices.id),
    event: text("event").notNull(),
    actorType: auditActorEnum("actor_type").notNull(),
    actorId: text("actor_id"),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    requestId: text("request_id"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_entries_invoice_idx").on(t.invoiceId, t.createdAt),
    index("audit_entries_merchant_idx").on(t.merchantId, t.createdAt),
    check("audit_entries_event_format", sql`${t.event} ~ '^[a-z][a-z0-9_.]*$'`),
  ],
);

/**
 * A reusable payment link: a merchant-defined product and price. Every visit mints a fresh
 * invoice (with its own address) from it, so one link can be shared anywhere.
 */
export const paymentLinks = pgTable(
  "payment_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    merchantId: uuid("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    livemode: boolean("livemode").notNull(),
    title: text("title").notNull(),
    description: text("description"),
    fiatCurrency: fiatCurrencyEnum("fiat_currency").notNull(),
    priceMinor: bigint("price_minor", { mode: "bigint" }).notNull(),
    cryptoCurrency: cryptoCurrencyEnum("crypto_currency").notNull(),
    network: networkEnum("network").notNull(),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("payment_links_merchant_idx").on(t.merchantId, t.createdAt),
    check("payment_links_title_length", sql`char_length(${t.title}) between 1 and 255`),
    check("payment_links_description_length", sql`${t.description} is null or char_length(${t.description}) <= 1000`),
    check("payment_links_price_positive", sql`${t.priceMinor} > 0`),
    check(
      "payment_links_currency_network",
      sql`(${t.cryptoCurrency} = 'BTC' and ${t.network} = 'bitcoin') or (${t.cryptoCurrency} = 'ETH' and ${t.network} = 'ethereum') or (${t.cryptoCurrency} = 'USDT' and ${t.network} in ('ethereum', 'tron'))`,
    ),
  ],
);
