import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ASSET_CODES,
  CurrencyMismatchError,
  InvalidAmountError,
  addMoney,
  compareMoney,
  formatMoney,
  formatMoneyTrimmed,
  isPositive,
  isZero,
  money,
  multiplyMoney,
  parseMoney,
  percentOf,
  subtractMoney,
  sumMoney,
  type AssetCode,
  type Money,
} from "@/lib/domain";

const LIMIT = 10n ** 30n;
const assetArb = fc.constantFrom<AssetCode>(...ASSET_CODES);
const amountArb = fc.bigInt({ min: -LIMIT, max: LIMIT });
const moneyIn = (asset: AssetCode) => amountArb.map((amount) => money(amount, asset));
const moneyArb = assetArb.chain(moneyIn);
/** Two or three amounts sharing one asset. */
const sameAssetPair = assetArb.chain((asset) => fc.tuple(moneyIn(asset), moneyIn(asset)));
const sameAssetTriple = assetArb.chain((asset) => fc.tuple(moneyIn(asset), moneyIn(asset), moneyIn(asset)));

describe("parseMoney", () => {
  it.each([
    ["12.34", "USD", 1234n],
    ["12.3", "USD", 1230n],
    ["12", "EUR", 1200n],
    ["0", "CNY", 0n],
    ["0.01", "USD", 1n],
    ["1", "BTC", 100_000_000n],
    ["0.00000001", "BTC", 1n],
    ["21000000", "BTC", 2_100_000_000_000_000n],
    ["1", "ETH", 10n ** 18n],
    ["0.000000000000000001", "ETH", 1n],
    ["10", "USDT", 10_000_000n],
    ["0.000001", "USDT", 1n],
  ] as const)("parseMoney(%j, %s) = %i", (input, asset, amount) => {
    expect(parseMoney(input, asset)).toEqual({ amount, asset });
  });

  it.each([
    ["12.345", "USD"],
    ["0.000000001", "BTC"],
    ["0.0000001", "USDT"],
    ["", "USD"],
    ["abc", "USD"],
    ["1e2", "USD"],
    ["1E2", "USD"],
    ["12.", "USD"],
    [".5", "USD"],
    [" 1", "USD"],
    ["1 ", "USD"],
    ["+1", "USD"],
    ["1_000", "USD"],
    ["NaN", "USD"],
    ["Infinity", "USD"],
    ["-1", "USD"],
    ["-0.01", "BTC"],
  ] as const)("rejects %j for %s", (input, asset) => {
    expect(() => parseMoney(input, asset)).toThrow(InvalidAmountError);
  });

  it("accepts a leading minus only when allowed", () => {
    expect(parseMoney("-12.34", "USD", { allowNegative: true })).toEqual({ amount: -1234n, asset: "USD" });
    expect(() => parseMoney("-12.34", "USD")).toThrow(expect.objectContaining({ code: "money.invalid_amount" }));
  });

  it("rejects non-string input at runtime", () => {
    expect(() => parseMoney(12.34 as unknown as string, "USD")).toThrow(InvalidAmountError);
  });
});

describe("formatMoney", () => {
  it.each([
    [1230n, "USD", "12.30", "12.3"],
    [0n, "USD", "0.00", "0"],
    [5n, "EUR", "0.05", "0.05"],
    [-1234n, "CNY", "-12.34", "-12.34"],
    [200_000n, "BTC", "0.00200000", "0.002"],
    [1n, "ETH", "0.000000000000000001", "0.000000000000000001"],
    [10_000_000n, "USDT", "10.000000", "10"],
  ] as const)("%i %s → %s / %s", (amount, asset, full, trimmed) => {
    expect(formatMoney(money(amount, asset))).toBe(full);
    expect(formatMoneyTrimmed(money(amount, asset))).toBe(trimmed);
  });
});

