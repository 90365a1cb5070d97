import { HDKey } from "@scure/bip32";
import { base58 } from "@scure/base";
import type { Network } from "@/lib/domain";
import { AddressError } from "./errors";
import { base58check } from "./hashes";

export const HARDENED = 0x80000000;

/** SLIP-0132 extended public key prefixes this module understands (the ones it accepts are a subset). */
export type ExtendedKeyPrefix = "xpub" | "tpub" | "ypub" | "upub" | "zpub" | "vpub" | "Ypub" | "Upub" | "Zpub" | "Vpub";

interface PublicVersion {
  readonly prefix: ExtendedKeyPrefix;
  readonly private: number;
  readonly testnet: boolean;
  readonly purpose: "bip44" | "bip49" | "bip84" | "multisig";
}

/** Public version → its private twin (needed by HDKey.fromExtendedKey) and what it means. */
const PUBLIC_VERSIONS: ReadonlyMap<number, PublicVersion> = new Map<number, PublicVersion>([
  [0x0488b21e, { prefix: "xpub", private: 0x0488ade4, testnet: false, purpose: "bip44" }],
  [0x043587cf, { prefix: "tpub", private: 0x04358394, testnet: true, purpose: "bip44" }],
  [0x049d7cb2, { prefix: "ypub", private: 0x049d7878, testnet: false, purpose: "bip49" }],
  [0x044a5262, { prefix: "upub", private: 0x044a4e28, testnet: true, purpose: "bip49" }],
  [0x04b24746, { prefix: "zpub", private: 0x04b2430c, testnet: false, purpose: "bip84" }],
  [0x045f1cf6, { prefix: "vpub", private: 0x045f18bc, testnet: true, purpose: "bip84" }],
  [0x0295b43f, { prefix: "Ypub", private: 0x0295b005, testnet: false, purpose: "multisig" }],
  [0x024289ef, { prefix: "Upub", private: 0x024285b5, testnet: true, purpose: "multisig" }],
  [0x02aa7ed3, { prefix: "Zpub", private: 0x02aa7a99, testnet: false, purpose: "multisig" }],
  [0x02575483, { prefix: "Vpub", private: 0x02575048, testnet: true, purpose: "multisig" }],
]);

const PRIVATE_VERSIONS: ReadonlySet<number> = new Set([...PUBLIC_VERSIONS.values()].map((v) => v.private));

/** Which public prefixes each network accepts, per mode. */
function acceptedPrefixes(network: Network, testnet: boolean): readonly ExtendedKeyPrefix[] {
  switch (network) {
    case "bitcoin":
      // BIP84 account key; a plain xpub/tpub is read as the same key under the BIP32 version.
      return testnet ? ["vpub", "tpub"] : ["zpub", "xpub"];
    case "ethereum":
    case "tron":
      // Addresses look the same on test networks, so the version bytes carry no meaning here.
      return ["xpub", "tpub"];
  }
}

const ACCOUNT_PATHS: Readonly<Record<Network, string>> = {
  bitcoin: "m/84'/0'/0'",
  ethereum: "m/44'/60'/0'",
  tron: "m/44'/195'/0'",
};

export interface ParsedXpub {
  readonly network: Network;
  readonly testnet: boolean;
  /** SLIP-0132 prefix of the key as given (e.g. "zpub"). */
  readonly prefix: ExtendedKeyPrefix;
  /**
   * 3 = account key (m/purpose'/coin'/account'), addresses at 0/i;
   * 4 = receive-chain key (m/purpose'/coin'/account'/0), addresses at i.
   */
  readonly depth: 3 | 4;
  /** Account number (without the hardened bit) for a depth-3 key; null for a depth-4 key. */
  readonly account: number | null;
  /** BIP32 fingerprint of the given key (8 hex digits): safe to display, identifies the key. */
  readonly fingerprint: string;
}

/**
 * The HD nodes live here, not on the returned object: a ParsedXpub can be logged or serialised
 * without leaking the key, and a hand-made object cannot be passed off as a parsed one.
 */
const NODES = new WeakMap<ParsedXpub, HDKey>();

export function nodeOf(parsed: ParsedXpub): HDKey {
  const node = typeof parsed === "object" && parsed !== null ? NODES.get(parsed) : undefined;
  if (!node) {
    throw new AddressError("xpub.invalid", "Not a parsed extended public key: use parseExtendedPublicKey() first.");
  }
  return node;
}

const NETWORK_LABEL: Readonly<Record<Network, string>> = { bitcoin: "Bitcoin", ethereum: "Ethereum", tron: "Tron" };
const modeLabel = (testnet: boolean) => (testnet ? "testnet" : "mainnet");

function describeAccepted(network: Network, testnet: boolean): string {
  const prefixes = acceptedPrefixes(network, testnet).join(" or ");
  return `${NETWORK_LABEL[network]} ${network === "bitcoin" ? `${modeLabel(testnet)} ` : ""}needs an account-level ${prefixes} (${accountPath(network, testnet)})`;
}

function accountPath(network: Network, testnet: boolean): string {
  return network === "bitcoin" && testnet ? "m/84'/1'/0'" : ACCOUNT_PATHS[network];
}

/** Extended keys are 111–112 base58 characters; anything much longer is refused before decoding. */
const MAX_KEY_LENGTH = 120;

