// Binance spot ticker prices (decimal strings).
//
// ASSUMPTION: Binance has no USD market, only USDT ones. BTC/USD and ETH/USD are reported from
// BTCUSDT and ETHUSDT, i.e. 1 USDT is taken as 1 USD; the median against the USD feeds (CoinGecko,
// Kraken) and its outlier filter bound the error if USDT ever de-pegs. Binance cannot price USDT
// itself in USD, so USDT/USD is never reported. USDT/EUR is derived as 1 / EURUSDT (exact decimal
// division, rounded half-even to 18 decimals). CNY is not offered.
import { normalizePrice, invertPrice } from "./decimal";
import { field, FETCH_FAILED, getJsonOrReport, isRecord, resolveHttpOptions } from "./http";
import type { FetchQuotesOptions, HttpProviderOptions, Quote, RatePair, RateProvider } from "./types";

export const BINANCE_DEFAULT_BASE_URL = "https://api.binance.com";

type BinanceMarket = RatePair & { symbol: string; invert: boolean };

/** In request order. `invert`: the symbol prices the fiat in the crypto, so rate = 1 / price. */
const MARKETS: readonly BinanceMarket[] = [
  { symbol: "BTCUSDT", fiat: "USD", crypto: "BTC", invert: false },
  { symbol: "ETHUSDT", fiat: "USD", crypto: "ETH", invert: false },
  { symbol: "BTCEUR", fiat: "EUR", crypto: "BTC", invert: false },
  { symbol: "ETHEUR", fiat: "EUR", crypto: "ETH", invert: false },
  { symbol: "EURUSDT", fiat: "EUR", crypto: "USDT", invert: true },
];

function marketsFor(pairs: readonly RatePair[]): BinanceMarket[] {
  return MARKETS.filter((m) => pairs.some((p) => p.fiat === m.fiat && p.crypto === m.crypto));
}

export function binancePriceUrl(baseUrl: string, pairs: readonly RatePair[]): string {
  const symbols = marketsFor(pairs).map((m) => m.symbol);
  return `${baseUrl}/api/v3/ticker/price?symbols=${encodeURIComponent(JSON.stringify(symbols))}`;
}

export function createBinanceProvider(options: HttpProviderOptions = {}): RateProvider {
  const http = resolveHttpOptions(options, BINANCE_DEFAULT_BASE_URL);
  const id = "binance";
  return {
    id,
    async fetchQuotes(pairs: readonly RatePair[], opts: FetchQuotesOptions): Promise<Quote[]> {
      const report = opts.onError ?? (() => {});
      const markets = marketsFor(pairs);
      if (markets.length === 0) return [];
      const body = await getJsonOrReport(binancePriceUrl(http.baseUrl, pairs), http, opts);
      if (body === FETCH_FAILED) return [];
      if (!Array.isArray(body)) {
        report("malformed response: expected an array of tickers");
        return [];
      }
      const prices = new Map<string, unknown>();
      for (const entry of body) {
        if (!isRecord(entry)) continue;
        const symbol = field(entry, "symbol");
        if (typeof symbol === "string" && !prices.has(symbol)) prices.set(symbol, field(entry, "price"));
      }
      const quotes: Quote[] = [];
      for (const market of markets) {
        const label = `${market.fiat}/${market.crypto}`;
        if (!prices.has(market.symbol)) {
          report(`${label}: ${market.symbol} missing from response`);
          continue;
        }
        const raw = prices.get(market.symbol);
        // Validate the quoted price itself first, so a zero EURUSDT is "not positive", not "÷0".
        const price = normalizePrice(raw);
        const rate = price.ok && market.invert ? invertPrice(price.value) : price;
        if (!rate.ok) {
          report(`${label}: ${market.symbol} ${rate.reason}`);
          continue;
        }
        quotes.push({ fiat: market.fiat, crypto: market.crypto, rate: rate.value, source: id, observedAt: opts.now });
      }
      return quotes;
    },
  };
}