describe("money arithmetic", () => {
  it("money() refuses a non-bigint amount", () => {
    expect(() => money(1 as unknown as bigint, "USD")).toThrow(InvalidAmountError);
  });

  it.each([
    [1000n, 250n, "half-even", 25n],
    [1n, 5000n, "half-even", 0n], // 0.5 → even 0
    [3n, 5000n, "half-even", 2n], // 1.5 → even 2
    [1n, 1n, "up", 1n],
    [1n, 1n, "down", 0n],
    [9999n, 50n, "down", 49n],
    [9999n, 50n, "up", 50n],
    [12345n, 10_000n, "down", 12345n],
  ] as const)("percentOf(%i, %i bps, %s) = %i", (amount, bps, rounding, expected) => {
    expect(percentOf(money(amount, "USD"), bps, rounding)).toEqual(money(expected, "USD"));
  });

  it("percentOf refuses negative basis points", () => {
    expect(() => percentOf(money(1n, "USD"), -1n, "down")).toThrow(InvalidAmountError);
  });

  it("multiplyMoney, isZero, isPositive, compareMoney", () => {
    expect(multiplyMoney(money(1999n, "USD"), 3n)).toEqual(money(5997n, "USD"));
    expect(isZero(money(0n, "BTC"))).toBe(true);
    expect(isPositive(money(0n, "BTC"))).toBe(false);
    expect(isPositive(money(1n, "BTC"))).toBe(true);
    expect(compareMoney(money(1n, "USD"), money(2n, "USD"))).toBe(-1);
    expect(compareMoney(money(2n, "USD"), money(2n, "USD"))).toBe(0);
    expect(compareMoney(money(3n, "USD"), money(2n, "USD"))).toBe(1);
  });

  it("property: subtract undoes add", () => {
    fc.assert(
      fc.property(sameAssetPair, ([a, b]) => {
        expect(subtractMoney(addMoney(a, b), b)).toEqual(a);
        expect(addMoney(subtractMoney(a, b), b)).toEqual(a);
      }),
    );
  });

  it("property: addition is commutative and associative", () => {
    fc.assert(
      fc.property(sameAssetTriple, ([a, b, c]) => {
        expect(addMoney(a, b)).toEqual(addMoney(b, a));
        expect(addMoney(addMoney(a, b), c)).toEqual(addMoney(a, addMoney(b, c)));
      }),
    );
  });

  it("property: parseMoney(formatMoney(m)) === m for every asset", () => {
    fc.assert(
      fc.property(moneyArb, (m) => {
        expect(parseMoney(formatMoney(m), m.asset, { allowNegative: true })).toEqual(m);
        expect(parseMoney(formatMoneyTrimmed(m), m.asset, { allowNegative: true })).toEqual(m);
      }),
    );
  });

  it("property: sumMoney equals a reduce with addMoney", () => {
    fc.assert(
      fc.property(
        assetArb.chain((asset) => fc.tuple(fc.constant(asset), fc.array(moneyIn(asset), { maxLength: 20 }))),
        ([asset, list]) => {
          const reduced = list.reduce<Money>((acc, m) => addMoney(acc, m), money(0n, asset));
          expect(sumMoney(list, asset)).toEqual(reduced);
          expect(sumMoney(list, asset).amount).toBe(list.reduce((acc, m) => acc + m.amount, 0n));
        },
      ),
    );
  });

  it("property: mixing assets always throws CurrencyMismatchError", () => {
    const distinctAssets = fc
      .tuple(assetArb, assetArb)
      .filter(([x, y]) => x !== y)
      .chain(([x, y]) => fc.tuple(moneyIn(x), moneyIn(y)));
    fc.assert(
      fc.property(distinctAssets, ([a, b]) => {
        expect(() => addMoney(a, b)).toThrow(CurrencyMismatchError);
        expect(() => subtractMoney(a, b)).toThrow(CurrencyMismatchError);
        expect(() => compareMoney(a, b)).toThrow(CurrencyMismatchError);
        expect(() => sumMoney([a, b], a.asset)).toThrow(CurrencyMismatchError);
        expect(() => sumMoney([a], b.asset)).toThrow(CurrencyMismatchError);
      }),
    );
  });
});
