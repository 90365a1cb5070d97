import { mnemonicToSeedSync } from "@scure/bip39";
import { HDKey } from "@scure/bip32";
import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { setDatabaseForTesting } from "@/db";
import { exchangeRates, merchants, systemConfiguration } from "@/db/schema";
import { DEFAULT_SYSTEM_CONFIG, invalidateSystemConfig } from "@/lib/system-config";
import { createTestDatabase } from "./test-db";
import type { AuditContext } from "@/lib/audit";
import type { ApiPermission, PlanType } from "@/lib/domain";
import { signUpMerchant } from "@/lib/merchants/accounts";
import { createApiKey } from "@/lib/merchants/api-keys";
import { configureMerchantWallet } from "@/lib/merchants/wallets";

/** Test merchants with keys and wallets derived from the BIP39 test mnemonic ("abandon … about"). */

export const TEST_MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const seed = mnemonicToSeedSync(TEST_MNEMONIC);
const VPUB = { private: 0x045f18bc, public: 0x045f1cf6 };
const ZPUB = { private: 0x04b2430c, public: 0x04b24746 };

/** Account-level public keys for account `n` (each merchant gets its own account number). */
export function walletKeys(account: number) {
  const xpub = (path: string, versions?: { private: number; public: number }) =>
    HDKey.fromMasterSeed(seed, versions).derive(path).publicExtendedKey;
  return {
    bitcoinTest: xpub(`m/84'/1'/${account}'`, VPUB),
    bitcoinLive: xpub(`m/84'/0'/${account}'`, ZPUB),
    ethereum: xpub(`m/44'/60'/${account}'`),
    tron: xpub(`m/44'/195'/${account}'`),
    // One key per network and mode: live and test invoices must never share an address.
    ethereumLive: xpub(`m/44'/60'/${account + 1000}'`),
    tronLive: xpub(`m/44'/195'/${account + 1000}'`),
  };
}

export const MERCHANT_AUDIT: AuditContext = { actor: { type: "merchant" }, ipAddress: "198.51.100.7", userAgent: "vitest" };

export const ALL_TEST_PERMISSIONS: ApiPermission[] = [
  "invoices:read",
  "invoices:write",
  "customers:read",
  "customers:write",
];

let counter = 0;

export async function createTestMerchant(
  db: Db,
  options: { plan?: PlanType; status?: "active" | "pending_verification" | "suspended" | "closed"; account?: number; wallets?: boolean } = {},
) {
  counter += 1;
  const account = options.account ?? counter;
  const principal = await signUpMerchant(db, {
    businessName: `Merchant ${account}`,
    contactEmail: `merchant${account}-${Date.now()}@example.com`,
    password: "a-long-merchant-password",
  });
  const merchantId = principal.merchantId;
  await db
    .update(merchants)
    .set({ status: options.status ?? "active", planType: options.plan ?? "pro" })
    .where(eq(merchants.id, merchantId));
  if (options.wallets !== false) {
    const keys = walletKeys(account);
    for (const [network, mode, key] of [
      ["bitcoin", "test", keys.bitcoinTest],
      ["bitcoin", "live", keys.bitcoinLive],
      ["ethereum", "test", keys.ethereum],
      ["ethereum", "live", keys.ethereumLive],
      ["tron", "test", keys.tron],
      ["tron", "live", keys.tronLive],
    ] as const) {
      await configureMerchantWallet(db, merchantId, { network, mode, extendedPublicKey: key }, MERCHANT_AUDIT);
    }
  }
  return { merchantId, account };
}

export async function createTestKey(
  db: Db,
  merchantId: string,
  keyType: "live" | "test" = "test",
  permissions: ApiPermission[] = ALL_TEST_PERMISSIONS,
) {
  return createApiKey(db, merchantId, { name: `${keyType} key`, keyType, permissions, expiresAt: null }, MERCHANT_AUDIT);
}

export const TEST_RATES: Record<string, Record<string, string>> = {
  USD: { BTC: "97000", ETH: "3400", USDT: "1" },
  EUR: { BTC: "92000", ETH: "3220.5", USDT: "0.95" },
  CNY: { BTC: "700000", ETH: "24500", USDT: "7.2" },
};

export async function seedFreshRates(db: Db, now = new Date()) {
  for (const [fiat, byCrypto] of Object.entries(TEST_RATES)) {
    for (const [crypto, rate] of Object.entries(byCrypto)) {
      await db.insert(exchangeRates).values({
        fromCurrency: fiat as "USD",
        toCurrency: crypto as "BTC",
        rate,
        source: "median(test)",
        lockedAt: now,
        expiresAt: new Date(now.getTime() + 60 * 60_000),
      });
    }
  }
}

/**
 * A test database that the route handlers use, with the system configuration the API tests need:
 * no rate provider that could reach the network, fresh stored rates, and the given rate limit.
 */
export async function openApiTestDatabase(apiRateLimitPerMinute: number) {
  const h = await createTestDatabase();
  setDatabaseForTesting(h);
  await h.db.insert(systemConfiguration).values({
    ...DEFAULT_SYSTEM_CONFIG,
    exchangeRateProviders: [{ id: "static", enabled: false, priority: 1 }],
    securitySettings: { ...DEFAULT_SYSTEM_CONFIG.securitySettings, apiRateLimitPerMinute },
  });
  invalidateSystemConfig(h.db);
  await seedFreshRates(h.db);
  return h;
}
