import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CRYPTO_CURRENCIES,
  CurrencyMismatchError,
  DomainError,
  ExpiredRateError,
  FIAT_CURRENCIES,
  assertRateValid,
  convertCryptoToFiat,
  convertFiatToCrypto,
  createExchangeRate,
  formatDecimalUnits,
  isRateExpired,
  money,
  parseMoney,
  rateToFraction,
  subtractMoney,
  type CryptoCurrency,
  type ExchangeRate,
  type FiatCurrency,
} from "@/lib/domain";

const LOCKED_AT = new Date("2025-01-01T00:00:00Z");
const EXPIRES_AT = new Date("2025-01-01T00:15:00Z");
const NOW = new Date("2025-01-01T00:05:00Z");

function rateOf(from: FiatCurrency, to: CryptoCurrency, rate: string): ExchangeRate {
  return createExchangeRate({ from, to, rate, source: "test", lockedAt: LOCKED_AT, expiresAt: EXPIRES_AT });
}

describe("convertFiatToCrypto known answers (rate = fiat price of 1 whole crypto unit)", () => {
  it.each([
    ["100.00", "USD", "BTC", "50000", 200_000n], // 0.002 BTC
    ["10.00", "USD", "USDT", "1", 10_000_000n],
    ["1.00", "USD", "ETH", "3000", 333_333_333_333_334n], // ceil(10^18 / 3000)
    ["0.01", "USD", "BTC", "97000.12", 11n], // 1e6/97000.12 = 10.3…  → 11 sats
    ["97000.12", "USD", "BTC", "97000.12", 100_000_000n], // exactly 1 BTC
    ["1.00", "EUR", "USDT", "0.92", 1_086_957n], // 1e6 / 0.92 = 1086956.52… → up
    ["7.25", "CNY", "USDT", "7.25", 1_000_000n],
    ["0.00", "USD", "BTC", "50000", 0n],
    ["1.00", "USD", "ETH", "0.000000000000000001", 10n ** 36n], // absurd but exact
  ] as const)("%s %s → %s at %s = %i", (amount, fiat, crypto, rate, expected) => {
    const result = convertFiatToCrypto(parseMoney(amount, fiat), rateOf(fiat, crypto, rate), NOW);
    expect(result).toEqual(money(expected, crypto));
  });

  it.each([
    [200_000n, "BTC", "50000", 10_000n],
    [333_333_333_333_334n, "ETH", "3000", 100n],
    [333_333_333_333_333n, "ETH", "3000", 99n], // one wei short → rounds down below 1.00
    [11n, "BTC", "97000.12", 1n],
  ] as const)("convertCryptoToFiat(%i %s at %s) = %i cents (rounded down)", (amount, crypto, rate, cents) => {
    expect(convertCryptoToFiat(money(amount, crypto), rateOf("USD", crypto, rate))).toEqual(money(cents, "USD"));
  });
});

