// Fixed rates for offline demos. Only ever used as the last fallback for a pair no live feed priced.
import type { CryptoCurrency, FiatCurrency } from "@/lib/domain";
import { normalizePrice } from "./decimal";
import type { FetchQuotesOptions, Quote, RatePair, RateProvider } from "./types";

export type StaticRateTable = Partial<Record<FiatCurrency, Partial<Record<CryptoCurrency, string>>>>;

export const DEFAULT_STATIC_RATES: Readonly<Record<FiatCurrency, Readonly<Record<CryptoCurrency, string>>>> =
  Object.freeze({
    USD: Object.freeze({ BTC: "97000", ETH: "3400", USDT: "1" }),
    EUR: Object.freeze({ BTC: "92000", ETH: "3220", USDT: "0.95" }),
    CNY: Object.freeze({ BTC: "700000", ETH: "24500", USDT: "7.2" }),
  });

export type StaticProviderOptions = {
  /** Provider id, also the quote source. Default "static". */
  id?: string;
  /** Replaces the default table; a pair absent from it gets no quote. */
  rates?: StaticRateTable;
};

export function createStaticProvider(options: StaticProviderOptions = {}): RateProvider {
  const id = options.id ?? "static";
  const table: StaticRateTable = options.rates ?? DEFAULT_STATIC_RATES;
  return {
    id,
    fallbackOnly: true,
    async fetchQuotes(pairs: readonly RatePair[], opts: FetchQuotesOptions): Promise<Quote[]> {
      const quotes: Quote[] = [];
      for (const { fiat, crypto } of pairs) {
        const configured = table[fiat]?.[crypto];
        if (configured === undefined) continue;
        const price = normalizePrice(configured);
        if (!price.ok) {
          opts.onError?.(`${fiat}/${crypto}: configured rate ${price.reason}`);
          continue;
        }
        quotes.push({ fiat, crypto, rate: price.value, source: id, observedAt: opts.now });
      }
      return quotes;
    },
  };
}
