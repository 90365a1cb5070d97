import type { ProviderConfig } from "@/db/schema";
import { RATE_MAX_DECIMALS, formatDecimalUnitsTrimmed, isCrypto, isFiat, rateUnits } from "@/lib/domain";
import { createBinanceProvider } from "./binance";
import { createCoinGeckoProvider } from "./coingecko";
import { errorMessage } from "./http";
import { createKrakenProvider } from "./kraken";
import { createStaticProvider, type StaticRateTable } from "./static-provider";
import { pairKey, type FetchImpl, type FetchQuotesOptions, type Quote, type RatePair, type RateProvider } from "./types";

export const PROVIDER_IDS = ["coingecko", "binance", "kraken", "static"] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/**
 * A provider entry as stored in system_configuration. Besides the schema's fields it may carry a
 * `timeoutMs`, and the static provider a `rates` table (decimal STRINGS, e.g. { USD: { BTC: "97000" } }).
 */
export type RateProviderConfig = ProviderConfig & { timeoutMs?: number; rates?: StaticRateTable };

export type BuildProvidersOverrides = {
  /** Per provider id; wins over the configured baseUrl. */
  baseUrls?: Record<string, string>;
  /** Default timeout for entries without their own `timeoutMs`. */
  timeoutMs?: number;
  fetchImpl?: FetchImpl;
};

function isProviderConfig(value: unknown): value is ProviderConfig {
  return typeof value === "object" && value !== null && typeof (value as { id?: unknown }).id === "string";
}

function priorityOf(entry: ProviderConfig): number {
  return typeof entry.priority === "number" && Number.isFinite(entry.priority) ? entry.priority : Number.POSITIVE_INFINITY;
}

/** Enabled entries, lowest priority number first (ties keep configuration order), one per id. */
export function activeProviderConfigs(config: readonly ProviderConfig[]): ProviderConfig[] {
  const seen = new Set<string>();
  return config
    .filter((entry) => isProviderConfig(entry) && entry.enabled === true)
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => priorityOf(a.entry) - priorityOf(b.entry) || a.index - b.index)
    .map(({ entry }) => entry)
    .filter((entry) => (seen.has(entry.id) ? false : (seen.add(entry.id), true)));
}

/** The adapter for one configuration entry (enabled or not), or null for an unknown id. */
export function createProvider(entry: ProviderConfig, overrides: BuildProvidersOverrides = {}): RateProvider | null {
  const extra = entry as RateProviderConfig;
  const http = {
    baseUrl: overrides.baseUrls?.[entry.id] ?? entry.baseUrl,
    timeoutMs: typeof extra.timeoutMs === "number" ? extra.timeoutMs : overrides.timeoutMs,
    fetchImpl: overrides.fetchImpl,
  };
  switch (entry.id) {
    case "coingecko":
      return createCoinGeckoProvider(http);
    case "binance":
      return createBinanceProvider(http);
    case "kraken":
      return createKrakenProvider(http);
    case "static":
      return createStaticProvider({ rates: typeof extra.rates === "object" && extra.rates !== null ? extra.rates : undefined });
    default:
      return null;
  }
}

/** Adapters for the ENABLED entries, in priority order; unknown ids are skipped. */
export function buildProviders(config: readonly ProviderConfig[], overrides: BuildProvidersOverrides = {}): RateProvider[] {
  return activeProviderConfigs(config)
    .map((entry) => createProvider(entry, overrides))
    .filter((provider): provider is RateProvider => provider !== null);
}

export type CollectedQuotes = { quotes: Quote[]; errors: string[] };

/**
 * Runs one provider and never throws: a thrown error, a quote for a pair not asked for, or a quote
 * whose rate is not a positive ≤18-decimal string becomes a diagnostic message instead.
 */
export async function collectQuotes(
  provider: RateProvider,
  pairs: readonly RatePair[],
  opts: Omit<FetchQuotesOptions, "onError">,
): Promise<CollectedQuotes> {
  const errors: string[] = [];
  let raw: Quote[];
  try {
    raw = await provider.fetchQuotes(pairs, { ...opts, onError: (message) => errors.push(message) });
  } catch (error) {
    return { quotes: [], errors: [...errors, errorMessage(error)] };
  }
  if (!Array.isArray(raw)) return { quotes: [], errors: [...errors, "provider returned no quote list"] };
  const wanted = new Set(pairs.map(pairKey));
  const quotes: Quote[] = [];
  for (const quote of raw) {
    if (!quote || !isFiat(quote.fiat) || !isCrypto(quote.crypto) || !wanted.has(pairKey(quote))) {
      errors.push(`unexpected quote for ${String(quote?.fiat)}/${String(quote?.crypto)}`);
      continue;
    }
    const units = rateUnits(quote.rate);
    if (units === null) {
      errors.push(`${pairKey(quote)}: invalid rate "${String(quote.rate)}"`);
      continue;
    }
    if (!(quote.observedAt instanceof Date) || Number.isNaN(quote.observedAt.getTime())) {
      errors.push(`${pairKey(quote)}: invalid observedAt`);
      continue;
    }
    quotes.push({ ...quote, rate: formatDecimalUnitsTrimmed(units, RATE_MAX_DECIMALS) });
  }
  return { quotes, errors };
}
