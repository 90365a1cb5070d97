// CoinGecko simple/price. The response carries prices as JSON NUMBERS (97123.45); they are read
// from the raw text as exact decimal strings (lossless-json.ts), never through a float.
import { CRYPTO_CURRENCIES, FIAT_CURRENCIES, type CryptoCurrency, type FiatCurrency } from "@/lib/domain";
import { normalizePrice } from "./decimal";
import { field, FETCH_FAILED, getJsonOrReport, isRecord, resolveHttpOptions } from "./http";
import type { FetchQuotesOptions, HttpProviderOptions, Quote, RatePair, RateProvider } from "./types";

export const COINGECKO_DEFAULT_BASE_URL = "https://api.coingecko.com";

const COIN_IDS: Readonly<Record<CryptoCurrency, string>> = { BTC: "bitcoin", ETH: "ethereum", USDT: "tether" };
const VS_CURRENCIES: Readonly<Record<FiatCurrency, string>> = { USD: "usd", EUR: "eur", CNY: "cny" };
/** CoinGecko's clock may run slightly ahead of ours; a timestamp up to this far ahead counts as "now". */
const CLOCK_SKEW_MS = 60_000;

export function coingeckoPriceUrl(baseUrl: string, pairs: readonly RatePair[]): string {
  const ids = CRYPTO_CURRENCIES.filter((c) => pairs.some((p) => p.crypto === c)).map((c) => COIN_IDS[c]);
  const vs = FIAT_CURRENCIES.filter((f) => pairs.some((p) => p.fiat === f)).map((f) => VS_CURRENCIES[f]);
  return `${baseUrl}/api/v3/simple/price?ids=${ids.join(",")}&vs_currencies=${vs.join(",")}&include_last_updated_at=true`;
}

function observedAtOf(coin: Record<string, unknown>, now: Date): Date | string {
  const raw = field(coin, "last_updated_at");
  if (typeof raw !== "string" || !/^\d{1,12}$/.test(raw)) return "missing or invalid last_updated_at";
  const observedMs = Number(raw) * 1000; // integer seconds: exact in a double
  if (observedMs > now.getTime() && observedMs - now.getTime() <= CLOCK_SKEW_MS) return now;
  return new Date(observedMs);
}

export function createCoinGeckoProvider(options: HttpProviderOptions = {}): RateProvider {
  const http = resolveHttpOptions(options, COINGECKO_DEFAULT_BASE_URL);
  const id = "coingecko";
  return {
    id,
    async fetchQuotes(pairs: readonly RatePair[], opts: FetchQuotesOptions): Promise<Quote[]> {
      const report = opts.onError ?? (() => {});
      if (pairs.length === 0) return [];
      const body = await getJsonOrReport(coingeckoPriceUrl(http.baseUrl, pairs), http, opts);
      if (body === FETCH_FAILED) return [];
      if (!isRecord(body)) {
        report("malformed response: expected an object keyed by coin id");
        return [];
      }
      const quotes: Quote[] = [];
      const coinProblems = new Map<CryptoCurrency, string>();
      for (const { fiat, crypto } of pairs) {
        if (coinProblems.has(crypto)) continue;
        const coin = field(body, COIN_IDS[crypto]);
        if (!isRecord(coin)) {
          coinProblems.set(crypto, `${crypto}: "${COIN_IDS[crypto]}" missing from response`);
          continue;
        }
        const observedAt = observedAtOf(coin, opts.now);
        if (typeof observedAt === "string") {
          coinProblems.set(crypto, `${crypto}: ${observedAt}`);
          continue;
        }
        const price = normalizePrice(field(coin, VS_CURRENCIES[fiat]));
        if (!price.ok) {
          report(`${fiat}/${crypto}: ${price.reason}`);
          continue;
        }
        quotes.push({ fiat, crypto, rate: price.value, source: id, observedAt });
      }
      for (const message of coinProblems.values()) report(message);
      return quotes;
    },
  };
}
