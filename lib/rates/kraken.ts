// Kraken public Ticker. Prices are decimal strings; the last trade price `c[0]` is used.
// Kraken answers HTTP 200 with a non-empty `error` array on failure ("EQuery:Unknown asset pair").
import { normalizePrice } from "./decimal";
import { field, FETCH_FAILED, getJsonOrReport, isRecord, resolveHttpOptions } from "./http";
import type { FetchQuotesOptions, HttpProviderOptions, Quote, RatePair, RateProvider } from "./types";

export const KRAKEN_DEFAULT_BASE_URL = "https://api.kraken.com";

type KrakenMarket = RatePair & { query: string; keys: readonly string[] };

/** `query` is the name we ask for, `keys` the result key Kraken answers with (legacy X/Z form first). */
const MARKETS: readonly KrakenMarket[] = [
  { query: "XBTUSD", keys: ["XXBTZUSD", "XBTUSD"], fiat: "USD", crypto: "BTC" },
  { query: "XBTEUR", keys: ["XXBTZEUR", "XBTEUR"], fiat: "EUR", crypto: "BTC" },
  { query: "ETHUSD", keys: ["XETHZUSD", "ETHUSD"], fiat: "USD", crypto: "ETH" },
  { query: "ETHEUR", keys: ["XETHZEUR", "ETHEUR"], fiat: "EUR", crypto: "ETH" },
  { query: "USDTUSD", keys: ["USDTZUSD", "USDTUSD"], fiat: "USD", crypto: "USDT" },
  { query: "USDTEUR", keys: ["USDTEUR", "USDTZEUR"], fiat: "EUR", crypto: "USDT" },
];

function marketsFor(pairs: readonly RatePair[]): KrakenMarket[] {
  return MARKETS.filter((m) => pairs.some((p) => p.fiat === m.fiat && p.crypto === m.crypto));
}

export function krakenTickerUrl(baseUrl: string, pairs: readonly RatePair[]): string {
  return `${baseUrl}/0/public/Ticker?pair=${marketsFor(pairs).map((m) => m.query).join(",")}`;
}

export function createKrakenProvider(options: HttpProviderOptions = {}): RateProvider {
  const http = resolveHttpOptions(options, KRAKEN_DEFAULT_BASE_URL);
  const id = "kraken";
  return {
    id,
    async fetchQuotes(pairs: readonly RatePair[], opts: FetchQuotesOptions): Promise<Quote[]> {
      const report = opts.onError ?? (() => {});
      const markets = marketsFor(pairs);
      if (markets.length === 0) return [];
      const body = await getJsonOrReport(krakenTickerUrl(http.baseUrl, pairs), http, opts);
      if (body === FETCH_FAILED) return [];
      const errors = isRecord(body) ? field(body, "error") : undefined;
      if (!Array.isArray(errors)) {
        report("malformed response: no error array");
        return [];
      }
      if (errors.length > 0) {
        report(`kraken error: ${errors.map((e) => String(e)).join("; ")}`);
        return [];
      }
      const result = field(body as Record<string, unknown>, "result");
      if (!isRecord(result)) {
        report("malformed response: no result object");
        return [];
      }
      const quotes: Quote[] = [];
      for (const market of markets) {
        const label = `${market.fiat}/${market.crypto}`;
        const key = market.keys.find((k) => Object.hasOwn(result, k));
        const ticker = key === undefined ? undefined : result[key];
        if (!isRecord(ticker)) {
          report(`${label}: ${market.keys[0]} missing from response`);
          continue;
        }
        const lastTrade = field(ticker, "c");
        const price = normalizePrice(Array.isArray(lastTrade) ? lastTrade[0] : undefined);
        if (!price.ok) {
          report(`${label}: last trade price ${price.reason}`);
          continue;
        }
        quotes.push({ fiat: market.fiat, crypto: market.crypto, rate: price.value, source: id, observedAt: opts.now });
      }
      return quotes;
    },
  };
}
