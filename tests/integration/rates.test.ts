import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { exchangeRates, systemConfiguration, type ProviderConfig } from "@/db/schema";
import {
  RatesUnavailableError,
  createStaticProvider,
  ensureFreshRate,
  getLockedRate,
  loadProviderConfig,
  refreshExchangeRates,
  type Quote,
  type RatePair,
  type RateProvider,
  type RateProviderConfig,
  type StaticRateTable,
} from "@/lib/rates";
import { DEFAULT_SYSTEM_CONFIG } from "@/lib/system-config";
import { FIXTURE_NOW, startFixtureServer, type FixtureServer } from "../fixtures/rates/fixture-server";
import { createTestDatabase, targetName } from "../helpers/test-db";

const MINUTE = 60_000;
const plus = (ms: number) => new Date(FIXTURE_NOW.getTime() + ms);

describe(`exchange rates refresh and lookup (${targetName()})`, () => {
  let h: DatabaseHandle;
  let server: FixtureServer;

  beforeAll(async () => {
    [h, server] = await Promise.all([createTestDatabase(), startFixtureServer()]);
  });
  afterAll(async () => {
    await Promise.all([h?.close(), server?.close()]);
  });
  beforeEach(async () => {
    await h.db.delete(exchangeRates).where(sql`true`);
    await h.db.delete(systemConfiguration).where(sql`true`);
    server.requests.length = 0;
  });

  async function configure(providers: RateProviderConfig[], rateLockMinutes = 15) {
    await h.db.insert(systemConfiguration).values({
      exchangeRateProviders: providers,
      blockchainNetworks: DEFAULT_SYSTEM_CONFIG.blockchainNetworks,
      paymentSettings: { ...DEFAULT_SYSTEM_CONFIG.paymentSettings, rateLockMinutes },
      securitySettings: DEFAULT_SYSTEM_CONFIG.securitySettings,
    });
  }

  /** The default provider list, every live feed pointed at a fixture-server scenario. */
  function providersAt(scenarios: { coingecko?: string; binance?: string; kraken?: string } = {}, staticEnabled = true) {
    return [
      { id: "coingecko", enabled: true, priority: 1, baseUrl: server.url(scenarios.coingecko ?? "ok") },
      { id: "binance", enabled: true, priority: 2, baseUrl: server.url(scenarios.binance ?? "ok") },
      { id: "kraken", enabled: true, priority: 3, baseUrl: server.url(scenarios.kraken ?? "ok") },
      { id: "static", enabled: staticEnabled, priority: 99 },
    ];
  }

  async function storedRows() {
    const rows = await h.db.select().from(exchangeRates);
    return Object.fromEntries(rows.map((r) => [`${r.fromCurrency}/${r.toCurrency}`, r]));
  }

  async function storedRates() {
    const rows = await storedRows();
    return Object.fromEntries(Object.entries(rows).map(([pair, r]) => [pair, { rate: r.rate, source: r.source }]));
  }

  it("stores one row per pair with the median of the live providers, locked for rateLockMinutes", async () => {
    await configure(providersAt(), 7);
    const result = await refreshExchangeRates(h.db, { now: FIXTURE_NOW });
    expect(result.errors).toEqual([]);
    expect(result.missing).toEqual([]);
    expect(result.stored).toBe(9);
    expect(server.requests.map((r) => r.path).sort()).toEqual(["/0/public/Ticker", "/api/v3/simple/price", "/api/v3/ticker/price"]);

    const all = "median(binance,coingecko,kraken)";
    expect(await storedRates()).toEqual({
      "USD/BTC": { rate: "97123.500000000000000000", source: all },
      "USD/ETH": { rate: "3401.120000000000000000", source: all },
      // Binance cannot price USDT in USD: mean of the CoinGecko and Kraken quotes.
      "USD/USDT": { rate: "1.000116725000000000", source: "median(coingecko,kraken)" },
      "EUR/BTC": { rate: "92187.120000000000000000", source: all },
      "EUR/ETH": { rate: "3228.410000000000000000", source: all },
      "EUR/USDT": { rate: "0.949307005885703436", source: all },
      "CNY/BTC": { rate: "703456.781234567890000000", source: "coingecko" },
      "CNY/ETH": { rate: "24635.900000000000000000", source: "coingecko" },
      "CNY/USDT": { rate: "7.243098710000000000", source: "coingecko" },
    });
    for (const row of Object.values(await storedRows())) {
      expect(row.lockedAt.getTime()).toBe(FIXTURE_NOW.getTime());
      expect(row.expiresAt.getTime()).toBe(plus(7 * MINUTE).getTime());
    }
    expect(result.rates.find((r) => r.fiat === "USD" && r.crypto === "BTC")).toMatchObject({
      rate: "97123.5",
      source: all,
      lockedAt: FIXTURE_NOW,
      expiresAt: plus(7 * MINUTE),
    });
  });

  it("keeps using the other providers when one is down; static covers what only it priced", async () => {
    await configure(providersAt({ coingecko: "down" }));
    const result = await refreshExchangeRates(h.db, { now: FIXTURE_NOW });
    expect(result.stored).toBe(9);
    expect(result.errors).toEqual([{ provider: "coingecko", message: "HTTP 500: Internal Server Error" }]);
    const rates = await storedRates();
    expect(rates["USD/BTC"]).toEqual({ rate: "97126.755000000000000000", source: "median(binance,kraken)" });
    expect(rates["USD/USDT"]).toEqual({ rate: "1.000110000000000000", source: "kraken" });
    expect(rates["EUR/USDT"]).toEqual({ rate: "0.949328502942851718", source: "median(binance,kraken)" });
    expect(rates["CNY/BTC"]).toEqual({ rate: "700000.000000000000000000", source: "static" });
    expect(rates["CNY/USDT"]).toEqual({ rate: "7.200000000000000000", source: "static" });
  });

  it("ignores stale live quotes (CoinGecko's last_updated_at) and falls back per pair", async () => {
    await configure(providersAt());
    const later = plus(10 * MINUTE); // CoinGecko's quotes are now 10 min old; Binance/Kraken carry no timestamp
    const result = await refreshExchangeRates(h.db, { now: later });
    expect(result.stored).toBe(9);
    const rates = await storedRates();
    expect(rates["USD/BTC"]!.source).toBe("median(binance,kraken)");
    expect(rates["CNY/ETH"]).toEqual({ rate: "24500.000000000000000000", source: "static" });
  });

  it("falls back to the static provider when every live provider fails", async () => {
    await configure([
      { id: "coingecko", enabled: true, priority: 1, baseUrl: server.url("badjson") },
      { id: "binance", enabled: true, priority: 2, baseUrl: server.url("down") },
      { id: "kraken", enabled: true, priority: 3, baseUrl: server.url("hang"), timeoutMs: 200 },
      { id: "static", enabled: true, priority: 99 },
    ]);
    const result = await refreshExchangeRates(h.db, { now: FIXTURE_NOW });
    expect(result.stored).toBe(9);
    expect(result.errors.map((e) => e.provider)).toEqual(["coingecko", "binance", "kraken"]);
    expect(result.errors[2]!.message).toBe("timed out after 200 ms");
    const rates = await storedRates();
    expect(Object.values(rates).every((r) => r.source === "static")).toBe(true);
    expect(rates["USD/BTC"]!.rate).toBe("97000.000000000000000000");
    expect(rates["EUR/USDT"]!.rate).toBe("0.950000000000000000");
  });

  it("stores nothing when static is disabled and every live provider is down; ensureFreshRate gives null", async () => {
    await configure(providersAt({ coingecko: "down", binance: "down", kraken: "down" }, false));
    const result = await refreshExchangeRates(h.db, { now: FIXTURE_NOW });
    expect(result.stored).toBe(0);
    expect(result.rates).toEqual([]);
    expect(result.missing).toHaveLength(9);
    expect(result.errors).toHaveLength(3);
    expect(await h.db.select().from(exchangeRates)).toEqual([]);

    let refreshes = 0;
    const rate = await ensureFreshRate(h.db, "USD", "BTC", {
      now: FIXTURE_NOW,
      refresh: async () => {
        refreshes++;
        await refreshExchangeRates(h.db, { now: FIXTURE_NOW });
      },
    });
    expect(rate).toBeNull();
    expect(refreshes).toBe(1);
    const error = new RatesUnavailableError("USD", "BTC");
    expect(error.code).toBe("rates.unavailable");
  });

  it("ensureFreshRate refreshes once when nothing is stored, then reuses the stored rate", async () => {
    await configure(providersAt());
    let refreshes = 0;
    const refresh = async () => {
      refreshes++;
      await refreshExchangeRates(h.db, { now: FIXTURE_NOW });
    };
    const first = await ensureFreshRate(h.db, "EUR", "USDT", { now: plus(MINUTE), refresh });
    expect(first).toMatchObject({ fiat: "EUR", crypto: "USDT", rate: "0.949307005885703436" });
    const second = await ensureFreshRate(h.db, "EUR", "USDT", { now: plus(2 * MINUTE), refresh });
    expect(second).toEqual(first);
    expect(refreshes).toBe(1);
  });

  it("getLockedRate returns the newest unexpired row within maxAge, else null", async () => {
    const row = (lockedMin: number, expiresMin: number, rate: string, toCurrency: "BTC" | "ETH" = "BTC") => ({
      fromCurrency: "USD" as const,
      toCurrency,
      rate,
      source: "test",
      lockedAt: plus(lockedMin * MINUTE),
      expiresAt: plus(expiresMin * MINUTE),
    });
    await h.db.insert(exchangeRates).values([
      row(-10, 5, "1"), // valid, older
      row(-2, 13, "2"), // valid, newest valid
      row(-1, -0.5, "3"), // newer but expired
      row(0, 15, "4", "ETH"), // newest, other pair
      row(-20, 60, "5"), // unexpired but locked too long ago
    ]);
    const at = (min: number, maxAgeSeconds?: number) =>
      getLockedRate(h.db, "USD", "BTC", { now: plus(min * MINUTE), maxAgeSeconds });

    expect(await at(0)).toMatchObject({ rate: "2", source: "test", lockedAt: plus(-2 * MINUTE), expiresAt: plus(13 * MINUTE) });
    expect(await at(13)).toBeNull(); // expiresAt is exclusive; "1" expired, "5" too old
    expect(await at(4)).toMatchObject({ rate: "2" });
    expect(await at(0, 60)).toBeNull(); // "2" was locked 2 min ago
    expect(await at(0, 3600)).toMatchObject({ rate: "2" });
    expect(await getLockedRate(h.db, "EUR", "BTC", { now: FIXTURE_NOW })).toBeNull();
    await expect(getLockedRate(h.db, "GBP" as "USD", "BTC", { now: FIXTURE_NOW })).rejects.toMatchObject({
      code: "rates.unsupported_pair",
    });
  });

  it("honours enabled flags: a disabled provider is never asked", async () => {
    await configure(providersAt().map((p) => (p.id === "kraken" ? { ...p, enabled: false } : p)));
    const result = await refreshExchangeRates(h.db, { now: FIXTURE_NOW });
    expect(result.errors).toEqual([]);
    expect(server.requests.map((r) => r.path)).not.toContain("/0/public/Ticker");
    expect((await storedRates())["USD/BTC"]).toEqual({ rate: "97126.730000000000000000", source: "median(binance,coingecko)" });
  });

  it("honours priority and enabled flags for injected providers; fallbacks are tried in priority order", async () => {
    const calls: { id: string; pairs: string[] }[] = [];
    const fake = (id: string, quotes: (now: Date) => Quote[]): RateProvider => ({
      id,
      fetchQuotes: async (pairs: readonly RatePair[], opts) => {
        calls.push({ id, pairs: pairs.map((p) => `${p.fiat}/${p.crypto}`) });
        return quotes(opts.now).filter((q) => pairs.some((p) => p.fiat === q.fiat && p.crypto === q.crypto));
      },
    });
    const usdBtc = (rate: string, source: string) => (now: Date): Quote[] => [
      { fiat: "USD", crypto: "BTC", rate, source, observedAt: now },
    ];
    const fallback = (id: string, rates?: StaticRateTable): RateProvider => {
      const inner = createStaticProvider({ id, rates });
      return {
        id,
        fallbackOnly: true,
        fetchQuotes: (pairs, opts) => {
          calls.push({ id, pairs: pairs.map((p) => `${p.fiat}/${p.crypto}`) });
          return inner.fetchQuotes(pairs, opts);
        },
      };
    };
    await configure([
      { id: "b", enabled: true, priority: 2 },
      { id: "static-late", enabled: true, priority: 50 },
      { id: "a", enabled: true, priority: 1 },
      { id: "c", enabled: false, priority: 0 },
      { id: "static-early", enabled: true, priority: 40 },
      { id: "boom", enabled: true, priority: 3 },
      { id: "not-injected", enabled: true, priority: 4 },
    ]);
    const providers: RateProvider[] = [
      fake("c", usdBtc("1", "c")),
      fallback("static-late", undefined),
      fake("b", usdBtc("97000.2", "b")),
      fallback("static-early", { USD: { ETH: "3000" } }),
      fake("a", usdBtc("97000.1", "a")),
      {
        id: "boom",
        fetchQuotes: async () => {
          throw new Error("exploded");
        },
      },
      fake("not-configured", usdBtc("5", "x")),
    ];

    const result = await refreshExchangeRates(h.db, { now: FIXTURE_NOW, providers });
    expect(calls.map((c) => c.id)).toEqual(["a", "b", "static-early", "static-late"]);
    expect(calls[2]!.pairs).toHaveLength(8); // everything but USD/BTC
    expect(calls[3]!.pairs).toHaveLength(7); // minus USD/ETH, priced by static-early
    expect(result.errors).toEqual([
      { provider: "not-injected", message: "no implementation injected" },
      { provider: "boom", message: "exploded" },
    ]);
    const rates = await storedRates();
    expect(rates["USD/BTC"]).toEqual({ rate: "97000.150000000000000000", source: "median(a,b)" });
    expect(rates["USD/ETH"]).toEqual({ rate: "3000.000000000000000000", source: "static-early" });
    expect(rates["CNY/USDT"]).toEqual({ rate: "7.200000000000000000", source: "static-late" });
    expect(result.stored).toBe(9);
  });

  it("reports unknown provider ids and uses the rest", async () => {
    await configure([{ id: "mystery", enabled: true, priority: 1 }, ...providersAt({ coingecko: "down", binance: "down", kraken: "down" })]);
    const result = await refreshExchangeRates(h.db, { now: FIXTURE_NOW });
    expect(result.errors[0]).toEqual({ provider: "mystery", message: "unknown provider" });
    expect(result.stored).toBe(9);
  });

  it("loadProviderConfig reads the configuration row, or the default order without one", async () => {
    expect((await loadProviderConfig(h.db)).map((p: ProviderConfig) => p.id)).toEqual(["coingecko", "binance", "kraken", "static"]);
    await configure([{ id: "kraken", enabled: true, priority: 1 }]);
    expect(await loadProviderConfig(h.db)).toEqual([{ id: "kraken", enabled: true, priority: 1 }]);
  });
});
