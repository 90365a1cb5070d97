// Exact decimal helpers for provider prices. Prices arrive as decimal text (Binance, Kraken) or
// as JSON number literals kept as text (CoinGecko, see lossless-json.ts); neither ever becomes a
// JS number.
import { RATE_MAX_DECIMALS, divideRounded, formatDecimalUnitsTrimmed } from "@/lib/domain";

// A JSON number literal, or plain decimal text; exponent allowed ("1.2e-5", as JSON permits).
const NUMBER_PATTERN = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
const MAX_INPUT_LENGTH = 80;
const MAX_EXPONENT = 60;
const SCALE = 10n ** BigInt(RATE_MAX_DECIMALS);
/** exchange_rates.rate is numeric(38, 18): at most 20 integer digits. */
const MAX_UNITS = 10n ** 38n;

export type DecimalResult = { ok: true; value: string; units: bigint } | { ok: false; reason: string };

/**
 * Normalises a provider price into a positive decimal string with ≤ 18 fractional digits and no
 * trailing zeros ("97123.45000000" → "97123.45", "1.5e3" → "1500"). More than 18 decimals are
 * rounded half-even (finer digits are feed noise). Non-numeric, zero, negative or absurdly large
 * values are refused with a reason.
 */
export function normalizePrice(input: unknown): DecimalResult {
  if (typeof input !== "string") return { ok: false, reason: `not a number (${describe(input)})` };
  const text = input.trim();
  if (text.length === 0 || text.length > MAX_INPUT_LENGTH) return { ok: false, reason: `not a number ("${clip(text)}")` };
  const match = NUMBER_PATTERN.exec(text);
  if (!match) return { ok: false, reason: `not a number ("${clip(text)}")` };
  const [, sign = "", whole = "", fraction = "", exponentText = "0"] = match;
  const exponent = Number.parseInt(exponentText, 10);
  if (Math.abs(exponent) > MAX_EXPONENT) return { ok: false, reason: `out of range ("${clip(text)}")` };
  const digits = BigInt(whole + fraction);
  // value = digits · 10^(exponent − fraction.length); rescale to 10^-18 units.
  const shift = exponent - fraction.length + RATE_MAX_DECIMALS;
  const magnitude = shift >= 0 ? digits * 10n ** BigInt(shift) : divideRounded(digits, 10n ** BigInt(-shift), "half-even");
  const units = sign === "-" ? -magnitude : magnitude;
  if (units <= 0n) return { ok: false, reason: `not positive ("${clip(text)}")` };
  if (units >= MAX_UNITS) return { ok: false, reason: `out of range ("${clip(text)}")` };
  return { ok: true, value: formatDecimalUnitsTrimmed(units, RATE_MAX_DECIMALS), units };
}

/** 1 / value, exact, rounded half-even to 18 decimals; null when the result would round to 0. */
export function invertPrice(value: string): DecimalResult {
  const parsed = normalizePrice(value);
  if (!parsed.ok) return parsed;
  const inverse = divideRounded(SCALE * SCALE, parsed.units, "half-even");
  if (inverse <= 0n) return { ok: false, reason: `inverse of "${value}" rounds to zero` };
  if (inverse >= MAX_UNITS) return { ok: false, reason: `inverse of "${value}" out of range` };
  return { ok: true, value: formatDecimalUnitsTrimmed(inverse, RATE_MAX_DECIMALS), units: inverse };
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "missing";
  return Array.isArray(value) ? "array" : typeof value;
}