function decodeExtendedKey(key: string): Uint8Array {
  if (key.length === 0) throw new AddressError("xpub.invalid", "The extended public key is empty.");
  if (key.length > MAX_KEY_LENGTH || !/^[1-9A-HJ-NP-Za-km-z]+$/.test(key)) {
    throw new AddressError(
      "xpub.invalid",
      "This is not an extended public key: it should be one line of about 111 base58 characters (no 0, O, I or l).",
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = base58check.decode(key);
  } catch {
    // Valid alphabet (checked above), so it is the 4-byte checksum (or a too-short string).
    const raw = base58.decode(key);
    throw new AddressError(
      "xpub.invalid",
      raw.length === 82
        ? "The extended public key's checksum does not match: a character was probably mistyped or lost when copying."
        : "This is not an extended public key (wrong length).",
    );
  }
  if (bytes.length !== 78) {
    throw new AddressError("xpub.invalid", "This is not an extended public key (wrong length).", {
      length: bytes.length,
    });
  }
  return bytes;
}

/**
 * Validate a merchant's extended public key for `network` and return a handle for
 * {@link deriveAddress}. Accepted:
 *  - bitcoin: BIP84 account key m/84'/0'/0' as zpub (or xpub); testnet m/84'/1'/0' as vpub (or tpub).
 *  - ethereum: account key m/44'/60'/0' as xpub (tpub also accepted; same addresses on test networks).
 *  - tron: account key m/44'/195'/0' as xpub (tpub also accepted).
 * Depth 3 (account, hardened child number) derives at 0/i; depth 4 (receive chain, child number 0)
 * derives at i. Private keys are always refused and are never echoed in error messages.
 */
export function parseExtendedPublicKey(network: Network, key: string, opts: { testnet: boolean }): ParsedXpub {
  if (typeof key !== "string") throw new AddressError("xpub.invalid", "The extended public key must be a string.");
  const testnet = opts.testnet === true;
  const trimmed = key.trim();
  const bytes = decodeExtendedKey(trimmed);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(0, false);
  const depth = bytes[4] as number;
  const childNumber = view.getUint32(9, false);
  const keyData = bytes.subarray(45);

  // A private key is recognised by its version or by its 0x00-prefixed key data, whatever the version says.
  if (PRIVATE_VERSIONS.has(version) || keyData[0] === 0x00) {
    throw new AddressError(
      "xpub.private_key_refused",
      "This is an extended PRIVATE key. It was not stored. Never share it: paste the extended public key (xpub/zpub/vpub/tpub) exported from your wallet instead. If you have shared it anywhere, move your funds to a new wallet.",
    );
  }

  const info = PUBLIC_VERSIONS.get(version);
  if (!info) {
    throw new AddressError("xpub.invalid", `Unrecognised extended key type: ${describeAccepted(network, testnet)}.`);
  }
  const accepted = acceptedPrefixes(network, testnet);
  if (!accepted.includes(info.prefix)) {
    const sameNetworkOtherMode = acceptedPrefixes(network, !testnet).includes(info.prefix);
    if (sameNetworkOtherMode) {
      throw new AddressError(
        "xpub.wrong_network",
        `A ${info.prefix} is a ${modeLabel(info.testnet)} key but ${NETWORK_LABEL[network]} is configured for ${modeLabel(testnet)}: ${describeAccepted(network, testnet)}.`,
        { network, testnet, prefix: info.prefix },
      );
    }
    if (network === "bitcoin" && info.purpose !== "bip44") {
      throw new AddressError(
        "xpub.unsupported_type",
        `A ${info.prefix} is for ${info.purpose === "bip49" ? "wrapped (P2SH) segwit" : "multisig"} wallets; invoices are paid to native segwit (bc1q…) addresses, so ${describeAccepted(network, testnet)}.`,
        { network, testnet, prefix: info.prefix },
      );
    }
    throw new AddressError(
      "xpub.wrong_network",
      `A ${info.prefix} is a Bitcoin key, not a key for ${NETWORK_LABEL[network]}: ${describeAccepted(network, testnet)}.`,
      { network, testnet, prefix: info.prefix },
    );
  }

  if (depth !== 3 && depth !== 4) {
    throw new AddressError(
      "xpub.wrong_depth",
      `This key is at depth ${depth} of its wallet, not at the account level: ${describeAccepted(network, testnet)}, which is at depth 3.`,
      { depth },
    );
  }
  if (depth === 3 && childNumber < HARDENED) {
    throw new AddressError(
      "xpub.unexpected_path",
      `This depth-3 key is not a hardened account key: ${describeAccepted(network, testnet)}.`,
      { depth },
    );
  }
  if (depth === 4 && childNumber !== 0) {
    throw new AddressError(
      "xpub.unexpected_path",
      `This depth-4 key is not the receive chain (…/0) of an account: ${describeAccepted(network, testnet)}.`,
      { depth },
    );
  }

  let node: HDKey;
  try {
    node = HDKey.fromExtendedKey(trimmed, { public: version, private: info.private });
  } catch {
    throw new AddressError("xpub.invalid", "The extended public key does not contain a valid public key.");
  }
  if (node.privateKey !== null || node.publicKey === null) {
    // Unreachable given the checks above; kept as a hard guarantee.
    throw new AddressError("xpub.private_key_refused", "Extended private keys are never accepted.");
  }

  const parsed: ParsedXpub = Object.freeze({
    network,
    testnet,
    prefix: info.prefix,
    depth,
    account: depth === 3 ? childNumber - HARDENED : null,
    fingerprint: node.fingerprint.toString(16).padStart(8, "0"),
  });
  NODES.set(parsed, node);
  return parsed;
}

