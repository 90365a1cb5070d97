import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CRYPTO_CURRENCIES,
  FIAT_CURRENCIES,
  InvariantError,
  aggregateQuotes,
  formatDecimalUnitsTrimmed,
  medianRate,
  rateUnits,
  type RateQuote,
} from "@/lib/domain";

const NOW = new Date("2025-01-01T12:00:00Z");
const at = (secondsAgo: number) => new Date(NOW.getTime() - secondsAgo * 1000);
const quote = (rate: string, source: string, secondsAgo = 10, fiat: RateQuote["fiat"] = "USD", crypto: RateQuote["crypto"] = "BTC"): RateQuote => ({
  fiat,
  crypto,
  rate,
  source,
  observedAt: at(secondsAgo),
});
const units = (rate: string) => rateUnits(rate)!;
const decimal = (u: bigint) => formatDecimalUnitsTrimmed(u, 18);

// Rates as 10^-18 units: from 1e-18 up to 10^8 whole units, so every digit position gets exercised.
const rateUnitsArb = fc.bigInt({ min: 1n, max: 10n ** 26n });
const quoteArb = fc.record({
  fiat: fc.constantFrom(...FIAT_CURRENCIES),
  crypto: fc.constantFrom(...CRYPTO_CURRENCIES),
  rate: rateUnitsArb.map(decimal),
  source: fc.constantFrom("coingecko", "binance", "kraken", "a", "b"),
  observedAt: fc.integer({ min: 0, max: 300 }).map(at),
});
const quotesArb = fc.array(quoteArb, { maxLength: 25 });

