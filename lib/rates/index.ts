// Exchange rates: provider adapters, refresh (aggregate + store) and lookup of locked rates.
export * from "./types";
export * from "./decimal";
export * from "./lossless-json";
export { DEFAULT_PROVIDER_TIMEOUT_MS, ProviderRequestError } from "./http";
export * from "./coingecko";
export * from "./binance";
export * from "./kraken";
export * from "./static-provider";
export * from "./providers";
export * from "./service";