describe("exchange rate validation", () => {
  const base = { from: "USD", to: "BTC", rate: "50000", source: "coingecko", lockedAt: LOCKED_AT, expiresAt: EXPIRES_AT } as const;

  it.each([
    ["zero rate", { rate: "0" }],
    ["negative rate", { rate: "-1" }],
    ["exponent", { rate: "5e4" }],
    ["19 decimals", { rate: "1.0000000000000000001" }],
    ["garbage", { rate: "fifty" }],
    ["empty source", { source: " " }],
    ["expiresAt == lockedAt", { expiresAt: LOCKED_AT }],
    ["expiresAt < lockedAt", { expiresAt: new Date(LOCKED_AT.getTime() - 1) }],
    ["invalid date", { lockedAt: new Date("nope") }],
    ["crypto as from", { from: "BTC" }],
    ["fiat as to", { to: "EUR" }],
  ])("rejects %s", (_label, patch) => {
    expect(() => createExchangeRate({ ...base, ...patch } as unknown as ExchangeRate)).toThrow(
      expect.objectContaining({ code: "exchange_rate.invalid" }),
    );
  });

  it("accepts 18 fractional digits and keeps an exact fraction", () => {
    expect(() => createExchangeRate({ ...base, rate: "0.000000000000000001" })).not.toThrow();
    expect(rateToFraction("97000.12")).toEqual({ numerator: 9_700_012n, denominator: 100n });
    expect(rateToFraction("50000")).toEqual({ numerator: 50_000n, denominator: 1n });
  });

  it("copies dates so the value object can't be mutated through the input", () => {
    const lockedAt = new Date(LOCKED_AT);
    const rate = createExchangeRate({ ...base, lockedAt });
    lockedAt.setFullYear(2000);
    expect(rate.lockedAt.toISOString()).toBe(LOCKED_AT.toISOString());
    expect(Object.isFrozen(rate)).toBe(true);
  });

  it.each([
    [new Date(EXPIRES_AT.getTime() - 1), false],
    [EXPIRES_AT, true], // expired from the instant expiresAt is reached
    [new Date(EXPIRES_AT.getTime() + 1), true],
  ])("isRateExpired at %s → %s", (now, expired) => {
    const rate = createExchangeRate(base);
    expect(isRateExpired(rate, now)).toBe(expired);
    if (expired) expect(() => assertRateValid(rate, now)).toThrow(ExpiredRateError);
    else expect(() => assertRateValid(rate, now)).not.toThrow();
  });

  it("convertFiatToCrypto refuses expired rates, wrong currency and negatives", () => {
    const rate = createExchangeRate(base);
    expect(() => convertFiatToCrypto(parseMoney("1", "USD"), rate, EXPIRES_AT)).toThrow(ExpiredRateError);
    expect(() => convertFiatToCrypto(parseMoney("1", "EUR"), rate, NOW)).toThrow(CurrencyMismatchError);
    expect(() => convertFiatToCrypto(money(-1n, "USD"), rate, NOW)).toThrow(DomainError);
    expect(() => convertCryptoToFiat(money(1n, "ETH"), rate)).toThrow(CurrencyMismatchError);
  });

  it("convertCryptoToFiat accepts an expired (historical) rate", () => {
    const rate = createExchangeRate(base);
    expect(convertCryptoToFiat(money(100_000_000n, "BTC"), rate)).toEqual(money(5_000_000n, "USD"));
  });
});

describe("conversion properties", () => {
  const rateArb = fc
    .tuple(fc.bigInt({ min: 1n, max: 10n ** 15n }), fc.integer({ min: 0, max: 18 }))
    .map(([units, digits]) => formatDecimalUnits(units, digits));
  const caseArb = fc.record({
    fiat: fc.constantFrom<FiatCurrency>(...FIAT_CURRENCIES),
    crypto: fc.constantFrom<CryptoCurrency>(...CRYPTO_CURRENCIES),
    amount: fc.bigInt({ min: 1n, max: 10n ** 12n }),
    rate: rateArb,
  });

  it("never short: converting back covers the fiat amount, and one unit less does not", () => {
    fc.assert(
      fc.property(caseArb, ({ fiat, crypto, amount, rate }) => {
        const exchangeRate = rateOf(fiat, crypto, rate);
        const fiatMoney = money(amount, fiat);
        const cryptoMoney = convertFiatToCrypto(fiatMoney, exchangeRate, NOW);
        expect(cryptoMoney.asset).toBe(crypto);
        expect(cryptoMoney.amount > 0n).toBe(true);
        expect(convertCryptoToFiat(cryptoMoney, exchangeRate).amount >= amount).toBe(true);
        const oneLess = subtractMoney(cryptoMoney, money(1n, crypto));
        expect(convertCryptoToFiat(oneLess, exchangeRate).amount < amount).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("is exact against rational cross-multiplication", () => {
    fc.assert(
      fc.property(caseArb, ({ fiat, crypto, amount, rate }) => {
        const c = convertFiatToCrypto(money(amount, fiat), rateOf(fiat, crypto, rate), NOW).amount;
        const { numerator, denominator } = rateToFraction(rate);
        const cryptoScale = crypto === "BTC" ? 10n ** 8n : crypto === "ETH" ? 10n ** 18n : 10n ** 6n;
        // c is the least integer with c · 100 · numerator ≥ amount · cryptoScale · denominator
        const lhs = (x: bigint) => x * 100n * numerator;
        const rhs = amount * cryptoScale * denominator;
        expect(lhs(c) >= rhs).toBe(true);
        expect(lhs(c - 1n) < rhs).toBe(true);
      }),
    );
  });
});
