import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ALL_RATE_PAIRS,
  DEFAULT_STATIC_RATES,
  buildProviders,
  collectQuotes,
  createBinanceProvider,
  createCoinGeckoProvider,
  createKrakenProvider,
  createStaticProvider,
  type Quote,
  type RatePair,
  type RateProvider,
} from "@/lib/rates";
import { FIXTURE_NOW, loadFixture, startFixtureServer, type FixtureServer } from "../../fixtures/rates/fixture-server";

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => server?.close());
beforeEach(() => {
  server.requests.length = 0;
});

async function run(provider: RateProvider, pairs: readonly RatePair[] = ALL_RATE_PAIRS, signal?: AbortSignal) {
  const errors: string[] = [];
  const quotes = await provider.fetchQuotes(pairs, { now: FIXTURE_NOW, signal, onError: (m) => errors.push(m) });
  return { quotes, errors };
}

/** "USD/BTC" → rate, for compact assertions. */
function rates(quotes: Quote[]): Record<string, string> {
  return Object.fromEntries(quotes.map((q) => [`${q.fiat}/${q.crypto}`, q.rate]));
}

/** Serves the recorded fixture after `edit` rewrote its parsed JSON (string prices stay strings). */
function edited(file: string, edit: (doc: Record<string, unknown>) => void) {
  return () => {
    const doc = JSON.parse(loadFixture(file)) as Record<string, unknown>;
    edit(doc);
    return { body: JSON.stringify(doc) };
  };
}

describe("CoinGecko adapter", () => {
  it("parses the recorded response exactly, numbers included", async () => {
    const { quotes, errors } = await run(createCoinGeckoProvider({ baseUrl: server.url("ok") }));
    expect(errors).toEqual([]);
    expect(rates(quotes)).toEqual({
      "USD/BTC": "97123.45",
      "USD/ETH": "3401.27",
      "USD/USDT": "1.00012345",
      "EUR/BTC": "92187.12",
      "EUR/ETH": "3228.41",
      "EUR/USDT": "0.94928337",
      // 17 significant digits: a float would print 703456.7812345679.
      "CNY/BTC": "703456.78123456789",
      "CNY/ETH": "24635.9",
      "CNY/USDT": "7.24309871",
    });
    expect(String(703456.78123456789)).not.toBe("703456.78123456789");
    const btc = quotes.find((q) => q.fiat === "USD" && q.crypto === "BTC")!;
    expect(btc.source).toBe("coingecko");
    expect(btc.observedAt.toISOString()).toBe("2024-11-22T08:00:00.000Z");
    expect(quotes.find((q) => q.crypto === "USDT")!.observedAt.getTime()).toBe(1732262401_000);
  });

  it("requests the simple/price endpoint with the expected query", async () => {
    await run(createCoinGeckoProvider({ baseUrl: `${server.url("ok")}/` }));
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.path).toBe("/api/v3/simple/price");
    expect(server.requests[0]!.search).toBe(
      "?ids=bitcoin,ethereum,tether&vs_currencies=usd,eur,cny&include_last_updated_at=true",
    );
  });

  it("asks only for the requested coins and currencies", async () => {
    const { quotes } = await run(createCoinGeckoProvider({ baseUrl: server.url("ok") }), [{ fiat: "EUR", crypto: "ETH" }]);
    expect(server.requests[0]!.search).toBe("?ids=ethereum&vs_currencies=eur&include_last_updated_at=true");
    expect(rates(quotes)).toEqual({ "EUR/ETH": "3228.41" });
  });

  it("drops non-positive, non-numeric and missing prices and reports each", async () => {
    server.route(
      "cg-bad-prices",
      edited("coingecko-simple-price.json", (doc) => {
        const btc = doc.bitcoin as Record<string, unknown>;
        btc.usd = -97123.45;
        btc.eur = 0;
        btc.cny = "n/a";
        delete (doc.ethereum as Record<string, unknown>).cny;
      }),
    );
    const { quotes, errors } = await run(createCoinGeckoProvider({ baseUrl: server.url("cg-bad-prices") }));
    expect(Object.keys(rates(quotes)).sort()).toEqual(["EUR/ETH", "EUR/USDT", "USD/ETH", "USD/USDT", "CNY/USDT"].sort());
    expect(errors).toHaveLength(4);
    expect(errors.join("\n")).toMatch(/USD\/BTC: not positive/);
    expect(errors.join("\n")).toMatch(/EUR\/BTC: not positive/);
    expect(errors.join("\n")).toMatch(/CNY\/BTC: not a number/);
    expect(errors.join("\n")).toMatch(/CNY\/ETH: not a number \(missing\)/);
  });

  it("drops a coin missing from the response, or without last_updated_at", async () => {
    server.route(
      "cg-missing",
      edited("coingecko-simple-price.json", (doc) => {
        delete doc.tether;
        delete (doc.ethereum as Record<string, unknown>).last_updated_at;
      }),
    );
    const { quotes, errors } = await run(createCoinGeckoProvider({ baseUrl: server.url("cg-missing") }));
    expect(Object.keys(rates(quotes))).toEqual(["USD/BTC", "EUR/BTC", "CNY/BTC"]);
    expect(errors).toEqual(["ETH: missing or invalid last_updated_at", 'USDT: "tether" missing from response']);
  });

  it("rejects a response that is not an object", async () => {
    server.route("cg-array", () => ({ body: "[]" }));
    const { quotes, errors } = await run(createCoinGeckoProvider({ baseUrl: server.url("cg-array") }));
    expect(quotes).toEqual([]);
    expect(errors[0]).toMatch(/malformed response/);
  });

  it("treats a timestamp slightly ahead of our clock as now, and keeps a far-future one as is", async () => {
    server.route(
      "cg-future",
      edited("coingecko-simple-price.json", (doc) => {
        (doc.bitcoin as Record<string, unknown>).last_updated_at = 1732262430 + 20;
        (doc.ethereum as Record<string, unknown>).last_updated_at = 1732262430 + 3600;
      }),
    );
    const { quotes } = await run(createCoinGeckoProvider({ baseUrl: server.url("cg-future") }));
    expect(quotes.find((q) => q.crypto === "BTC")!.observedAt).toEqual(FIXTURE_NOW);
    expect(quotes.find((q) => q.crypto === "ETH")!.observedAt.getTime()).toBe((1732262430 + 3600) * 1000);
  });
});

