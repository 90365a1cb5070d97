import { sql } from "drizzle-orm";
import { check, index, jsonb, numeric, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { cryptoCurrencyEnum, fiatCurrencyEnum, updatedAt } from "./common";
import { merchants } from "./merchants";

/** System Configuration context: platform settings and the exchange rates it provides. */

export type ProviderConfig = { id: string; enabled: boolean; priority: number; baseUrl?: string };
export type NetworkConfig = {
  network: "bitcoin" | "ethereum" | "tron";
  testnet: boolean;
  rpcUrl?: string;
  apiUrl?: string;
  /** Confirmations required by amount tier: the first tier whose upTo (fiat minor units) covers the amount. */
  confirmationTiers: { upToMinor: string | null; confirmations: number }[];
};
export type PaymentSettings = {
  defaultExpiryMinutes: number;
  partialPaymentGraceMinutes: number;
  rateLockMinutes: number;
};
export type SecuritySettings = {
  allowPrivateWebhookTargets: boolean;
  allowHttpWebhooksToLocalhost: boolean;
  apiRateLimitPerMinute: number;
};

export const systemConfiguration = pgTable(
  "system_configuration",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    exchangeRateProviders: jsonb("exchange_rate_providers").$type<ProviderConfig[]>().notNull(),
    blockchainNetworks: jsonb("blockchain_networks").$type<NetworkConfig[]>().notNull(),
    paymentSettings: jsonb("payment_settings").$type<PaymentSettings>().notNull(),
    securitySettings: jsonb("security_settings").$type<SecuritySettings>().notNull(),
    featureFlags: jsonb("feature_flags").$type<Record<string, boolean>>().notNull().default({}),
    /** The merchant the storefront sells through (its invoices pay for marketplace accounts). */
    storeMerchantId: uuid("store_merchant_id").references(() => merchants.id, { onDelete: "set null" }),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("system_configuration_min_provider", sql`jsonb_array_length(${t.exchangeRateProviders}) >= 1`),
    check("system_configuration_min_network", sql`jsonb_array_length(${t.blockchainNetworks}) >= 1`),
  ],
);

/** A quote from a provider (or the median of several), lockable by invoices until it expires. */
export const exchangeRates = pgTable(
  "exchange_rates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    fromCurrency: fiatCurrencyEnum("from_currency").notNull(),
    toCurrency: cryptoCurrencyEnum("to_currency").notNull(),
    /** Price of one whole unit of toCurrency in fromCurrency, as an exact decimal. */
    rate: numeric("rate", { precision: 38, scale: 18 }).notNull(),
    source: text("source").notNull(),
    lockedAt: timestamp("locked_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("exchange_rates_pair_locked_idx").on(t.fromCurrency, t.toCurrency, t.lockedAt.desc()),
    check("exchange_rates_rate_positive", sql`${t.rate} > 0`),
    check("exchange_rates_expiry_after_lock", sql`${t.expiresAt} > ${t.lockedAt}`),
  ],
);
