import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { API_KEY_TYPES, MERCHANT_STATUSES, PLAN_TYPES } from "@/lib/domain";
import { createdAt, networkEnum, updatedAt } from "./common";

/** Merchant Management context: Merchant aggregate with ApiKey, WebhookEndpoint, payout settings. */

export const merchantStatusEnum = pgEnum("merchant_status", MERCHANT_STATUSES);
export const planTypeEnum = pgEnum("plan_type", PLAN_TYPES);
export const apiKeyTypeEnum = pgEnum("api_key_type", API_KEY_TYPES);
export const apiKeyStatusEnum = pgEnum("api_key_status", ["active", "revoked", "expired"]);
export const endpointStatusEnum = pgEnum("webhook_endpoint_status", ["active", "disabled", "failed"]);
export const backoffStrategyEnum = pgEnum("retry_backoff", ["linear", "exponential"]);
export const overpaymentActionEnum = pgEnum("overpayment_action", ["credit", "refund", "donate"]);

export type MerchantSettings = {
  defaultExpiryMinutes?: number;
  redirectUrl?: string;
  notifyEmail?: string;
};

export const merchants = pgTable(
  "merchants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    businessName: text("business_name").notNull(),
    contactEmail: text("contact_email").notNull(),
    passwordHash: text("password_hash"),
    status: merchantStatusEnum("status").notNull().default("pending_verification"),
    planType: planTypeEnum("plan_type").notNull().default("free"),
    settings: jsonb("settings").$type<MerchantSettings>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("merchants_contact_email_key").on(sql`lower(${t.contactEmail})`),
    check("merchants_business_name_length", sql`char_length(${t.businessName}) between 2 and 255`),
    check("merchants_contact_email_format", sql`${t.contactEmail} ~ '^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$'`),
  ],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    merchantId: uuid("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    /** SHA-256 of the whole key, hex. The key itself is shown once and never stored. */
    keyHash: text("key_hash").notNull(),
    /** The first characters of the key (e.g. "sk_live_AbCd"), so a merchant can tell keys apart. */
    keyPrefix: text("key_prefix").notNull(),
    keyType: apiKeyTypeEnum("key_type").notNull(),
    permissions: text("permissions").array().notNull().default(sql`'{}'::text[]`),
    status: apiKeyStatusEnum("status").notNull().default("active"),
    name: text("name"),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("api_keys_key_hash_key").on(t.keyHash),
    index("api_keys_merchant_idx").on(t.merchantId, t.createdAt),
    check("api_keys_name_length", sql`${t.name} is null or char_length(${t.name}) between 1 and 100`),
    check("api_keys_key_hash_format", sql`${t.keyHash} ~ '^[0-9a-f]{64}$'`),
  ],
);

export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    merchantId: uuid("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    events: text("events").array().notNull().default(sql`'{}'::text[]`),
    /** The signing secret, envelope-encrypted (it must be recoverable to sign, so not hashed). */
    secretCiphertext: text("secret_ciphertext").notNull(),
    secretLast4: text("secret_last4").notNull(),
    status: endpointStatusEnum("status").notNull().default("active"),
    maxRetries: integer("max_retries").notNull().default(5),
    retryBackoff: backoffStrategyEnum("retry_backoff").notNull().default("exponential"),
    timeoutSeconds: integer("timeout_seconds").notNull().default(10),
    allowedIps: text("allowed_ips").array().notNull().default(sql`'{}'::text[]`),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("webhook_endpoints_merchant_idx").on(t.merchantId),
    check("webhook_endpoints_max_retries_range", sql`${t.maxRetries} between 1 and 10`),
    check("webhook_endpoints_timeout_range", sql`${t.timeoutSeconds} between 5 and 60`),
    check("webhook_endpoints_url_scheme", sql`${t.url} ~ '^https?://'`),
  ],
);

/** One row per merchant (1:1): where and how funds settle, and the default payment policy. */
export const merchantPayoutSettings = pgTable(
  "merchant_payout_settings",
  {
    merchantId: uuid("merchant_id")
      .primaryKey()
      .references(() => merchants.id, { onDelete: "cascade" }),
    /** Underpayment tolerance in basis points of the amount due: 0..100 (0-1.00 %). */
    underpaymentThresholdBps: integer("underpayment_threshold_bps").notNull().default(50),
    /** Overpayment tolerance in basis points: 0..10000 (0-100.00 %). */
    overpaymentThresholdBps: integer("overpayment_threshold_bps").notNull().default(100),
    overpaymentAction: overpaymentActionEnum("overpayment_action").notNull().default("credit"),
    invoiceExpiryMinutes: integer("invoice_expiry_minutes").notNull().default(30),
    partialPaymentGraceMinutes: integer("partial_payment_grace_minutes").notNull().default(15),
    redirectUrl: text("redirect_url"),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("payout_underpayment_range", sql`${t.underpaymentThresholdBps} between 0 and 100`),
    check("payout_overpayment_range", sql`${t.overpaymentThresholdBps} between 0 and 10000`),
    check("payout_expiry_range", sql`${t.invoiceExpiryMinutes} between 5 and 10080`),
    check("payout_grace_range", sql`${t.partialPaymentGraceMinutes} between 0 and 1440`),
  ],
);

/**
 * Non-custodial address derivation: the merchant's extended public key per network and mode,
 * with the next unused child index (allocated transactionally, never reused).
 */
export const merchantWallets = pgTable(
  "merchant_wallets",
  {
    merchantId: uuid("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    network: networkEnum("network").notNull(),
    mode: text("mode", { enum: ["live", "test"] }).notNull(),
    extendedPublicKey: text("extended_public_key").notNull(),
    payoutAddress: text("payout_address"),
    nextIndex: integer("next_index").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.network, t.mode] }),
    // One key, one owner: two merchants deriving from one key would be handed the same addresses.
    uniqueIndex("merchant_wallets_key_unique").on(t.network, t.extendedPublicKey),
    check("merchant_wallets_next_index_nonnegative", sql`${t.nextIndex} >= 0`),
  ],
);

/** Merchant dashboard sessions: the SHA-256 of a random token carried in the merchant's cookie. */
export const merchantSessions = pgTable(
  "merchant_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    merchantId: uuid("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    token: text("token").notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("merchant_sessions_token_key").on(t.token),
    index("merchant_sessions_merchant_idx").on(t.merchantId),
    index("merchant_sessions_expires_idx").on(t.expiresAt),
    check("merchant_sessions_expiry_after_creation", sql`${t.expiresAt} > ${t.createdAt}`),
  ],
);