describe("aggregateQuotes", () => {
  it("median of an odd count is the middle value; of an even count the exact mean of the middle two", () => {
    expect(aggregateQuotes([quote("3", "a"), quote("1", "b"), quote("2", "c")], { now: NOW, maxDeviationBps: 10_000 })[0]!.rate).toBe("2");
    expect(aggregateQuotes([quote("97123.45", "a"), quote("97123.5", "b")], { now: NOW })).toEqual([
      { fiat: "USD", crypto: "BTC", rate: "97123.475", sources: ["a", "b"], source: "median(a,b)", outliers: [] },
    ]);
  });

  it("rounds the mean half-even to 18 decimals", () => {
    expect(medianRate(["0.000000000000000001", "0.000000000000000002"])).toBe("0.000000000000000002");
    expect(medianRate(["0.000000000000000003", "0.000000000000000002"])).toBe("0.000000000000000002");
    expect(medianRate(["1", "1.000000000000000001"])).toBe("1");
    expect(() => medianRate([])).toThrow(InvariantError);
  });

  it("uses a lone quote as is, under its own source name", () => {
    expect(aggregateQuotes([quote("97000", "static")], { now: NOW })).toEqual([
      { fiat: "USD", crypto: "BTC", rate: "97000", sources: ["static"], source: "static", outliers: [] },
    ]);
  });

  it("drops a quote deviating more than maxDeviationBps and reports it", () => {
    const [result] = aggregateQuotes([quote("100", "a"), quote("101", "b"), quote("99.5", "c"), quote("150", "d")], { now: NOW });
    expect(result).toMatchObject({ rate: "100", sources: ["a", "b", "c"], source: "median(a,b,c)", outliers: ["d"] });
  });

  it("the deviation bound is inclusive: exactly maxDeviationBps away is kept", () => {
    // median of 98, 100, 102 is 100; both neighbours deviate by exactly 200 bps.
    const [result] = aggregateQuotes([quote("98", "a"), quote("100", "b"), quote("102", "c")], { now: NOW });
    expect(result!.sources).toEqual(["a", "b", "c"]);
    const [tight] = aggregateQuotes([quote("98", "a"), quote("100", "b"), quote("102", "c")], { now: NOW, maxDeviationBps: 199 });
    expect(tight).toMatchObject({ rate: "100", source: "b", outliers: ["a", "c"] });
  });

  it("keeps both quotes when two feeds disagree (no majority to side with)", () => {
    const [result] = aggregateQuotes([quote("100", "a"), quote("120", "b")], { now: NOW });
    expect(result).toMatchObject({ rate: "110", sources: ["a", "b"], outliers: [] });
  });

  it("ignores stale, future-dated, malformed and unknown-pair quotes", () => {
    const quotes: RateQuote[] = [
      quote("100", "fresh", 300), // exactly maxAge old: still fresh
      quote("500", "stale", 301),
      quote("500", "future", -1),
      quote("-5", "negative"),
      quote("0", "zero"),
      quote("1e3", "exponent"),
      quote("1.0000000000000000001", "too-precise"),
      { ...quote("100", "bad-date"), observedAt: new Date(Number.NaN) },
      { ...quote("100", "bad-fiat"), fiat: "GBP" as RateQuote["fiat"] },
      { ...quote("100", ""), source: "" },
    ];
    expect(aggregateQuotes(quotes, { now: NOW })).toEqual([
      { fiat: "USD", crypto: "BTC", rate: "100", sources: ["fresh"], source: "fresh", outliers: [] },
    ]);
    expect(aggregateQuotes(quotes, { now: NOW, maxAgeSeconds: 60 })).toEqual([]);
  });

  it("groups by pair and returns pairs in FIAT × CRYPTO order", () => {
    const result = aggregateQuotes(
      [quote("7.2", "a", 1, "CNY", "USDT"), quote("3400", "a", 1, "USD", "ETH"), quote("92000", "a", 1, "EUR", "BTC")],
      { now: NOW },
    );
    expect(result.map((r) => `${r.fiat}/${r.crypto}`)).toEqual(["USD/ETH", "EUR/BTC", "CNY/USDT"]);
  });

  it("refuses nonsensical options", () => {
    expect(() => aggregateQuotes([], { now: NOW, maxAgeSeconds: -1 })).toThrow(InvariantError);
    expect(() => aggregateQuotes([], { now: NOW, maxDeviationBps: 1.5 })).toThrow(InvariantError);
    expect(() => aggregateQuotes([], { now: new Date(Number.NaN) })).toThrow(InvariantError);
  });

  describe("properties", () => {
    it("every aggregated rate lies between the min and max fresh quote of its pair", () => {
      fc.assert(
        fc.property(quotesArb, fc.integer({ min: 0, max: 10_000 }), (quotes, maxDeviationBps) => {
          for (const r of aggregateQuotes(quotes, { now: NOW, maxDeviationBps })) {
            const pair = quotes.filter((q) => q.fiat === r.fiat && q.crypto === r.crypto).map((q) => units(q.rate));
            const min = pair.reduce((a, b) => (a < b ? a : b));
            const max = pair.reduce((a, b) => (a > b ? a : b));
            expect(units(r.rate) >= min && units(r.rate) <= max).toBe(true);
            expect(r.sources.length).toBeGreaterThan(0);
          }
        }),
      );
    });

    it("every pair with a fresh quote gets a rate", () => {
      fc.assert(
        fc.property(quotesArb, (quotes) => {
          const pairs = new Set(quotes.map((q) => `${q.fiat}/${q.crypto}`));
          expect(new Set(aggregateQuotes(quotes, { now: NOW }).map((r) => `${r.fiat}/${r.crypto}`))).toEqual(pairs);
        }),
      );
    });

    it("is independent of the input order", () => {
      fc.assert(
        fc.property(
          quotesArb.chain((quotes) =>
            fc.tuple(fc.constant(quotes), fc.shuffledSubarray(quotes, { minLength: quotes.length, maxLength: quotes.length })),
          ),
          ([quotes, shuffled]) => {
            expect(aggregateQuotes(shuffled, { now: NOW })).toEqual(aggregateQuotes(quotes, { now: NOW }));
          },
        ),
      );
    });

    it("drops a single far-off quote among agreeing ones", () => {
      fc.assert(
        fc.property(
          fc.bigInt({ min: 10n ** 18n, max: 10n ** 24n }),
          fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 2, maxLength: 8 }),
          fc.integer({ min: 500, max: 100_000 }),
          fc.boolean(),
          (base, offsetsBps, outlierBps, above) => {
            const honest = offsetsBps.map((bps, i) => quote(decimal((base * BigInt(10_000 + bps)) / 10_000n), `honest${i}`));
            const factor = above ? 10_000n + BigInt(outlierBps) : (10_000n * 10_000n) / (10_000n + BigInt(outlierBps));
            const outlier = quote(decimal((base * factor) / 10_000n), "outlier");
            const [result] = aggregateQuotes([...honest, outlier], { now: NOW });
            expect(result!.outliers).toEqual(["outlier"]);
            expect(result!.sources).not.toContain("outlier");
            expect(result!.sources).toHaveLength(honest.length);
            const honestUnits = honest.map((q) => units(q.rate));
            expect(units(result!.rate) >= honestUnits.reduce((a, b) => (a < b ? a : b))).toBe(true);
            expect(units(result!.rate) <= honestUnits.reduce((a, b) => (a > b ? a : b))).toBe(true);
          },
        ),
      );
    });

    it("stale and future-dated quotes never change the result", () => {
      fc.assert(
        fc.property(
          quotesArb,
          fc.array(
            fc.record({
              fiat: fc.constantFrom(...FIAT_CURRENCIES),
              crypto: fc.constantFrom(...CRYPTO_CURRENCIES),
              rate: rateUnitsArb.map(decimal),
              source: fc.constantFrom("old", "ahead"),
              observedAt: fc.oneof(fc.integer({ min: 301, max: 86_400 }), fc.integer({ min: -86_400, max: -1 })).map(at),
            }),
            { maxLength: 10 },
          ),
          (fresh, ignored) => {
            expect(aggregateQuotes([...fresh, ...ignored], { now: NOW })).toEqual(aggregateQuotes(fresh, { now: NOW }));
          },
        ),
      );
    });

    it("median of identical quotes is that quote", () => {
      fc.assert(
        fc.property(rateUnitsArb, fc.integer({ min: 1, max: 9 }), (u, n) => {
          const quotes = Array.from({ length: n }, (_, i) => quote(decimal(u), `s${i}`));
          expect(aggregateQuotes(quotes, { now: NOW, maxDeviationBps: 0 })[0]!.rate).toBe(decimal(u));
        }),
      );
    });
  });
});
