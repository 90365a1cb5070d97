import {
  CRYPTO_CURRENCIES,
  FIAT_CURRENCIES,
  type CryptoCurrency,
  type FiatCurrency,
  type RateQuote,
} from "@/lib/domain";

/** A fiat/crypto pair: we always price ONE whole crypto unit in the fiat currency. */
export type RatePair = { readonly fiat: FiatCurrency; readonly crypto: CryptoCurrency };

/** One provider's price for a pair (`rate` is an exact decimal string, never a float). */
export type Quote = RateQuote;

/** Every pair the platform prices: FIAT_CURRENCIES × CRYPTO_CURRENCIES. */
export const ALL_RATE_PAIRS: readonly RatePair[] = Object.freeze(
  FIAT_CURRENCIES.flatMap((fiat) => CRYPTO_CURRENCIES.map((crypto) => Object.freeze({ fiat, crypto }))),
);

export function pairKey(pair: RatePair): string {
  return `${pair.fiat}/${pair.crypto}`;
}

export type FetchQuotesOptions = {
  /** Aborts the request (combined with the provider's own timeout). */
  signal?: AbortSignal;
  /** The refresh instant; used as observedAt by feeds that carry no timestamp. */
  now: Date;
  /**
   * Receives one message per problem (HTTP error, bad JSON, a missing or invalid price...).
   * Adapters never throw for a bad response: the affected quotes are simply absent.
   */
  onError?: (message: string) => void;
};

export interface RateProvider {
  readonly id: string;
  /**
   * True for offline providers (the static table): only consulted for a pair when no live
   * provider produced a usable quote for it.
   */
  readonly fallbackOnly?: boolean;
  fetchQuotes(pairs: readonly RatePair[], opts: FetchQuotesOptions): Promise<Quote[]>;
}

export type FetchImpl = typeof fetch;

/** Options shared by the HTTP adapters. */
export type HttpProviderOptions = {
  /** Scheme + host (+ optional path prefix), no trailing slash needed. */
  baseUrl?: string;
  /** Per-request timeout; default 5 000 ms. */
  timeoutMs?: number;
  /** Defaults to the global fetch, looked up at call time. */
  fetchImpl?: FetchImpl;
};

export type ProviderError = { provider: string; message: string };
