import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CurrencyMismatchError,
  DEFAULT_PAYMENT_TOLERANCE,
  DomainError,
  InvalidAmountError,
  classifyPaymentAmount,
  createPaymentTolerance,
  formatBpsAsPercent,
  money,
  parsePercentToBps,
  settlesInvoice,
  type PaymentToleranceInput,
} from "@/lib/domain";

const tolerance = (under: bigint, over: bigint) =>
  createPaymentTolerance({ underpaymentThresholdBps: under, overpaymentThresholdBps: over, overpaymentAction: "credit" });

describe("classifyPaymentAmount boundaries (minor units)", () => {
  it.each([
    // required, received, underBps, overBps, kind, shortfall, excess
    [10_000n, 0n, 50n, 100n, "none", 10_000n, 0n],
    [10_000n, 10_000n, 50n, 100n, "full", 0n, 0n],
    [10_000n, 9_950n, 50n, 100n, "full", 50n, 0n], // exactly at under threshold
    [10_000n, 9_949n, 50n, 100n, "partial", 51n, 0n], // one unit beyond
    [10_000n, 10_100n, 50n, 100n, "full", 0n, 100n], // exactly at over threshold
    [10_000n, 10_101n, 50n, 100n, "overpaid", 0n, 101n], // one unit beyond
    [10_000n, 1n, 50n, 100n, "partial", 9_999n, 0n],
    [10_000n, 9_999n, 0n, 0n, "partial", 1n, 0n], // zero tolerance: any shortfall is partial
    [10_000n, 10_001n, 0n, 0n, "overpaid", 0n, 1n], // zero tolerance: any excess is overpaid
    [10_000n, 9_900n, 100n, 0n, "full", 100n, 0n], // max under = 1.00 %
    [10_000n, 9_899n, 100n, 0n, "partial", 101n, 0n],
    [10_000n, 20_000n, 0n, 10_000n, "full", 0n, 10_000n], // max over = 100.00 %
    [10_000n, 20_001n, 0n, 10_000n, "overpaid", 0n, 10_001n],
    // allowances round DOWN: 199 × 0.5 % = 0.995 → 0, 199 × 1 % = 1.99 → 1
    [199n, 198n, 50n, 100n, "partial", 1n, 0n],
    [199n, 200n, 50n, 100n, "full", 0n, 1n],
    [199n, 201n, 50n, 100n, "overpaid", 0n, 2n],
  ] as const)(
    "required %i, received %i, under %i bps, over %i bps → %s",
    (required, received, under, over, kind, shortfall, excess) => {
      const result = classifyPaymentAmount(money(required, "USD"), money(received, "USD"), tolerance(under, over));
      expect(result).toEqual({
        kind,
        shortfall: money(shortfall, "USD"),
        excess: money(excess, "USD"),
        withinTolerance: kind === "full",
      });
    },
  );

  it("works in crypto minor units (0.5 % of 200 000 sats = 1 000 sats)", () => {
    const required = money(200_000n, "BTC");
    expect(classifyPaymentAmount(required, money(199_000n, "BTC"), DEFAULT_PAYMENT_TOLERANCE).kind).toBe("full");
    expect(classifyPaymentAmount(required, money(198_999n, "BTC"), DEFAULT_PAYMENT_TOLERANCE).kind).toBe("partial");
  });

  it("rejects mixed assets, non-positive required and negative received", () => {
    expect(() => classifyPaymentAmount(money(1n, "BTC"), money(1n, "ETH"), DEFAULT_PAYMENT_TOLERANCE)).toThrow(
      CurrencyMismatchError,
    );
    expect(() => classifyPaymentAmount(money(0n, "BTC"), money(1n, "BTC"), DEFAULT_PAYMENT_TOLERANCE)).toThrow(
      InvalidAmountError,
    );
    expect(() => classifyPaymentAmount(money(1n, "BTC"), money(-1n, "BTC"), DEFAULT_PAYMENT_TOLERANCE)).toThrow(
      InvalidAmountError,
    );
  });

  it("settlesInvoice: full and overpaid settle, none and partial don't", () => {
    const r = money(10_000n, "USD");
    const t = DEFAULT_PAYMENT_TOLERANCE;
    expect(settlesInvoice(classifyPaymentAmount(r, money(0n, "USD"), t))).toBe(false);
    expect(settlesInvoice(classifyPaymentAmount(r, money(5_000n, "USD"), t))).toBe(false);
    expect(settlesInvoice(classifyPaymentAmount(r, money(10_000n, "USD"), t))).toBe(true);
    expect(settlesInvoice(classifyPaymentAmount(r, money(50_000n, "USD"), t))).toBe(true);
  });

  it("property: classification agrees with its definition", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 15n }),
        fc.bigInt({ min: 0n, max: 3n * 10n ** 15n }),
        fc.bigInt({ min: 0n, max: 100n }),
        fc.bigInt({ min: 0n, max: 10_000n }),
        (required, received, under, over) => {
          const r = classifyPaymentAmount(money(required, "ETH"), money(received, "ETH"), tolerance(under, over));
          expect(r.shortfall.amount - r.excess.amount).toBe(required - received);
          expect(r.shortfall.amount >= 0n && r.excess.amount >= 0n).toBe(true);
          expect(r.shortfall.amount === 0n || r.excess.amount === 0n).toBe(true);
          const underAllowance = (required * under) / 10_000n;
          const overAllowance = (required * over) / 10_000n;
          const expected =
            received === 0n
              ? "none"
              : r.shortfall.amount > underAllowance
                ? "partial"
                : r.excess.amount > overAllowance
                  ? "overpaid"
                  : "full";
          expect(r.kind).toBe(expected);
          expect(r.withinTolerance).toBe(expected === "full");
        },
      ),
    );
  });
});

