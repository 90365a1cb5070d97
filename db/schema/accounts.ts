import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, fiatCurrencyEnum, tsvector, updatedAt } from "./common";
import type { SQL } from "drizzle-orm";
import {
  ACCOUNT_STATUSES,
  CLAUDE_MODELS,
  QUOTA_LEVELS,
  type AccountStatus,
  type ClaudeModel,
  type QuotaLevel,
} from "@/lib/domain";

/** Account Management and Catalog contexts: AWS accounts with Claude quotas on Bedrock. */

const tuple = <T extends string>(values: readonly T[]) => values as unknown as [T, ...T[]];

export const accountStatusEnum = pgEnum("account_status", tuple<AccountStatus>(ACCOUNT_STATUSES));
export const quotaLevelEnum = pgEnum("quota_level", tuple<QuotaLevel>(QUOTA_LEVELS));
export const claudeModelEnum = pgEnum("claude_model", tuple<ClaudeModel>(CLAUDE_MODELS));

export const accounts = pgTable(
  "accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    displayName: text("display_name").notNull(),
    status: accountStatusEnum("status").notNull().default("MAINTENANCE"),
    priceMinor: bigint("price_minor", { mode: "bigint" }).notNull(),
    priceCurrency: fiatCurrencyEnum("price_currency").notNull().default("USD"),
    instructions: text("instructions").notNull().default(""),
    features: text("features").array().notNull().default(sql`'{}'::text[]`),
    limitations: text("limitations").array().notNull().default(sql`'{}'::text[]`),
    regions: text("regions").array().notNull().default(sql`'{}'::text[]`),
    /**
     * AWS access key id and secret, envelope-encrypted together: AES-256-GCM under a per-account
     * data key (account id as associated data); the data key is wrapped by the key-encryption key
     * named by credentialsKeyId. Only the last four characters of the access key id are kept clear.
     */
    credentialsCiphertext: text("credentials_ciphertext"),
    wrappedDataKey: text("wrapped_data_key"),
    credentialsKeyId: text("credentials_key_id"),
    accessKeyLast4: text("access_key_last4"),
    // QuotaProfile summary; the per-model rows live in account_model_quotas.
    quotaLevel: quotaLevelEnum("quota_level").notNull().default("LOW"),
    quotaUpdatedAt: timestamp("quota_updated_at", { withTimezone: true }),
    quotaError: text("quota_error"),
    quotaErrorAt: timestamp("quota_error_at", { withTimezone: true }),
    needsReview: boolean("needs_review").notNull().default(false),
    suggestedPriceMinor: bigint("suggested_price_minor", { mode: "bigint" }),
    soldAt: timestamp("sold_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    search: tsvector("search").generatedAlwaysAs(
      (): SQL =>
        sql`to_tsvector('simple', coalesce(${accounts.name}, '') || ' ' || coalesce(${accounts.displayName}, '') || ' ' || coalesce(${accounts.instructions}, ''))`,
    ),
  },
  (t) => [
    index("accounts_status_price_idx").on(t.status, t.priceMinor),
    index("accounts_level_idx").on(t.quotaLevel, t.status),
    index("accounts_created_idx").on(t.createdAt),
    index("accounts_search_idx").using("gin", t.search),
    check("accounts_name_length", sql`char_length(${t.name}) between 1 and 120`),
    check("accounts_display_name_length", sql`char_length(${t.displayName}) between 1 and 200`),
    check("accounts_price_positive", sql`${t.priceMinor} > 0`),
    check(
      "accounts_credentials_complete",
      sql`(${t.credentialsCiphertext} is null) = (${t.wrappedDataKey} is null) and (${t.credentialsCiphertext} is null) = (${t.credentialsKeyId} is null)`,
    ),
    check("accounts_sold_at_when_sold", sql`${t.status} <> 'SOLD' or ${t.soldAt} is not null`),
  ],
);

/** ModelQuota rows of an account's current QuotaProfile. */
export const accountModelQuotas = pgTable(
  "account_model_quotas",
  {
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    model: claudeModelEnum("model").notNull(),
    rpm: integer("rpm").notNull(),
    tpm: bigint("tpm", { mode: "number" }).notNull(),
    tpd: bigint("tpd", { mode: "number" }).notNull(),
    available: boolean("available").notNull().default(true),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.model] }),
    index("account_model_quotas_model_idx").on(t.model, t.tpm),
    check("account_model_quotas_nonnegative", sql`${t.rpm} >= 0 and ${t.tpm} >= 0 and ${t.tpd} >= 0`),
  ],
);
