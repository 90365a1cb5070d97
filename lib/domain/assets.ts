// Registry of the currencies we price in (fiat) and get paid in (crypto).
// `decimals` fixes the minor unit: every Money amount is an integer count of it.
import { DomainError } from "./errors";

export const FIAT_CURRENCIES = ["USD", "EUR", "CNY"] as const;
export const CRYPTO_CURRENCIES = ["BTC", "ETH", "USDT"] as const;

export type FiatCurrency = (typeof FIAT_CURRENCIES)[number];
export type CryptoCurrency = (typeof CRYPTO_CURRENCIES)[number];
export type AssetCode = FiatCurrency | CryptoCurrency;
export type AssetKind = "fiat" | "crypto";

export interface Asset {
  readonly code: AssetCode;
  /** Number of fractional digits of the smallest unit (cent, satoshi, wei...). */
  readonly decimals: number;
  readonly kind: AssetKind;
  readonly symbol: string;
  readonly name: string;
}

export const ASSETS: Readonly<Record<AssetCode, Asset>> = Object.freeze({
  USD: Object.freeze({ code: "USD", decimals: 2, kind: "fiat", symbol: "$", name: "US Dollar" }),
  EUR: Object.freeze({ code: "EUR", decimals: 2, kind: "fiat", symbol: "€", name: "Euro" }),
  CNY: Object.freeze({ code: "CNY", decimals: 2, kind: "fiat", symbol: "¥", name: "Chinese Yuan" }),
  BTC: Object.freeze({ code: "BTC", decimals: 8, kind: "crypto", symbol: "₿", name: "Bitcoin" }),
  ETH: Object.freeze({ code: "ETH", decimals: 18, kind: "crypto", symbol: "Ξ", name: "Ether" }),
  USDT: Object.freeze({ code: "USDT", decimals: 6, kind: "crypto", symbol: "₮", name: "Tether USD" }),
});

export const ASSET_CODES: readonly AssetCode[] = Object.freeze([
  ...FIAT_CURRENCIES,
  ...CRYPTO_CURRENCIES,
]);

// Object.hasOwn, not `in`: "toString" must not count as an asset code.
export function isAssetCode(value: unknown): value is AssetCode {
  return typeof value === "string" && Object.hasOwn(ASSETS, value);
}

export function getAsset(code: string): Asset {
  if (!isAssetCode(code)) {
    throw new DomainError("asset.unknown", `Unknown asset "${code}"`, { asset: code });
  }
  return ASSETS[code];
}

export function isFiat(code: string): code is FiatCurrency {
  return isAssetCode(code) && ASSETS[code].kind === "fiat";
}

export function isCrypto(code: string): code is CryptoCurrency {
  return isAssetCode(code) && ASSETS[code].kind === "crypto";
}

/** 10^decimals: how many minor units make one whole unit of the asset. */
export function minorUnitsPerUnit(code: AssetCode): bigint {
  return 10n ** BigInt(getAsset(code).decimals);
}

export const NETWORKS = ["bitcoin", "ethereum", "tron"] as const;
export type Network = (typeof NETWORKS)[number];

// USDT exists as ERC-20 and TRC-20; BTC and ETH only on their native chains.
export const ASSET_NETWORKS: Readonly<Record<CryptoCurrency, readonly Network[]>> = Object.freeze({
  BTC: Object.freeze(["bitcoin"] as const),
  ETH: Object.freeze(["ethereum"] as const),
  USDT: Object.freeze(["ethereum", "tron"] as const),
});

export function isNetwork(value: unknown): value is Network {
  return typeof value === "string" && (NETWORKS as readonly string[]).includes(value);
}

export function networksForAsset(asset: CryptoCurrency): readonly Network[] {
  if (!isCrypto(asset)) {
    throw new DomainError("asset.not_crypto", `"${asset}" is not a crypto asset`, { asset });
  }
  return ASSET_NETWORKS[asset];
}

export function isAssetOnNetwork(asset: string, network: string): boolean {
  return isCrypto(asset) && isNetwork(network) && ASSET_NETWORKS[asset].includes(network);
}

export function assertAssetOnNetwork(asset: string, network: string): void {
  if (!isAssetOnNetwork(asset, network)) {
    throw new DomainError(
      "asset.unsupported_network",
      `${asset} cannot be paid on the ${network} network`,
      { asset, network },
    );
  }
}