describe("createPaymentTolerance", () => {
  const valid: PaymentToleranceInput = {
    underpaymentThresholdBps: 50n,
    overpaymentThresholdBps: 100n,
    overpaymentAction: "refund",
  };

  it.each([
    ["underpaymentThresholdBps", -1n],
    ["underpaymentThresholdBps", 101n],
    ["underpaymentThresholdBps", 1.5],
    ["underpaymentThresholdBps", Number.NaN],
    ["overpaymentThresholdBps", -1n],
    ["overpaymentThresholdBps", 10_001n],
    ["overpaymentThresholdBps", 0.5],
  ])("rejects %s = %s with tolerance.out_of_range naming the field", (field, value) => {
    try {
      createPaymentTolerance({ ...valid, [field]: value });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: "tolerance.out_of_range", details: { field } });
      expect((error as Error).message).toContain(field);
    }
  });

  it.each([
    [0n, 0n],
    [100n, 10_000n],
    [50, 100],
  ])("accepts under %s / over %s (bigint or integer number)", (under, over) => {
    const t = createPaymentTolerance({ ...valid, underpaymentThresholdBps: under, overpaymentThresholdBps: over });
    expect(t.underpaymentThresholdBps).toBe(BigInt(under));
    expect(t.overpaymentThresholdBps).toBe(BigInt(over));
  });

  it("rejects an unknown overpayment action", () => {
    expect(() => createPaymentTolerance({ ...valid, overpaymentAction: "keep" as "credit" })).toThrow(
      expect.objectContaining({ code: "tolerance.invalid_action" }),
    );
  });

  it("has a sane default", () => {
    expect(DEFAULT_PAYMENT_TOLERANCE).toEqual({
      underpaymentThresholdBps: 50n,
      overpaymentThresholdBps: 100n,
      overpaymentAction: "credit",
    });
  });
});

describe("percent ↔ basis points", () => {
  it.each([
    ["0", 0n],
    ["0.50", 50n],
    ["0.5", 50n],
    ["1", 100n],
    ["1.00", 100n],
    ["100.00", 10_000n],
    ["0.01", 1n],
  ])("parsePercentToBps(%j) = %i", (input, bps) => {
    expect(parsePercentToBps(input)).toBe(bps);
  });

  it.each(["0.505", "-1", "abc", "1e2", "", "0,5"])("parsePercentToBps(%j) throws", (input) => {
    expect(() => parsePercentToBps(input)).toThrow(expect.objectContaining({ code: "tolerance.invalid_percent" }));
  });

  it.each([
    [0n, "0.00"],
    [50n, "0.50"],
    [100n, "1.00"],
    [10_000n, "100.00"],
  ])("formatBpsAsPercent(%i) = %s", (bps, text) => {
    expect(formatBpsAsPercent(bps)).toBe(text);
    expect(parsePercentToBps(text)).toBe(bps);
  });
});
