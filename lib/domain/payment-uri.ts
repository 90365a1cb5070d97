// Wallet payment URIs (what the checkout QR code encodes), built from exact minor-unit amounts.
//
//  - BTC:            BIP21    bitcoin:<address>?amount=<BTC>[&label=<text>]
//  - ETH:            EIP-681  ethereum:<address>@<chainId>?value=<wei>
//  - USDT (ERC-20):  EIP-681  ethereum:<token>@<chainId>/transfer?address=<recipient>&uint256=<minor units>
//  - USDT (TRC-20):           tron:<address>?amount=<USDT>&token=<contract>
//
// Amounts are never floats and never use exponent notation: BTC/USDT-TRC20 amounts are trimmed
// whole-unit decimals ("0.0015"), ETH/ERC-20 amounts are plain base-10 integers. EIP-681 allows
// "1e18", but wallets disagree on it, so we never emit it.
//
// Tron has no URI standard: wallet support for `tron:` URIs (and for the `token` parameter) varies,
// so the checkout page always shows the address and the amount as copyable text next to the QR code.
import { ASSETS, isAssetOnNetwork, type CryptoCurrency, type Network } from "./assets";
import { formatDecimalUnitsTrimmed } from "./decimal";
import { DomainError } from "./errors";

/** Tether USD (ERC-20) on Ethereum mainnet. */
export const USDT_ERC20_MAINNET_CONTRACT = "0xdAC17F958D2ee523a2206206994597C13D831ec7";
/** Tether USD (TRC-20) on Tron mainnet. */
export const USDT_TRC20_CONTRACT = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
export const ETHEREUM_MAINNET_CHAIN_ID = 1;

export interface PaymentUriInput {
  readonly asset: CryptoCurrency;
  readonly network: Network;
  /** Recipient address (for ERC-20: the recipient, not the token contract). */
  readonly address: string;
  /** Amount in the asset's minor units (satoshi, wei, USDT micro-units). Must be > 0. */
  readonly amount: bigint;
  /** EVM chain id (Ethereum network only). Defaults to 1 (mainnet). */
  readonly chainId?: number;
  /** Token contract (USDT only). Defaults to the mainnet USDT contract on chain 1 and on Tron. */
  readonly tokenContract?: string;
  /** BIP21 label (BTC only; ignored for the other schemes, which have no label parameter). */
  readonly label?: string;
}

// Bitcoin (base58 / bech32), Ethereum (0x-hex) and Tron (base58) addresses are all alphanumeric
// (plus the "0x" prefix's "x"). Rejecting anything else keeps "?", "&", "@" or "/" from being
// smuggled into the URI's structure.
const ADDRESS_PATTERN = /^[A-Za-z0-9]{20,100}$/;

function assertAddress(value: string | undefined, field: "address" | "tokenContract"): asserts value is string {
  if (typeof value !== "string" || !ADDRESS_PATTERN.test(value)) {
    throw new DomainError("payment_uri.invalid_address", `Invalid ${field} for a payment URI`, { [field]: value });
  }
}

function resolveChainId(chainId: number | undefined): number {
  const id = chainId ?? ETHEREUM_MAINNET_CHAIN_ID;
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new DomainError("payment_uri.invalid_chain_id", `Invalid EVM chain id ${id}`, { chainId: id });
  }
  return id;
}

/** Builds the wallet URI that a QR code on the checkout page encodes. Throws DomainError on bad input. */
export function buildPaymentUri(input: PaymentUriInput): string {
  const { asset, network, address, amount } = input;
  if (!isAssetOnNetwork(asset, network)) {
    throw new DomainError("payment_uri.unsupported_network", `${asset} cannot be paid on the ${network} network`, {
      asset,
      network,
    });
  }
  if (typeof amount !== "bigint" || amount <= 0n) {
    throw new DomainError("payment_uri.invalid_amount", "A payment URI needs a positive amount", {
      amount: String(amount),
    });
  }
  assertAddress(address, "address");
  const decimals = ASSETS[asset].decimals;

  if (asset === "BTC") {
    const label = input.label ? `&label=${encodeURIComponent(input.label)}` : "";
    return `bitcoin:${address}?amount=${formatDecimalUnitsTrimmed(amount, decimals)}${label}`;
  }

  if (asset === "ETH") {
    return `ethereum:${address}@${resolveChainId(input.chainId)}?value=${amount.toString()}`;
  }

  // USDT
  if (network === "ethereum") {
    const chainId = resolveChainId(input.chainId);
    const token =
      input.tokenContract ?? (chainId === ETHEREUM_MAINNET_CHAIN_ID ? USDT_ERC20_MAINNET_CONTRACT : undefined);
    if (token === undefined) {
      throw new DomainError(
        "payment_uri.missing_token_contract",
        `No USDT contract is known for chain ${chainId}; pass tokenContract`,
        { chainId },
      );
    }
    assertAddress(token, "tokenContract");
    return `ethereum:${token}@${chainId}/transfer?address=${address}&uint256=${amount.toString()}`;
  }

  const token = input.tokenContract ?? USDT_TRC20_CONTRACT;
  assertAddress(token, "tokenContract");
  return `tron:${address}?amount=${formatDecimalUnitsTrimmed(amount, decimals)}&token=${token}`;
}

// Which query parameter carries the amount, and how, for each URI shape buildPaymentUri emits.
const AMOUNT_PARAMS: ReadonlyArray<{ readonly test: RegExp; readonly param: string; readonly integer: boolean }> = [
  { test: /^bitcoin:[A-Za-z0-9]+\?/, param: "amount", integer: false },
  { test: /^ethereum:[A-Za-z0-9]+@\d+\/transfer\?/, param: "uint256", integer: true },
  { test: /^ethereum:[A-Za-z0-9]+@\d+\?/, param: "value", integer: true },
  { test: /^tron:[A-Za-z0-9]+\?/, param: "amount", integer: false },
];

/**
 * Returns `uri` (as built by buildPaymentUri) with its amount replaced by `amount` minor units
 * (`decimals` = the asset's decimals), e.g. to show a QR code for the remaining amount of a
 * partially paid invoice. Returns null when the URI is not in a recognised shape or the amount
 * is not positive — callers must then not offer a QR code with the old amount.
 */
export function replacePaymentUriAmount(uri: string, amount: bigint, decimals: number): string | null {
  if (amount <= 0n) return null;
  const shape = AMOUNT_PARAMS.find((s) => s.test.test(uri));
  if (!shape) return null;
  const pattern = new RegExp(`([?&]${shape.param}=)(\\d+(?:\\.\\d+)?)(?=&|$)`);
  if (!pattern.test(uri)) return null;
  const value = shape.integer ? amount.toString() : formatDecimalUnitsTrimmed(amount, decimals);
  return uri.replace(pattern, (_, prefix: string) => `${prefix}${value}`);
}

