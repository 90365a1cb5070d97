import type { Executor } from "@/db";
import { systemConfiguration } from "@/db/schema";
import type { NetworkConfig, PaymentSettings, ProviderConfig, SecuritySettings } from "@/db/schema";

/**
 * The SystemConfiguration row, read through a short cache so a busy API does not query it on
 * every request. A change takes effect without a restart: the process that saves it drops its
 * cache at once (lib/system-config-update.ts), and every other process (other app instances, the
 * worker) reads the new row within SYSTEM_CONFIG_CACHE_MS.
 */

export type SystemConfig = {
  exchangeRateProviders: ProviderConfig[];
  blockchainNetworks: NetworkConfig[];
  paymentSettings: PaymentSettings;
  securitySettings: SecuritySettings;
  featureFlags: Record<string, boolean>;
};

export const DEFAULT_SYSTEM_CONFIG: SystemConfig = {
  exchangeRateProviders: [
    { id: "coingecko", enabled: true, priority: 1 },
    { id: "binance", enabled: true, priority: 2 },
    { id: "kraken", enabled: true, priority: 3 },
    { id: "static", enabled: true, priority: 99 },
  ],
  blockchainNetworks: [
    // Tiers are in minor units of the invoice's fiat total: larger amounts wait for deeper confirmation.
    { network: "bitcoin", testnet: false, apiUrl: "https://mempool.space/api", confirmationTiers: [{ upToMinor: "100000", confirmations: 1 }, { upToMinor: "1000000", confirmations: 2 }, { upToMinor: null, confirmations: 6 }] },
    { network: "ethereum", testnet: false, confirmationTiers: [{ upToMinor: "100000", confirmations: 6 }, { upToMinor: "1000000", confirmations: 12 }, { upToMinor: null, confirmations: 32 }] },
    { network: "tron", testnet: false, apiUrl: "https://api.trongrid.io", confirmationTiers: [{ upToMinor: null, confirmations: 19 }] },
  ],
  paymentSettings: { defaultExpiryMinutes: 30, partialPaymentGraceMinutes: 15, rateLockMinutes: 15 },
  securitySettings: { allowPrivateWebhookTargets: false, allowHttpWebhooksToLocalhost: false, apiRateLimitPerMinute: 120 },
  featureFlags: { hostedCheckout: true, telegramContact: true, quotaAutoRefresh: true },
};

export const SYSTEM_CONFIG_CACHE_MS = 5_000;
const CACHE_MS = SYSTEM_CONFIG_CACHE_MS;
type CacheEntry = { at: number; config: SystemConfig };
const cache = new WeakMap<object, CacheEntry>();

export async function loadSystemConfig(db: Executor): Promise<SystemConfig> {
  const [row] = await db.select().from(systemConfiguration).limit(1);
  return row ? systemConfigFromRow(row) : DEFAULT_SYSTEM_CONFIG;
}

/** The stored row as a SystemConfig, with the defaults filling settings added since it was written. */
export function systemConfigFromRow(row: typeof systemConfiguration.$inferSelect): SystemConfig {
  return {
    exchangeRateProviders: row.exchangeRateProviders,
    blockchainNetworks: row.blockchainNetworks,
    paymentSettings: { ...DEFAULT_SYSTEM_CONFIG.paymentSettings, ...row.paymentSettings },
    securitySettings: { ...DEFAULT_SYSTEM_CONFIG.securitySettings, ...row.securitySettings },
    featureFlags: row.featureFlags ?? {},
  };
}

export async function getSystemConfig(db: Executor, now = Date.now()): Promise<SystemConfig> {
  const hit = cache.get(db);
  if (hit && now - hit.at < CACHE_MS) return hit.config;
  const config = await loadSystemConfig(db);
  cache.set(db, { at: now, config });
  return config;
}

export function invalidateSystemConfig(db: Executor): void {
  cache.delete(db);
}
