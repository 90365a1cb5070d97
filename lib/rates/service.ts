// Exchange-rate refresh (ask the feeds, aggregate, store a lockable row per pair) and lookup.
import { and, eq, gt, gte, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { exchangeRates, systemConfiguration, type ProviderConfig } from "@/db/schema";
import {
  DomainError,
  RATE_MAX_DECIMALS,
  aggregateQuotes,
  createExchangeRate,
  formatDecimalUnitsTrimmed,
  isCrypto,
  isFiat,
  rateUnits,
  type AggregatedRate,
  type CryptoCurrency,
  type FiatCurrency,
} from "@/lib/domain";
import { DEFAULT_SYSTEM_CONFIG } from "@/lib/system-config";
import { activeProviderConfigs, collectQuotes, createProvider } from "./providers";
import { ALL_RATE_PAIRS, pairKey, type FetchImpl, type ProviderError, type Quote, type RatePair, type RateProvider } from "./types";

export const DEFAULT_RATE_LOCK_MINUTES = 15;
export const DEFAULT_LOCKED_RATE_MAX_AGE_SECONDS = 60 * 15;

/** No usable exchange rate for a pair: the API answers 503 `rates.unavailable`. */
export class RatesUnavailableError extends DomainError {
  constructor(fiat?: string, crypto?: string) {
    super(
      "rates.unavailable",
      fiat && crypto ? `No exchange rate is available for ${fiat}/${crypto}` : "Exchange rates are unavailable",
      fiat && crypto ? { fiat, crypto } : undefined,
    );
    this.name = "RatesUnavailableError";
  }
}

export type LockedRate = {
  id: string;
  fiat: FiatCurrency;
  crypto: CryptoCurrency;
  /** Exact decimal, trailing zeros trimmed ("97123.5"). */
  rate: string;
  source: string;
  lockedAt: Date;
  expiresAt: Date;
};

type RatesSettings = { providers: ProviderConfig[]; rateLockMinutes: number };

async function loadRatesSettings(db: Executor): Promise<RatesSettings> {
  const [row] = await db
    .select({ providers: systemConfiguration.exchangeRateProviders, payment: systemConfiguration.paymentSettings })
    .from(systemConfiguration)
    .limit(1);
  const providers = Array.isArray(row?.providers) ? row.providers : DEFAULT_SYSTEM_CONFIG.exchangeRateProviders;
  const minutes = row?.payment?.rateLockMinutes;
  return {
    providers: providers.map((p) => ({ ...p })),
    rateLockMinutes: Number.isSafeInteger(minutes) && minutes! > 0 ? minutes! : DEFAULT_RATE_LOCK_MINUTES,
  };
}

/** The configured providers (first system_configuration row), or coingecko, binance, kraken, static. */
export async function loadProviderConfig(db: Executor): Promise<ProviderConfig[]> {
  return (await loadRatesSettings(db)).providers;
}

export type RefreshOptions = {
  /** Lock instant of the stored rows and reference time for quote freshness. Default: now. */
  now?: Date;
  /**
   * Implementations to use instead of the built-in adapters (tests). The configuration still
   * decides which run and in what order: an injected provider runs only if its id is enabled.
   */
  providers?: readonly RateProvider[];
  /** fetch for the built-in adapters. */
  fetchImpl?: FetchImpl;
  signal?: AbortSignal;
  /** Default: every FIAT × CRYPTO pair. */
  pairs?: readonly RatePair[];
  maxAgeSeconds?: number;
  maxDeviationBps?: number;
};

export type RefreshResult = {
  stored: number;
  errors: ProviderError[];
  rates: LockedRate[];
  /** Pairs no provider (not even a fallback) could price, as "USD/BTC". */
  missing: string[];
};

function toLockedRate(row: typeof exchangeRates.$inferSelect): LockedRate {
  const units = rateUnits(row.rate);
  return {
    id: row.id,
    fiat: row.fromCurrency,
    crypto: row.toCurrency,
    rate: units === null ? row.rate : formatDecimalUnitsTrimmed(units, RATE_MAX_DECIMALS),
    source: row.source,
    lockedAt: row.lockedAt,
    expiresAt: row.expiresAt,
  };
}

/**
 * Asks the enabled live providers concurrently, aggregates their quotes per pair (median, outliers
 * dropped) and stores one exchange_rates row per priced pair, locked from `now` for
 * paymentSettings.rateLockMinutes. A fallback provider (static) prices a pair only when no live
 * provider produced a usable quote for it; several fallbacks are tried in priority order.
 * Provider failures never throw: they come back in `errors`.
 */
export async function refreshExchangeRates(db: Executor, options: RefreshOptions = {}): Promise<RefreshResult> {
  const now = options.now ?? new Date();
  const pairs = options.pairs ?? ALL_RATE_PAIRS;
  const { providers: config, rateLockMinutes } = await loadRatesSettings(db);
  const errors: ProviderError[] = [];

  const chosen: RateProvider[] = [];
  for (const entry of activeProviderConfigs(config)) {
    const provider = options.providers
      ? options.providers.find((p) => p.id === entry.id)
      : createProvider(entry, { fetchImpl: options.fetchImpl });
    if (provider) chosen.push(provider);
    else errors.push({ provider: entry.id, message: options.providers ? "no implementation injected" : "unknown provider" });
  }

  const aggregate = (quotes: Quote[], forPairs: readonly RatePair[]): AggregatedRate[] => {
    const wanted = new Set(forPairs.map(pairKey));
    return aggregateQuotes(quotes, {
      now,
      maxAgeSeconds: options.maxAgeSeconds,
      maxDeviationBps: options.maxDeviationBps,
    }).filter((rate) => wanted.has(pairKey(rate)));
  };
  const fetchOpts = { now, signal: options.signal };

  const live = chosen.filter((p) => !p.fallbackOnly);
  const liveResults = await Promise.all(live.map((p) => collectQuotes(p, pairs, fetchOpts)));
  live.forEach((p, i) => errors.push(...liveResults[i]!.errors.map((message) => ({ provider: p.id, message }))));
  const finalRates = aggregate(liveResults.flatMap((r) => r.quotes), pairs);
  for (const rate of finalRates) {
    for (const outlier of rate.outliers) {
      errors.push({ provider: outlier, message: `${pairKey(rate)}: quote deviates too far from the median, dropped` });
    }
  }

  for (const fallback of chosen.filter((p) => p.fallbackOnly)) {
    const priced = new Set(finalRates.map(pairKey));
    const missing = pairs.filter((pair) => !priced.has(pairKey(pair)));
    if (missing.length === 0) break;
    const result = await collectQuotes(fallback, missing, fetchOpts);
    errors.push(...result.errors.map((message) => ({ provider: fallback.id, message })));
    finalRates.push(...aggregate(result.quotes, missing));
  }

  const priced = new Set(finalRates.map(pairKey));
  const missing = pairs.filter((pair) => !priced.has(pairKey(pair))).map(pairKey);
  if (finalRates.length === 0) return { stored: 0, errors, rates: [], missing };

  const expiresAt = new Date(now.getTime() + rateLockMinutes * 60_000);
  const rows = finalRates.map((r) => {
    // Same checks an invoice applies when it locks the rate: refuse to store what it would refuse.
    createExchangeRate({ from: r.fiat, to: r.crypto, rate: r.rate, source: r.source, lockedAt: now, expiresAt });
    return { fromCurrency: r.fiat, toCurrency: r.crypto, rate: r.rate, source: r.source, lockedAt: now, expiresAt };
  });
  const inserted = await db.insert(exchangeRates).values(rows).returning();
  return { stored: inserted.length, errors, rates: inserted.map(toLockedRate), missing };
}

export type GetLockedRateOptions = {
  now: Date;
  /** Rows locked longer ago than this are ignored even if not expired. Default 15 min. */
  maxAgeSeconds?: number;
};

function assertPair(fiat: string, crypto: string): void {
  if (!isFiat(fiat) || !isCrypto(crypto)) {
    throw new DomainError("rates.unsupported_pair", `${fiat}/${crypto} is not a supported pair`, { fiat, crypto });
  }
}

/**
 * The rate lookup, prepared once per database handle: every invoice creation runs it on the pool,
 * so PostgreSQL plans it once per connection and drizzle builds its SQL once.
 */
function buildLockedRateStatement(db: Executor) {
  return db
    .select()
    .from(exchangeRates)
    .where(
      and(
        eq(exchangeRates.fromCurrency, sql.placeholder("fiat")),
        eq(exchangeRates.toCurrency, sql.placeholder("crypto")),
        gt(exchangeRates.expiresAt, sql`${sql.placeholder("now")}::timestamptz`),
        gte(exchangeRates.lockedAt, sql`${sql.placeholder("oldest")}::timestamptz`),
      ),
    )
    .orderBy(sql`${exchangeRates.lockedAt} desc nulls last`) // matches the index (DESC NULLS LAST): no sort
    .limit(1)
    .prepare("exchange_rate_locked");
}

const lockedRateStatements = new WeakMap<Executor, ReturnType<typeof buildLockedRateStatement>>();

/** The newest stored rate for the pair that is still valid at `now`, or null. */
export async function getLockedRate(
  db: Executor,
  fiat: FiatCurrency,
  crypto: CryptoCurrency,
  options: GetLockedRateOptions,
): Promise<LockedRate | null> {
  assertPair(fiat, crypto);
  const maxAgeSeconds = options.maxAgeSeconds ?? DEFAULT_LOCKED_RATE_MAX_AGE_SECONDS;
  const oldest = new Date(options.now.getTime() - maxAgeSeconds * 1000);
  let statement = lockedRateStatements.get(db);
  if (!statement) lockedRateStatements.set(db, (statement = buildLockedRateStatement(db)));
  const [row] = await statement.execute({ fiat, crypto, now: options.now.toISOString(), oldest: oldest.toISOString() });
  return row ? toLockedRate(row) : null;
}

export type EnsureFreshRateOptions = GetLockedRateOptions & {
  /** Called (once) when no valid rate is stored, e.g. () => refreshExchangeRates(db).then(() => {}). */
  refresh: () => Promise<void>;
};

/**
 * A valid stored rate, refreshing once if there is none. Null when still none: the caller answers
 * 503 `rates.unavailable` (RatesUnavailableError). Errors thrown by `refresh` propagate.
 */
export async function ensureFreshRate(
  db: Executor,
  fiat: FiatCurrency,
  crypto: CryptoCurrency,
  options: EnsureFreshRateOptions,
): Promise<LockedRate | null> {
  const existing = await getLockedRate(db, fiat, crypto, options);
  if (existing) return existing;
  await options.refresh();
  return getLockedRate(db, fiat, crypto, options);
}