describe("Binance adapter", () => {
  it("parses the recorded response exactly and derives USDT/EUR as 1/EURUSDT", async () => {
    const { quotes, errors } = await run(createBinanceProvider({ baseUrl: server.url("ok") }));
    expect(errors).toEqual([]);
    expect(rates(quotes)).toEqual({
      "USD/BTC": "97130.01",
      "USD/ETH": "3400.89",
      "EUR/BTC": "92190.53",
      "EUR/ETH": "3227.66",
      // 1 / 1.0534 = 0.94930700588570343649…, rounded to 18 decimals.
      "EUR/USDT": "0.949307005885703436",
    });
    expect(quotes.every((q) => q.source === "binance" && q.observedAt.getTime() === FIXTURE_NOW.getTime())).toBe(true);
  });

  it("never prices USDT in USD, nor anything in CNY", async () => {
    const { quotes, errors } = await run(createBinanceProvider({ baseUrl: server.url("ok") }), [
      { fiat: "USD", crypto: "USDT" },
      { fiat: "CNY", crypto: "BTC" },
    ]);
    expect(quotes).toEqual([]);
    expect(errors).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it("requests ticker/price with a URL-encoded JSON array of symbols", async () => {
    await run(createBinanceProvider({ baseUrl: server.url("ok") }));
    const request = server.requests[0]!;
    expect(request.path).toBe("/api/v3/ticker/price");
    expect(request.search).toBe(`?symbols=${encodeURIComponent('["BTCUSDT","ETHUSDT","BTCEUR","ETHEUR","EURUSDT"]')}`);
    expect(JSON.parse(request.url.searchParams.get("symbols")!)).toEqual(["BTCUSDT", "ETHUSDT", "BTCEUR", "ETHEUR", "EURUSDT"]);
  });

  it("asks only for the symbols the requested pairs need", async () => {
    await run(createBinanceProvider({ baseUrl: server.url("ok") }), [{ fiat: "EUR", crypto: "USDT" }]);
    expect(JSON.parse(server.requests[0]!.url.searchParams.get("symbols")!)).toEqual(["EURUSDT"]);
  });

  it("reports Binance's error body on an HTTP error", async () => {
    server.route("bn-400", () => ({ status: 400, body: '{"code":-1121,"msg":"Invalid symbol."}' }));
    const { quotes, errors } = await run(createBinanceProvider({ baseUrl: server.url("bn-400") }));
    expect(quotes).toEqual([]);
    expect(errors).toEqual(['HTTP 400: {"code":-1121,"msg":"Invalid symbol."}']);
  });

  it("drops zero, negative, non-numeric and missing prices", async () => {
    server.route("bn-bad", () => ({
      body: JSON.stringify([
        { symbol: "BTCUSDT", price: "-97130.01000000" },
        { symbol: "ETHUSDT", price: "0.00000000" },
        { symbol: "BTCEUR", price: "NaN" },
        { symbol: "EURUSDT", price: "0.00000000" },
      ]),
    }));
    const { quotes, errors } = await run(createBinanceProvider({ baseUrl: server.url("bn-bad") }));
    expect(quotes).toEqual([]);
    expect(errors).toEqual([
      'USD/BTC: BTCUSDT not positive ("-97130.01000000")',
      'USD/ETH: ETHUSDT not positive ("0.00000000")',
      'EUR/BTC: BTCEUR not a number ("NaN")',
      "EUR/ETH: ETHEUR missing from response",
      'EUR/USDT: EURUSDT not positive ("0.00000000")',
    ]);
  });

  it("rejects a response that is not an array", async () => {
    server.route("bn-object", () => ({ body: '{"symbol":"BTCUSDT","price":"97130.01"}' }));
    const { quotes, errors } = await run(createBinanceProvider({ baseUrl: server.url("bn-object") }));
    expect(quotes).toEqual([]);
    expect(errors[0]).toMatch(/expected an array/);
  });
});

describe("Kraken adapter", () => {
  it("parses the last trade price c[0] of every pair exactly", async () => {
    const { quotes, errors } = await run(createKrakenProvider({ baseUrl: server.url("ok") }));
    expect(errors).toEqual([]);
    expect(rates(quotes)).toEqual({
      "USD/BTC": "97123.5",
      "EUR/BTC": "92185.1",
      "USD/ETH": "3401.12",
      "EUR/ETH": "3229.01",
      "USD/USDT": "1.00011",
      "EUR/USDT": "0.94935",
    });
    expect(quotes.every((q) => q.source === "kraken")).toBe(true);
  });

  it("requests the Ticker endpoint with Kraken's pair names", async () => {
    await run(createKrakenProvider({ baseUrl: server.url("ok") }));
    expect(server.requests[0]!.path).toBe("/0/public/Ticker");
    expect(server.requests[0]!.search).toBe("?pair=XBTUSD,XBTEUR,ETHUSD,ETHEUR,USDTUSD,USDTEUR");
  });

  it("treats a non-empty error array as a failure", async () => {
    server.route("kr-error", () => ({ body: '{"error":["EQuery:Unknown asset pair"]}' }));
    const { quotes, errors } = await run(createKrakenProvider({ baseUrl: server.url("kr-error") }));
    expect(quotes).toEqual([]);
    expect(errors).toEqual(["kraken error: EQuery:Unknown asset pair"]);
  });

  it("drops a missing pair and non-positive prices, keeping the rest", async () => {
    server.route(
      "kr-partial",
      edited("kraken-ticker.json", (doc) => {
        const result = doc.result as Record<string, Record<string, unknown>>;
        delete result.USDTEUR;
        result.XETHZEUR!.c = ["0.00000", "1.0"];
        result.XETHZUSD!.c = ["-3401.12000", "1.0"];
        delete result.XXBTZEUR!.c;
      }),
    );
    const { quotes, errors } = await run(createKrakenProvider({ baseUrl: server.url("kr-partial") }));
    expect(rates(quotes)).toEqual({ "USD/BTC": "97123.5", "USD/USDT": "1.00011" });
    expect(errors).toEqual([
      "EUR/BTC: last trade price not a number (missing)",
      'USD/ETH: last trade price not positive ("-3401.12000")',
      'EUR/ETH: last trade price not positive ("0.00000")',
      "EUR/USDT: USDTEUR missing from response",
    ]);
  });

  it("rejects a response without error array or result", async () => {
    server.route("kr-noerror", () => ({ body: '{"result":{}}' }));
    server.route("kr-noresult", () => ({ body: '{"error":[]}' }));
    expect((await run(createKrakenProvider({ baseUrl: server.url("kr-noerror") }))).errors).toEqual([
      "malformed response: no error array",
    ]);
    expect((await run(createKrakenProvider({ baseUrl: server.url("kr-noresult") }))).errors).toEqual([
      "malformed response: no result object",
    ]);
  });
});

describe.each([
  ["coingecko", createCoinGeckoProvider],
  ["binance", createBinanceProvider],
  ["kraken", createKrakenProvider],
] as const)("%s adapter failures", (_name, create) => {
  it("HTTP 500 → no quotes, error reported", async () => {
    const { quotes, errors } = await run(create({ baseUrl: server.url("down") }));
    expect(quotes).toEqual([]);
    expect(errors).toEqual(["HTTP 500: Internal Server Error"]);
  });

  it("invalid JSON → no quotes, error reported", async () => {
    const { quotes, errors } = await run(create({ baseUrl: server.url("badjson") }));
    expect(quotes).toEqual([]);
    expect(errors[0]).toMatch(/^invalid JSON: <!doctype html>/);
  });

  it("a server that never answers times out", async () => {
    const started = performance.now();
    const { quotes, errors } = await run(create({ baseUrl: server.url("hang"), timeoutMs: 200 }));
    expect(quotes).toEqual([]);
    expect(errors).toEqual(["timed out after 200 ms"]);
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it("an aborted caller signal stops the request", async () => {
    const { quotes, errors } = await run(create({ baseUrl: server.url("hang") }), ALL_RATE_PAIRS, AbortSignal.abort());
    expect(quotes).toEqual([]);
    expect(errors).toEqual(["request aborted"]);
  });

  it("an unreachable host → no quotes, error reported", async () => {
    const { quotes, errors } = await run(create({ baseUrl: "http://127.0.0.1:1" }));
    expect(quotes).toEqual([]);
    expect(errors[0]).toMatch(/^request failed: /);
  });

  it("uses the injected fetch", async () => {
    const seen: string[] = [];
    const fetchImpl: typeof fetch = async (input) => {
      seen.push(String(input));
      return new Response("oops", { status: 503 });
    };
    const { errors } = await run(create({ fetchImpl }));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^https:\/\/api\.(coingecko|binance|kraken)\.com\//);
    expect(errors).toEqual(["HTTP 503: oops"]);
  });
});

describe("static provider", () => {
  it("quotes the default table at `now`, only as a fallback", async () => {
    const provider = createStaticProvider();
    expect(provider.id).toBe("static");
    expect(provider.fallbackOnly).toBe(true);
    const { quotes, errors } = await run(provider);
    expect(errors).toEqual([]);
    expect(rates(quotes)).toEqual({
      "USD/BTC": "97000",
      "USD/ETH": "3400",
      "USD/USDT": "1",
      "EUR/BTC": "92000",
      "EUR/ETH": "3220",
      "EUR/USDT": "0.95",
      "CNY/BTC": "700000",
      "CNY/ETH": "24500",
      "CNY/USDT": "7.2",
    });
    expect(quotes.every((q) => q.source === "static" && q.observedAt.getTime() === FIXTURE_NOW.getTime())).toBe(true);
    expect(DEFAULT_STATIC_RATES.USD.BTC).toBe("97000");
  });

  it("uses a configured table and reports invalid entries", async () => {
    const { quotes, errors } = await run(
      createStaticProvider({ id: "demo", rates: { USD: { BTC: "50000.50", ETH: "-1" } } }),
      [
        { fiat: "USD", crypto: "BTC" },
        { fiat: "USD", crypto: "ETH" },
        { fiat: "EUR", crypto: "BTC" },
      ],
    );
    expect(quotes.map((q) => [q.source, q.rate])).toEqual([["demo", "50000.5"]]);
    expect(errors).toEqual(['USD/ETH: configured rate not positive ("-1")']);
  });
});

describe("buildProviders", () => {
  it("keeps enabled, known providers in priority order and applies base URL overrides", async () => {
    const providers = buildProviders(
      [
        { id: "static", enabled: true, priority: 99 },
        { id: "kraken", enabled: true, priority: 1, baseUrl: server.url("down") },
        { id: "binance", enabled: false, priority: 0 },
        { id: "nope", enabled: true, priority: 5 },
        { id: "coingecko", enabled: true, priority: 2, baseUrl: server.url("down") },
      ],
      { baseUrls: { coingecko: server.url("ok") } },
    );
    expect(providers.map((p) => p.id)).toEqual(["kraken", "coingecko", "static"]);
    expect((await run(providers[0]!)).errors).toEqual(["HTTP 500: Internal Server Error"]); // configured baseUrl
    expect((await run(providers[1]!)).errors).toEqual([]); // override wins
  });
});

describe("collectQuotes", () => {
  it("turns a throwing provider into an error instead of a rejection", async () => {
    const provider: RateProvider = {
      id: "boom",
      fetchQuotes: async () => {
        throw new Error("kaput");
      },
    };
    expect(await collectQuotes(provider, ALL_RATE_PAIRS, { now: FIXTURE_NOW })).toEqual({ quotes: [], errors: ["kaput"] });
  });

  it("filters quotes for unrequested pairs and invalid rates, normalising the rest", async () => {
    const q = (fiat: "USD" | "EUR", rate: string): Quote => ({ fiat, crypto: "BTC", rate, source: "x", observedAt: FIXTURE_NOW });
    const provider: RateProvider = { id: "x", fetchQuotes: async () => [q("USD", "97000.500"), q("EUR", "1"), q("USD", "1e5")] };
    const result = await collectQuotes(provider, [{ fiat: "USD", crypto: "BTC" }], { now: FIXTURE_NOW });
    expect(result.quotes.map((x) => x.rate)).toEqual(["97000.5"]);
    expect(result.errors).toEqual(["unexpected quote for EUR/BTC", 'USD/BTC: invalid rate "1e5"']);
  });
});
