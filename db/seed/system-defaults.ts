import type { NetworkConfig, PaymentSettings, ProviderConfig, SecuritySettings } from "@/db/schema";

/** The SystemConfiguration a new installation starts with; admins change it later. */
export const DEFAULT_SYSTEM_CONFIGURATION: {
  exchangeRateProviders: ProviderConfig[];
  blockchainNetworks: NetworkConfig[];
  paymentSettings: PaymentSettings;
  securitySettings: SecuritySettings;
  featureFlags: Record<string, boolean>;
} = {
  exchangeRateProviders: [
    { id: "coingecko", enabled: true, priority: 1 },
    { id: "binance", enabled: true, priority: 2 },
    { id: "kraken", enabled: true, priority: 3 },
    { id: "static", enabled: true, priority: 99 },
  ],
  blockchainNetworks: [
    // Tiers are in USD cents of the invoice total: larger amounts wait for deeper confirmation.
    { network: "bitcoin", testnet: false, apiUrl: "https://mempool.space/api", confirmationTiers: [{ upToMinor: "100000", confirmations: 1 }, { upToMinor: "1000000", confirmations: 2 }, { upToMinor: null, confirmations: 6 }] },
    { network: "ethereum", testnet: false, confirmationTiers: [{ upToMinor: "100000", confirmations: 6 }, { upToMinor: "1000000", confirmations: 12 }, { upToMinor: null, confirmations: 32 }] },
    { network: "tron", testnet: false, apiUrl: "https://api.trongrid.io", confirmationTiers: [{ upToMinor: null, confirmations: 19 }] },
  ],
  paymentSettings: { defaultExpiryMinutes: 30, partialPaymentGraceMinutes: 15, rateLockMinutes: 15 },
  securitySettings: { allowPrivateWebhookTargets: false, allowHttpWebhooksToLocalhost: false, apiRateLimitPerMinute: 120 },
  featureFlags: { hostedCheckout: true, telegramContact: true, quotaAutoRefresh: true },
};
