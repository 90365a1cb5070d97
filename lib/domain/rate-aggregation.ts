// Combines price quotes from several feeds into one rate per fiat/crypto pair.
//
// Every rate stays an exact decimal: quotes are parsed into bigint counts of 10^-18 (the rate
// scale, RATE_MAX_DECIMALS) and only the mean of the two middle quotes (even count) is rounded,
// half-even, back to 18 decimals. Pure: the caller supplies `now`.
import { CRYPTO_CURRENCIES, FIAT_CURRENCIES, isCrypto, isFiat, type CryptoCurrency, type FiatCurrency } from "./assets";
import { formatDecimalUnitsTrimmed, parseDecimalUnits } from "./decimal";
import { InvariantError } from "./errors";
import { RATE_MAX_DECIMALS } from "./exchange-rate";
import { divideRounded } from "./rounding";

/** One price observation: `rate` is the fiat price of ONE whole crypto unit (decimal string). */
export interface RateQuote {
  readonly fiat: FiatCurrency;
  readonly crypto: CryptoCurrency;
  readonly rate: string;
  /** Who quoted it, e.g. "coingecko". */
  readonly source: string;
  /** When the feed observed the price (not when we fetched it). */
  readonly observedAt: Date;
}

export interface AggregatedRate {
  readonly fiat: FiatCurrency;
  readonly crypto: CryptoCurrency;
  /** Exact decimal, ≤ 18 fractional digits, trailing zeros trimmed. */
  readonly rate: string;
  /** The sources whose quotes made the final median, sorted and de-duplicated. */
  readonly sources: readonly string[];
  /** "median(coingecko,kraken)", or the lone source's name when one source survived. */
  readonly source: string;
  /** Sources dropped for deviating too far from the first median (diagnostics). */
  readonly outliers: readonly string[];
}

export interface RateAggregationOptions {
  readonly now: Date;
  /** Quotes observed more than this long before `now` are ignored. Default 300 s. */
  readonly maxAgeSeconds?: number;
  /** Quotes further than this (basis points) from the median are dropped. Default 200 (2 %). */
  readonly maxDeviationBps?: number;
}

export const DEFAULT_RATE_MAX_AGE_SECONDS = 300;
export const DEFAULT_RATE_MAX_DEVIATION_BPS = 200;

interface ParsedQuote {
  readonly units: bigint;
  readonly source: string;
}

/** Parses a quote's rate into 10^-18 units; null when malformed, too precise or not positive. */
export function rateUnits(rate: unknown): bigint | null {
  const parsed = parseDecimalUnits(rate, RATE_MAX_DECIMALS);
  if (!parsed.ok || parsed.units <= 0n) return null;
  return parsed.units;
}

function assertNonNegativeInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvariantError(`${name} must be a non-negative integer, got ${value}`, { [name]: value });
  }
}

/** Median of a non-empty list of 10^-18 units; even count → mean of the middle two, half-even. */
export function medianUnits(values: readonly bigint[]): bigint {
  if (values.length === 0) throw new InvariantError("Median of an empty list");
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid]!;
  if (sorted.length % 2 === 1) return upper;
  return divideRounded(sorted[mid - 1]! + upper, 2n, "half-even");
}

/** Median of decimal rate strings (each ≤ 18 decimals, positive); exact, rounded to 18 decimals. */
export function medianRate(rates: readonly string[]): string {
  const units = rates.map((rate) => {
    const parsed = rateUnits(rate);
    if (parsed === null) throw new InvariantError(`Invalid rate "${rate}"`, { rate });
    return parsed;
  });
  return formatDecimalUnitsTrimmed(medianUnits(units), RATE_MAX_DECIMALS);
}

/** |value − reference| > maxBps/10000 · reference, in exact integer arithmetic. */
function deviatesTooFar(value: bigint, reference: bigint, maxBps: number): boolean {
  const diff = value > reference ? value - reference : reference - value;
  return diff * 10_000n > BigInt(maxBps) * reference;
}

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

function isUsable(quote: RateQuote, nowMs: number, maxAgeMs: number): boolean {
  if (!quote || !isFiat(quote.fiat) || !isCrypto(quote.crypto)) return false;
  if (typeof quote.source !== "string" || quote.source.trim() === "") return false;
  if (!(quote.observedAt instanceof Date)) return false;
  const observedMs = quote.observedAt.getTime();
  if (Number.isNaN(observedMs)) return false;
  // Future-dated quotes are refused: a feed claiming to see tomorrow's price is broken.
  return observedMs <= nowMs && nowMs - observedMs <= maxAgeMs;
}

function aggregatePair(quotes: readonly ParsedQuote[], maxDeviationBps: number) {
  const firstMedian = medianUnits(quotes.map((q) => q.units));
  const kept = quotes.filter((q) => !deviatesTooFar(q.units, firstMedian, maxDeviationBps));
  const dropped = quotes.filter((q) => deviatesTooFar(q.units, firstMedian, maxDeviationBps));
  // Everyone disagreeing with the median (two feeds far apart, or an even split) leaves no
  // majority to trust over the rest: keep them all rather than invent one.
  const survivors = kept.length > 0 ? kept : quotes;
  const outliers = kept.length > 0 ? dropped : [];
  const units = kept.length > 0 ? medianUnits(survivors.map((q) => q.units)) : firstMedian;
  const sources = uniqueSorted(survivors.map((q) => q.source));
  return {
    rate: formatDecimalUnitsTrimmed(units, RATE_MAX_DECIMALS),
    sources,
    source: sources.length === 1 ? sources[0]! : `median(${sources.join(",")})`,
    outliers: uniqueSorted(outliers.map((q) => q.source)),
  };
}

/**
 * Per pair: drops stale, future-dated and malformed quotes, takes the median, drops quotes
 * deviating more than `maxDeviationBps` from it and takes the median of the rest. Pairs without a
 * usable quote are absent. Output order: FIAT_CURRENCIES × CRYPTO_CURRENCIES, independent of the
 * input order.
 */
export function aggregateQuotes(
  quotes: readonly RateQuote[],
  options: RateAggregationOptions,
): AggregatedRate[] {
  const maxAgeSeconds = options.maxAgeSeconds ?? DEFAULT_RATE_MAX_AGE_SECONDS;
  const maxDeviationBps = options.maxDeviationBps ?? DEFAULT_RATE_MAX_DEVIATION_BPS;
  assertNonNegativeInteger("maxAgeSeconds", maxAgeSeconds);
  assertNonNegativeInteger("maxDeviationBps", maxDeviationBps);
  const nowMs = options.now.getTime();
  if (Number.isNaN(nowMs)) throw new InvariantError("aggregateQuotes needs a valid `now`");

  const byPair = new Map<string, ParsedQuote[]>();
  for (const quote of quotes) {
    if (!isUsable(quote, nowMs, maxAgeSeconds * 1000)) continue;
    const units = rateUnits(quote.rate);
    if (units === null) continue;
    const key = `${quote.fiat}/${quote.crypto}`;
    const list = byPair.get(key) ?? [];
    list.push({ units, source: quote.source });
    byPair.set(key, list);
  }

  const result: AggregatedRate[] = [];
  for (const fiat of FIAT_CURRENCIES) {
    for (const crypto of CRYPTO_CURRENCIES) {
      const pairQuotes = byPair.get(`${fiat}/${crypto}`);
      if (!pairQuotes || pairQuotes.length === 0) continue;
      result.push(Object.freeze({ fiat, crypto, ...aggregatePair(pairQuotes, maxDeviationBps) }));
    }
  }
  return result;
}
