/**
 * Non-custodial per-invoice receive addresses. The merchant configures an extended PUBLIC key per
 * network; each invoice gets the address at child index i of the receive chain. No private key is
 * ever accepted or held. Pure: no framework, database, network or node: imports.
 *
 *   bitcoin   BIP84 P2WPKH  m/84'/0'/0'/0/i  (testnet m/84'/1'/0'/0/i)  bc1q… / tb1q…
 *   ethereum  BIP44         m/44'/60'/0'/0/i                            EIP-55 0x…
 *   tron      BIP44         m/44'/195'/0'/0/i                           T…
 *
 * An account key (depth 3) derives at 0/i; a receive-chain key (depth 4, …/0) derives at i.
 */
import type { HDKey } from "@scure/bip32";
import type { Network } from "@/lib/domain";
import { p2wpkhAddress, isValidBitcoinAddress } from "./bitcoin";
import { AddressError } from "./errors";
import { ethereumAddressFromPublicKey, isValidEthereumAddress, toChecksumAddress } from "./ethereum";
import { isValidTronAddress, tronAddressFromPublicKey } from "./tron";
import { HARDENED, nodeOf, parseExtendedPublicKey, type ParsedXpub } from "./xpub";

export type { Network } from "@/lib/domain";
export { AddressError, type AddressErrorCode } from "./errors";
export { parseExtendedPublicKey, type ExtendedKeyPrefix, type ParsedXpub } from "./xpub";
export { toChecksumAddress };

/** 0 = receive (external) chain, used for invoices; 1 = change (internal) chain. */
export type Chain = 0 | 1;

export interface DeriveOptions {
  /** Defaults to 0 (receive). Only an account-level (depth-3) key can derive chain 1. */
  readonly chain?: Chain;
}

function assertIndex(index: number): void {
  if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= HARDENED) {
    throw new AddressError(
      "address.bad_index",
      `Address index must be an integer from 0 to ${HARDENED - 1} (got ${String(index)}).`,
      { index: String(index) },
    );
  }
}

function assertChain(chain: unknown): asserts chain is Chain {
  if (chain !== 0 && chain !== 1) {
    throw new AddressError("address.bad_chain", "Chain must be 0 (receive) or 1 (change).", { chain: String(chain) });
  }
}

/** The address at receive index `index` (or `chain`/`index` for an account key) of a parsed key. */
export function deriveAddress(parsed: ParsedXpub, index: number, opts: DeriveOptions = {}): string {
  const node = nodeOf(parsed);
  assertIndex(index);
  const chain = opts.chain ?? 0;
  assertChain(chain);
  let chainNode = node;
  if (parsed.depth === 3) {
    chainNode = chainNodeOf(node, chain);
  } else if (chain !== 0) {
    throw new AddressError(
      "address.bad_chain",
      "This key is already the receive chain (…/0); the change chain needs the account-level key.",
    );
  }
  const child = chainNode.deriveChild(index);
  // BIP32 skips an index whose tweak is invalid (p ≈ 2^-127); refuse instead, so that two
  // indexes can never share an address.
  if (child.index !== index) throw underivable(index);
  const publicKey = child.publicKey as Uint8Array; // always set on a public derivation

  switch (parsed.network) {
    case "bitcoin":
      return p2wpkhAddress(publicKey, parsed.testnet);
    case "ethereum":
      return ethereumAddressFromPublicKey(publicKey);
    case "tron":
      return tronAddressFromPublicKey(publicKey);
  }
}

/**
 * The receive (…/0) and change (…/1) nodes of an account key, derived once per key: every invoice
 * address would otherwise pay for two child derivations instead of one.
 */
const CHAIN_NODES = new WeakMap<HDKey, [HDKey | undefined, HDKey | undefined]>();

function chainNodeOf(account: HDKey, chain: Chain): HDKey {
  let nodes = CHAIN_NODES.get(account);
  if (!nodes) {
    nodes = [undefined, undefined];
    CHAIN_NODES.set(account, nodes);
  }
  let node = nodes[chain];
  if (!node) {
    node = account.deriveChild(chain);
    if (node.index !== chain) throw underivable(chain);
    nodes[chain] = node;
  }
  return node;
}

function underivable(index: number): AddressError {
  return new AddressError("address.underivable", `No valid key exists at index ${index}; use the next index.`, {
    index,
  });
}

/** parseExtendedPublicKey + deriveAddress (receive chain). */
export function deriveInvoiceAddress(
  network: Network,
  extendedPublicKey: string,
  index: number,
  opts: { testnet: boolean },
): string {
  return deriveAddress(parseExtendedPublicKey(network, extendedPublicKey, opts), index);
}

export interface AddressValidationOptions {
  readonly testnet: boolean;
  /** Bitcoin only: also accept regtest `bcrt1…` addresses (regtest is treated as a test network). */
  readonly regtest?: boolean;
}

/**
 * Syntactic + checksum validation (no network lookups).
 *  - bitcoin: segwit v0 (20/32-byte program, bech32) or v1 taproot (32-byte, bech32m) with HRP bc
 *    (mainnet) / tb (testnet) / bcrt (regtest, opt-in); or legacy base58 P2PKH/P2SH with version
 *    0x00/0x05 (mainnet) or 0x6f/0xc4 (test networks).
 *  - ethereum: 0x + 40 hex; mixed case must match EIP-55. Same on every network.
 *  - tron: base58check of 21 bytes starting 0x41. Same on every network.
 */
export function isValidAddress(network: Network, address: string, opts: AddressValidationOptions): boolean {
  switch (network) {
    case "bitcoin":
      return isValidBitcoinAddress(address, opts);
    case "ethereum":
      return isValidEthereumAddress(address);
    case "tron":
      return isValidTronAddress(address);
    default:
      return false;
  }
}

export interface DerivationPathOptions {
  /** Bitcoin uses coin type 1' on test networks; Ethereum and Tron keep 60' / 195'. */
  readonly testnet?: boolean;
  readonly account?: number;
  readonly chain?: Chain;
}

const COIN_TYPE: Readonly<Record<Network, { purpose: number; mainnet: number; testnet: number }>> = {
  bitcoin: { purpose: 84, mainnet: 0, testnet: 1 },
  ethereum: { purpose: 44, mainnet: 60, testnet: 60 },
  tron: { purpose: 44, mainnet: 195, testnet: 195 },
};

/** Full BIP32 path of an invoice address, for display: e.g. "m/84'/0'/0'/0/5". */
export function describeDerivationPath(network: Network, index: number, opts: DerivationPathOptions = {}): string {
  assertIndex(index);
  const chain = opts.chain ?? 0;
  assertChain(chain);
  const account = opts.account ?? 0;
  if (!Number.isInteger(account) || account < 0 || account >= HARDENED) {
    throw new AddressError("address.bad_index", "Account must be an integer from 0 to 2^31 - 1.");
  }
  const { purpose, mainnet, testnet } = COIN_TYPE[network];
  return `m/${purpose}'/${opts.testnet ? testnet : mainnet}'/${account}'/${chain}/${index}`;
}
