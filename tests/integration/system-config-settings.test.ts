import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { auditEntries, systemConfiguration } from "@/db/schema";
import { DomainError } from "@/lib/domain";
import type { AdminRequestContext } from "@/lib/merchants/admin-commands";
import { loadProviderConfig } from "@/lib/rates/service";
import { DEFAULT_SYSTEM_CONFIG, getSystemConfig, invalidateSystemConfig, loadSystemConfig, SYSTEM_CONFIG_CACHE_MS } from "@/lib/system-config";
import { maskUrl, parseFeatureFlagsForm, parseNetworkForm, parsePaymentSettingsForm, SystemConfigInputError } from "@/lib/system-config-input";
import { moveProvider, toggleProvider, updateSystemConfigSection } from "@/lib/system-config-update";
import { createTestAdmin } from "../helpers/admin-fixtures";
import { api } from "../helpers/api-client";
import { createTestKey, createTestMerchant, openApiTestDatabase } from "../helpers/merchant-fixtures";
import { targetName } from "../helpers/test-db";

const INFURA = "https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef";

async function refusal(promise: Promise<unknown>): Promise<SystemConfigInputError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(SystemConfigInputError);
  return error as SystemConfigInputError;
}

describe(`system configuration changes (${targetName()})`, () => {
  let h: DatabaseHandle;
  let actor: AdminRequestContext;
  const configAudits = () => h.db.select().from(auditEntries).where(and(isNull(auditEntries.merchantId), eq(auditEntries.event, "system_config.updated"))).orderBy(auditEntries.createdAt);

  beforeAll(async () => {
    h = await openApiTestDatabase(10_000);
    actor = { adminId: await createTestAdmin(h.db), ipAddress: "198.51.100.20", userAgent: "vitest-admin" };
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await h.db.delete(auditEntries).where(eq(auditEntries.event, "system_config.updated"));
  });

  it("saves a section, audits its before and after with the admin as actor, and the next read sees it", async () => {
    const cached = await getSystemConfig(h.db);
    expect(cached.paymentSettings.defaultExpiryMinutes).toBe(30);
    const result = await updateSystemConfigSection(h.db, "paymentSettings", (p) => ({ ...p, defaultExpiryMinutes: 45 }), actor);
    expect(result).toEqual({ changed: true, value: { defaultExpiryMinutes: 45, partialPaymentGraceMinutes: 15, rateLockMinutes: 15 } });
    // No restart, no wait: this process dropped its cached copy on save.
    expect((await getSystemConfig(h.db)).paymentSettings.defaultExpiryMinutes).toBe(45);
    const [audit] = await configAudits();
    expect(audit).toMatchObject({ actorType: "admin", actorId: actor.adminId, ipAddress: "198.51.100.20", merchantId: null });
    expect(audit!.data).toEqual({
      section: "paymentSettings",
      before: { defaultExpiryMinutes: 30, partialPaymentGraceMinutes: 15, rateLockMinutes: 15 },
      after: { defaultExpiryMinutes: 45, partialPaymentGraceMinutes: 15, rateLockMinutes: 15 },
    });
    // Saving the same values again changes nothing and audits nothing.
    expect((await updateSystemConfigSection(h.db, "paymentSettings", (p) => ({ ...p }), actor)).changed).toBe(false);
    expect(await configAudits()).toHaveLength(1);
  });

  it("another process's change reaches this one within the cache time", async () => {
    const start = Date.now();
    invalidateSystemConfig(h.db);
    const before = (await getSystemConfig(h.db, start)).paymentSettings.rateLockMinutes;
    // As another instance would: write the row without touching this process's cache.
    const [row] = await h.db.select().from(systemConfiguration).limit(1);
    await h.db.update(systemConfiguration).set({ paymentSettings: { ...row!.paymentSettings, rateLockMinutes: before + 1 } }).where(eq(systemConfiguration.id, row!.id));
    expect((await getSystemConfig(h.db, start + SYSTEM_CONFIG_CACHE_MS - 1)).paymentSettings.rateLockMinutes).toBe(before);
    expect((await getSystemConfig(h.db, start + SYSTEM_CONFIG_CACHE_MS)).paymentSettings.rateLockMinutes).toBe(before + 1);
  });

  it("a lower API rate limit applies to the very next API request", async () => {
    const { merchantId } = await createTestMerchant(h.db, { plan: "free", wallets: false });
    const { key } = await createTestKey(h.db, merchantId);
    expect((await api("GET", "/api/v1/invoices", { key })).status).toBe(200);
    await updateSystemConfigSection(h.db, "securitySettings", (s) => ({ ...s, apiRateLimitPerMinute: 2 }), actor);
    const second = await api("GET", "/api/v1/invoices", { key });
    expect(second.headers.get("x-ratelimit-limit")).toBe("2");
    expect((await api("GET", "/api/v1/invoices", { key })).status).toBe(429);
    await updateSystemConfigSection(h.db, "securitySettings", (s) => ({ ...s, apiRateLimitPerMinute: 10_000 }), actor);
  });

  it("refuses out-of-range values naming the field, and leaves the stored value and the audit alone", async () => {
    const before = await loadSystemConfig(h.db);
    for (const [patch, field] of [
      [{ defaultExpiryMinutes: 4 }, "defaultExpiryMinutes"],
      [{ partialPaymentGraceMinutes: -1 }, "partialPaymentGraceMinutes"],
      [{ rateLockMinutes: 1.5 }, "rateLockMinutes"],
    ] as const) {
      const error = await refusal(updateSystemConfigSection(h.db, "paymentSettings", (p) => ({ ...p, ...patch }), actor));
      expect(Object.keys(error.fieldErrors)).toEqual([field]);
    }
    const security = await refusal(updateSystemConfigSection(h.db, "securitySettings", (s) => ({ ...s, apiRateLimitPerMinute: 0 }), actor));
    expect(security.fieldErrors).toEqual({ apiRateLimitPerMinute: "The rate limit must be at least 1." });
    expect(await loadSystemConfig(h.db)).toEqual(before);
    expect(await configAudits()).toHaveLength(0);

    // The form parser reports every bad field at once.
    const form = parsePaymentSettingsForm({ defaultExpiryMinutes: "ten", partialPaymentGraceMinutes: "2000", rateLockMinutes: "" });
    expect(form).toEqual({
      ok: false,
      fieldErrors: {
        defaultExpiryMinutes: "Enter the default expiry as a number.",
        partialPaymentGraceMinutes: "The grace period must be at most 1,440.",
        rateLockMinutes: "Enter the rate lock as a number.",
      },
    });
  });

  it("enables, disables and reorders providers; the rate service reads the new order; the last enabled one stays", async () => {
    await updateSystemConfigSection(h.db, "exchangeRateProviders", () => DEFAULT_SYSTEM_CONFIG.exchangeRateProviders, actor);
    await updateSystemConfigSection(h.db, "exchangeRateProviders", (p) => moveProvider(p, "kraken", "up"), actor);
    await updateSystemConfigSection(h.db, "exchangeRateProviders", (p) => moveProvider(p, "kraken", "up"), actor);
    await updateSystemConfigSection(h.db, "exchangeRateProviders", (p) => toggleProvider(p, "binance", false), actor);
    expect((await loadProviderConfig(h.db)).map((p) => [p.id, p.enabled, p.priority])).toEqual([
      ["kraken", true, 1],
      ["coingecko", true, 2],
      ["binance", false, 3],
      ["static", true, 4],
    ]);
    // Moving the first one up is a no-op, not an error.
    expect((await updateSystemConfigSection(h.db, "exchangeRateProviders", (p) => moveProvider(p, "kraken", "up"), actor)).changed).toBe(false);

    for (const id of ["kraken", "coingecko"]) await updateSystemConfigSection(h.db, "exchangeRateProviders", (p) => toggleProvider(p, id, false), actor);
    const error = await refusal(updateSystemConfigSection(h.db, "exchangeRateProviders", (p) => toggleProvider(p, "static", false), actor));
    expect(error.fieldErrors).toEqual({ exchangeRateProviders: "Keep at least one provider enabled, or no invoice can be priced." });
    expect((await loadProviderConfig(h.db)).find((p) => p.id === "static")!.enabled).toBe(true);
    await expect(updateSystemConfigSection(h.db, "exchangeRateProviders", (p) => toggleProvider(p, "nope", true), actor)).rejects.toBeInstanceOf(DomainError);
    await updateSystemConfigSection(h.db, "exchangeRateProviders", () => [{ id: "static", enabled: false, priority: 1 }, { id: "coingecko", enabled: true, priority: 2 }], actor);
  });

  it("edits a network: URL validated, tiers validated, a key in the URL never reaches the audit", async () => {
    const current = (await loadSystemConfig(h.db)).blockchainNetworks.find((n) => n.network === "ethereum")!;
    const tiers = { "tiers.0.upTo": "1,000.00", "tiers.0.confirmations": "6", "tiers.1.upTo": "", "tiers.1.confirmations": "", "tiers.2.upTo": "", "tiers.2.confirmations": "20" };
    expect(parseNetworkForm({ rpcUrl: "ftp://node.example", ...tiers }, current)).toEqual({ ok: false, fieldErrors: { rpcUrl: "Enter an http:// or https:// URL." } });
    // Every problem at once: the URL and a bound below the one before.
    expect(parseNetworkForm({ rpcUrl: "ftp://node.example", ...tiers, "tiers.1.upTo": "500", "tiers.1.confirmations": "12" }, current)).toEqual({
      ok: false,
      fieldErrors: { rpcUrl: "Enter an http:// or https:// URL.", "tiers.1.upTo": "Each bound must be above the one before." },
    });
    expect(parseNetworkForm({ rpcUrl: "", "tiers.0.upTo": "500", "tiers.0.confirmations": "6", "tiers.1.upTo": "400", "tiers.1.confirmations": "3" }, current)).toEqual({
      ok: false,
      fieldErrors: {
        "tiers.1.upTo": "Leave the last tier's bound empty: it covers every larger amount.",
        "tiers.1.confirmations": "Larger amounts cannot need fewer confirmations than smaller ones.",
      },
    });
    // Error keys point at the form row even when an empty row sits in between.
    expect(parseNetworkForm({ "tiers.0.upTo": "", "tiers.0.confirmations": "2", "tiers.2.confirmations": "x" }, current)).toMatchObject({ fieldErrors: { "tiers.2.confirmations": "Enter the confirmations as a whole number." } });

    const parsed = parseNetworkForm({ rpcUrl: INFURA, ...tiers }, current);
    expect(parsed).toEqual({ ok: true, value: { network: "ethereum", testnet: false, rpcUrl: INFURA, confirmationTiers: [{ upToMinor: "100000", confirmations: 6 }, { upToMinor: null, confirmations: 20 }] } });
    const save = (value: typeof current) => updateSystemConfigSection(h.db, "blockchainNetworks", (list) => list.map((n) => (n.network === value.network && n.testnet === value.testnet ? value : n)), actor);
    await save(parsed.ok ? parsed.value : current);
    expect((await getSystemConfig(h.db)).blockchainNetworks.find((n) => n.network === "ethereum")!.rpcUrl).toBe(INFURA);
    const [audit] = await configAudits();
    expect(JSON.stringify(audit!.data)).not.toContain("0123456789abcdef0123456789abcdef");
    expect(JSON.stringify(audit!.data)).toContain("https://mainnet.infura.io/… (sha256 ");

    // The page hides that URL: empty with "kept" keeps it, "remove" drops it.
    const stored = (await loadSystemConfig(h.db)).blockchainNetworks.find((n) => n.network === "ethereum")!;
    expect(maskUrl(INFURA)).toEqual({ display: "https://mainnet.infura.io/…", masked: true });
    expect(maskUrl("https://mempool.space/api")).toEqual({ display: "https://mempool.space/api", masked: false });
    const kept = parseNetworkForm({ rpcUrl: "", rpcUrlKept: "1", ...tiers }, stored);
    expect(kept.ok && kept.value.rpcUrl).toBe(INFURA);
    const removed = parseNetworkForm({ rpcUrl: "", rpcUrlKept: "1", rpcUrlRemove: "on", ...tiers }, stored);
    expect(removed.ok && "rpcUrl" in removed.value).toBe(false);
    // A stored list that breaks the rules is refused as a whole.
    const error = await refusal(updateSystemConfigSection(h.db, "blockchainNetworks", () => [], actor));
    expect(error.fieldErrors).toEqual({ blockchainNetworks: "Keep at least one blockchain network." });
  });

  it("switches and adds feature flags, refusing a bad flag name", async () => {
    const flags = (await loadSystemConfig(h.db)).featureFlags;
    const parsed = parseFeatureFlagsForm({ "flag.hostedCheckout": "on", newFlag: "betaAnalytics", newFlagEnabled: "on" }, Object.keys(flags));
    expect(parsed).toEqual({ ok: true, value: { hostedCheckout: true, telegramContact: false, quotaAutoRefresh: false, betaAnalytics: true } });
    await updateSystemConfigSection(h.db, "featureFlags", () => (parsed.ok ? parsed.value : flags), actor);
    expect((await getSystemConfig(h.db)).featureFlags).toMatchObject({ betaAnalytics: true, telegramContact: false });
    expect(parseFeatureFlagsForm({ newFlag: "Bad Flag!" }, [])).toEqual({ ok: false, fieldErrors: { newFlag: "Name flags in camelCase, 2-40 letters and digits, such as newCheckout." } });
    expect(parseFeatureFlagsForm({ newFlag: "hostedCheckout" }, ["hostedCheckout"])).toEqual({ ok: false, fieldErrors: { newFlag: "That flag already exists." } });
  });
});
