import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DomainError,
  divideRounded,
  formatDecimalUnits,
  formatDecimalUnitsTrimmed,
  parseDecimalUnits,
} from "@/lib/domain";

describe("divideRounded", () => {
  it.each([
    // numerator, denominator, up, down, half-even
    [10n, 5n, 2n, 2n, 2n],
    [7n, 2n, 4n, 3n, 4n], // 3.5 → even 4
    [5n, 2n, 3n, 2n, 2n], // 2.5 → even 2
    [11n, 4n, 3n, 2n, 3n], // 2.75
    [9n, 4n, 3n, 2n, 2n], // 2.25
    [-7n, 2n, -3n, -4n, -4n], // -3.5 → even -4
    [-5n, 2n, -2n, -3n, -2n], // -2.5 → even -2
    [7n, -2n, -3n, -4n, -4n],
    [0n, 3n, 0n, 0n, 0n],
    [1n, 3n, 1n, 0n, 0n],
    [2n, 3n, 1n, 0n, 1n],
  ])("%i / %i", (n, d, up, down, halfEven) => {
    expect(divideRounded(n, d, "up")).toBe(up);
    expect(divideRounded(n, d, "down")).toBe(down);
    expect(divideRounded(n, d, "half-even")).toBe(halfEven);
  });

  it("refuses division by zero", () => {
    expect(() => divideRounded(1n, 0n, "up")).toThrow(DomainError);
  });

  it("property: down ≤ n/d ≤ up, up − down ∈ {0,1}, half-even is within half a unit", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.bigInt({ min: 1n, max: 10n ** 20n }),
        (n, d) => {
          const up = divideRounded(n, d, "up");
          const down = divideRounded(n, d, "down");
          const half = divideRounded(n, d, "half-even");
          expect(down * d <= n).toBe(true);
          expect(up * d >= n).toBe(true);
          expect(up - down === (n % d === 0n ? 0n : 1n)).toBe(true);
          const error = half * d - n;
          expect((error < 0n ? -error : error) * 2n <= d).toBe(true);
        },
      ),
    );
  });
});

describe("decimal strings", () => {
  it.each([
    ["0", 2, 0n],
    ["12.34", 2, 1234n],
    ["12.3", 2, 1230n],
    ["007", 2, 700n],
    ["0.000000000000000001", 18, 1n],
  ])("parseDecimalUnits(%j, %i) = %i", (input, decimals, units) => {
    const result = parseDecimalUnits(input, decimals);
    expect(result).toMatchObject({ ok: true, units });
  });

  it.each([
    ["", "malformed"],
    [" 1", "malformed"],
    ["1e3", "malformed"],
    [".5", "malformed"],
    ["5.", "malformed"],
    ["+5", "malformed"],
    ["1,5", "malformed"],
    ["0x10", "malformed"],
    ["１", "malformed"],
    ["1.234", "too_many_decimals"],
    ["-1", "negative"],
    ["9".repeat(81), "too_long"],
  ])("parseDecimalUnits(%j, 2) fails with %s", (input, reason) => {
    expect(parseDecimalUnits(input, 2)).toEqual({ ok: false, reason });
  });

  it("parses negatives only when allowed", () => {
    expect(parseDecimalUnits("-1.5", 2, { allowNegative: true })).toMatchObject({ ok: true, units: -150n });
  });

  it.each([
    [0n, 2, "0.00", "0"],
    [1n, 2, "0.01", "0.01"],
    [1230n, 2, "12.30", "12.3"],
    [-5n, 2, "-0.05", "-0.05"],
    [500n, 2, "5.00", "5"],
    [42n, 0, "42", "42"],
    [1n, 18, "0.000000000000000001", "0.000000000000000001"],
  ])("format %i at %i decimals → %s / %s", (units, decimals, full, trimmed) => {
    expect(formatDecimalUnits(units, decimals)).toBe(full);
    expect(formatDecimalUnitsTrimmed(units, decimals)).toBe(trimmed);
  });
});
