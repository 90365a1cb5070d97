// Integer division with an explicit rounding rule; the only place money gets rounded.
import { InvariantError } from "./errors";

/**
 * "up"        → toward +∞ (ceiling): used when the merchant must never be short.
 * "down"      → toward −∞ (floor): used for allowances and display values.
 * "half-even" → nearest, ties to the even neighbour (banker's rounding): used for tax.
 */
export type Rounding = "up" | "down" | "half-even";
export const ROUNDINGS: readonly Rounding[] = Object.freeze(["up", "down", "half-even"]);

export function divideRounded(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  if (denominator === 0n) {
    throw new InvariantError("Division by zero", undefined, "math.division_by_zero");
  }
  // Normalise so the denominator is positive; then floor division is well defined.
  const n = denominator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let quotient = n / d; // truncates toward zero
  if (n % d !== 0n && n < 0n) quotient -= 1n;
  const remainder = n - quotient * d; // 0 <= remainder < d
  if (remainder === 0n) return quotient;

  switch (rounding) {
    case "down":
      return quotient;
    case "up":
      return quotient + 1n;
    case "half-even": {
      const twice = remainder * 2n;
      if (twice > d) return quotient + 1n;
      if (twice < d) return quotient;
      return quotient % 2n === 0n ? quotient : quotient + 1n;
    }
    default: {
      const never: never = rounding;
      throw new InvariantError(`Unknown rounding "${String(never)}"`);
    }
  }
}
