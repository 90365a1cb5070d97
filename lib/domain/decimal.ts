// Exact conversion between decimal strings and scaled bigints. Money, exchange rates and
// percentages all pass through here, so no value ever becomes a JS number (float).
import { InvariantError } from "./errors";

// Digits, optional "." followed by digits. No exponent, no "+", no ".5" / "5.", no spaces.
const DECIMAL_PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;

// Guards against absurd inputs (a 10^6-digit string would still parse, slowly).
export const MAX_DECIMAL_STRING_LENGTH = 80;

export type DecimalParseFailure = "not_a_string" | "too_long" | "malformed" | "too_many_decimals" | "negative";

export type DecimalParseResult =
  | { readonly ok: true; readonly units: bigint; readonly fractionDigits: number }
  | { readonly ok: false; readonly reason: DecimalParseFailure };

export interface DecimalParseOptions {
  readonly allowNegative?: boolean;
}

function assertScale(decimals: number): void {
  if (!Number.isSafeInteger(decimals) || decimals < 0) {
    throw new InvariantError(`Invalid decimal scale ${decimals}`, { decimals });
  }
}

/**
 * Parses `input` into an integer count of 10^-decimals units ("12.34", 2 → 1234n).
 * Refuses (rather than rounds) inputs with more fractional digits than `decimals`.
 */
export function parseDecimalUnits(
  input: unknown,
  decimals: number,
  options: DecimalParseOptions = {},
): DecimalParseResult {
  assertScale(decimals);
  if (typeof input !== "string") return { ok: false, reason: "not_a_string" };
  if (input.length > MAX_DECIMAL_STRING_LENGTH) return { ok: false, reason: "too_long" };
  const match = DECIMAL_PATTERN.exec(input);
  if (!match) return { ok: false, reason: "malformed" };
  const [, sign = "", whole = "", fraction = ""] = match;
  if (sign === "-" && !options.allowNegative) return { ok: false, reason: "negative" };
  if (fraction.length > decimals) return { ok: false, reason: "too_many_decimals" };
  const magnitude = BigInt(whole + fraction.padEnd(decimals, "0"));
  return { ok: true, units: sign === "-" ? -magnitude : magnitude, fractionDigits: fraction.length };
}

/** Inverse of parseDecimalUnits: always prints exactly `decimals` fractional digits. */
export function formatDecimalUnits(units: bigint, decimals: number): string {
  assertScale(decimals);
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals);
  return `${negative ? "-" : ""}${whole}${decimals > 0 ? `.${fraction}` : ""}`;
}

/** Like formatDecimalUnits but drops trailing fractional zeros ("12.30" → "12.3", "5.00" → "5"). */
export function formatDecimalUnitsTrimmed(units: bigint, decimals: number): string {
  const full = formatDecimalUnits(units, decimals);
  return full.includes(".") ? full.replace(/\.?0+$/, "") : full;
}
