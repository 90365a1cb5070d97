import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DomainError, requiredConfirmationsFor, type ConfirmationTier } from "@/lib/domain";

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error("expected a DomainError, nothing was thrown");
}

const tier = (upToMinor: string | null, confirmations: number): ConfirmationTier => ({ upToMinor, confirmations });

// The shape of the default Bitcoin tiers: ≤ $1,000 → 1, ≤ $10,000 → 2, above → 6.
const BITCOIN_LIKE = [tier("100000", 1), tier("1000000", 2), tier(null, 6)];

describe("requiredConfirmationsFor", () => {
  it("picks the first tier whose inclusive bound covers the amount", () => {
    expect(requiredConfirmationsFor(BITCOIN_LIKE, 0n)).toBe(1);
    expect(requiredConfirmationsFor(BITCOIN_LIKE, 1n)).toBe(1);
    expect(requiredConfirmationsFor(BITCOIN_LIKE, 99_999n)).toBe(1);
    expect(requiredConfirmationsFor(BITCOIN_LIKE, 100_000n)).toBe(1);
    expect(requiredConfirmationsFor(BITCOIN_LIKE, 100_001n)).toBe(2);
    expect(requiredConfirmationsFor(BITCOIN_LIKE, 1_000_000n)).toBe(2);
    expect(requiredConfirmationsFor(BITCOIN_LIKE, 1_000_001n)).toBe(6);
    expect(requiredConfirmationsFor(BITCOIN_LIKE, 10n ** 30n)).toBe(6);
  });

  it("does not depend on the order the tiers are given in", () => {
    const orders = [
      [BITCOIN_LIKE[2]!, BITCOIN_LIKE[0]!, BITCOIN_LIKE[1]!],
      [BITCOIN_LIKE[1]!, BITCOIN_LIKE[2]!, BITCOIN_LIKE[0]!],
      [...BITCOIN_LIKE].reverse(),
    ];
    for (const tiers of orders) {
      for (const amount of [0n, 100_000n, 100_001n, 1_000_000n, 1_000_001n]) {
        expect(requiredConfirmationsFor(tiers, amount)).toBe(requiredConfirmationsFor(BITCOIN_LIKE, amount));
      }
    }
  });

  it("compares bounds as integers, not as strings", () => {
    // "9" > "10" as strings; as amounts 9 < 10.
    const tiers = [tier("10", 3), tier("9", 1), tier("100", 5)];
    expect(requiredConfirmationsFor(tiers, 9n)).toBe(1);
    expect(requiredConfirmationsFor(tiers, 10n)).toBe(3);
    expect(requiredConfirmationsFor(tiers, 11n)).toBe(5);
    // Bounds beyond 2^53 stay exact.
    const huge = [tier("9007199254740993", 2), tier("9007199254740992", 1), tier(null, 9)];
    expect(requiredConfirmationsFor(huge, 9007199254740992n)).toBe(1);
    expect(requiredConfirmationsFor(huge, 9007199254740993n)).toBe(2);
    expect(requiredConfirmationsFor(huge, 9007199254740994n)).toBe(9);
  });

  it("without an unbounded tier, amounts above every bound take the last (highest) tier", () => {
    const tiers = [tier("5000", 4), tier("1000", 1)];
    expect(requiredConfirmationsFor(tiers, 5000n)).toBe(4);
    expect(requiredConfirmationsFor(tiers, 5001n)).toBe(4);
    expect(requiredConfirmationsFor(tiers, 10n ** 20n)).toBe(4);
  });

  it("a single unbounded tier applies to every amount, and 0 confirmations is allowed", () => {
    expect(requiredConfirmationsFor([tier(null, 0)], 0n)).toBe(0);
    expect(requiredConfirmationsFor([tier(null, 12)], 10n ** 40n)).toBe(12);
  });

  it.each([
    ["negative", -1],
    ["fractional", 1.5],
    ["NaN", Number.NaN],
    ["infinite", Number.POSITIVE_INFINITY],
  ])("refuses a %s confirmation count with confirmations.invalid_tier", (_label, confirmations) => {
    const error = thrown(() => requiredConfirmationsFor([tier("1000", 1), tier(null, confirmations)], 5000n));
    expect(error.code).toBe("confirmations.invalid_tier");
    expect(error.details).toMatchObject({ tier: { upToMinor: null, confirmations } });
  });

  it("refuses an invalid tier that is the first to cover the amount", () => {
    const error = thrown(() => requiredConfirmationsFor([tier("1000", -2), tier(null, 6)], 10n));
    expect(error.code).toBe("confirmations.invalid_tier");
  });

  it("refuses an empty tier list with confirmations.no_tiers", () => {
    expect(thrown(() => requiredConfirmationsFor([], 1n)).code).toBe("confirmations.no_tiers");
  });

  it("is monotonic non-decreasing in the amount when confirmations ascend with the bounds", () => {
    // Tier sets whose confirmations rise with their bounds, in any given order, with or without an unbounded tier.
    const ascendingTiers = fc
      .uniqueArray(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 6 })
      .chain((bounds) =>
        fc.tuple(
          fc.constant([...bounds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))),
          fc.array(fc.nat({ max: 5 }), { minLength: bounds.length + 1, maxLength: bounds.length + 1 }),
          fc.boolean(),
        ),
      )
      .map(([bounds, steps, unbounded]) => {
        let confirmations = 0;
        const tiers: ConfirmationTier[] = bounds.map((b, i) => tier(b.toString(), (confirmations += steps[i]!)));
        if (unbounded) tiers.push(tier(null, confirmations + steps[bounds.length]!));
        return tiers;
      })
      .chain((tiers) => fc.shuffledSubarray(tiers, { minLength: tiers.length, maxLength: tiers.length }));
    const amount = fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 12n + 10n }), fc.bigInt({ min: 0n, max: 10n ** 30n }));

    fc.assert(
      fc.property(ascendingTiers, amount, amount, (tiers, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const cLo = requiredConfirmationsFor(tiers, lo);
        const cHi = requiredConfirmationsFor(tiers, hi);
        expect(cLo).toBeLessThanOrEqual(cHi);
        // And the answer is one of the configured counts.
        expect(tiers.map((t) => t.confirmations)).toContain(cLo);
      }),
      { numRuns: 500 },
    );
  });

  it("amounts at a bound take that tier, one above take the next (property)", () => {
    const tiers = fc
      .uniqueArray(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 5 })
      .map((bounds) => [...bounds].sort((a, b) => (a < b ? -1 : 1)).map((b, i) => tier(b.toString(), i + 1)));
    fc.assert(
      fc.property(tiers, fc.nat(), (ts, pick) => {
        const i = pick % ts.length;
        const bound = BigInt(ts[i]!.upToMinor!);
        expect(requiredConfirmationsFor(ts, bound)).toBe(i + 1);
        expect(requiredConfirmationsFor(ts, bound + 1n)).toBe(Math.min(i + 2, ts.length));
      }),
      { numRuns: 300 },
    );
  });
});
