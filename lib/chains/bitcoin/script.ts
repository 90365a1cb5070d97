/**
 * Output scripts, addresses and amounts: the decoding both Bitcoin adapters share.
 *
 * An adapter never trusts the address string a node or an API prints: a regtest node says
 * `bcrt1q…`, a testnet Esplora `tb1q…`, bcoin invents its own base58 prefixes, and invoices store
 * `tb1q…` (test mode) or `bc1q…` (live). Every output is re-encoded from its scriptPubKey hex with
 * the adapter's own human-readable part, so the same script always yields the string the invoice
 * stored.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bech32, bech32m, createBase58check, hex } from "@scure/base";
import type { BlockRef, ObservedTransfer, WatchSet } from "../types";

/** The bech32 human-readable part of the addresses invoices store: mainnet or testnet/signet. */
export type BitcoinHrp = "bc" | "tb";

const base58check = createBase58check(sha256);

/** Base58 version bytes: mainnet for "bc", the shared test-network ones for everything else. */
function base58Versions(hrp: string): { p2pkh: number; p2sh: number } {
  return hrp === "bc" ? { p2pkh: 0x00, p2sh: 0x05 } : { p2pkh: 0x6f, p2sh: 0xc4 };
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

function segwitAddress(hrp: string, version: number, program: Uint8Array): string {
  const words = [version, ...bech32.toWords(program)];
  // BIP350: v0 keeps bech32, v1+ uses bech32m.
  return version === 0 ? bech32.encode(hrp, words) : bech32m.encode(hrp, words);
}

function base58Address(version: number, hash: Uint8Array): string {
  const payload = new Uint8Array(21);
  payload[0] = version;
  payload.set(hash, 1);
  return base58check.encode(payload);
}

/**
 * The address a scriptPubKey pays, encoded for `hrp`: P2WPKH, P2WSH and P2TR as bech32/bech32m,
 * P2PKH and P2SH as base58 with the version bytes of that network. Null for anything else (bare
 * multisig, OP_RETURN, future witness versions, malformed hex): such outputs pay no address an
 * invoice could hold.
 */
export function scriptToAddress(scriptHex: string, hrp: string): string | null {
  if (typeof scriptHex !== "string" || !HEX.test(scriptHex)) return null;
  const s = hex.decode(scriptHex.toLowerCase());
  // OP_0 <20> (P2WPKH) / OP_0 <32> (P2WSH)
  if (s.length === 22 && s[0] === 0x00 && s[1] === 0x14) return segwitAddress(hrp, 0, s.subarray(2));
  if (s.length === 34 && s[0] === 0x00 && s[1] === 0x20) return segwitAddress(hrp, 0, s.subarray(2));
  // OP_1 <32> (P2TR)
  if (s.length === 34 && s[0] === 0x51 && s[1] === 0x20) return segwitAddress(hrp, 1, s.subarray(2));
  // OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG
  if (s.length === 25 && s[0] === 0x76 && s[1] === 0xa9 && s[2] === 0x14 && s[23] === 0x88 && s[24] === 0xac) {
    return base58Address(base58Versions(hrp).p2pkh, s.subarray(3, 23));
  }
  // OP_HASH160 <20> OP_EQUAL
  if (s.length === 23 && s[0] === 0xa9 && s[1] === 0x14 && s[22] === 0x87) {
    return base58Address(base58Versions(hrp).p2sh, s.subarray(2, 22));
  }
  return null;
}

/**
 * The same script under another network's encoding: `tb1q…` → `bcrt1q…` (to pay a test-mode
 * invoice on regtest, or to ask a regtest Esplora about it), `bcrt1q…` → `tb1q…`. Base58 addresses
 * keep their hash and take the target network's version byte. Null if `address` is not a valid
 * P2WPKH/P2WSH/P2TR/P2PKH/P2SH address.
 */
export function reencodeAddress(address: string, hrp: string): string | null {
  const script = addressToScriptHex(address);
  return script === null ? null : scriptToAddress(script, hrp);
}

/** The scriptPubKey (hex) an address pays, whatever its network; null if not a supported address. */
export function addressToScriptHex(address: string): string | null {
  if (typeof address !== "string" || address.length === 0 || address.length > 90) return null;
  const lower = address.toLowerCase();
  // Mixed case is invalid bech32 (BIP173); base58 is case-sensitive and never contains "1" after
  // its first character, so the separator test below cannot mistake one for the other.
  if (address === lower || address === address.toUpperCase()) {
    const decoded = bech32.decodeUnsafe(lower) || undefined;
    const decodedM = decoded ? undefined : bech32m.decodeUnsafe(lower) || undefined;
    const d = decoded ?? decodedM;
    if (d && d.words.length >= 1) {
      const version = d.words[0] as number;
      const program = bech32.fromWordsUnsafe(d.words.slice(1));
      if (!program) return null;
      if (version === 0 && decoded && (program.length === 20 || program.length === 32)) {
        return `00${program.length.toString(16)}${hex.encode(program)}`;
      }
      if (version === 1 && decodedM && program.length === 32) return `5120${hex.encode(program)}`;
      return null;
    }
  }
  let payload: Uint8Array;
  try {
    payload = base58check.decode(address);
  } catch {
    return null;
  }
  if (payload.length !== 21) return null;
  const hash = hex.encode(payload.subarray(1));
  switch (payload[0]) {
    case 0x00:
    case 0x6f:
      return `76a914${hash}88ac`;
    case 0x05:
    case 0xc4:
      return `a914${hash}87`;
    default:
      return null;
  }
}

/** 21 million BTC: no output can carry more. */
const MAX_BTC = 21_000_000;

/**
 * Satoshis of a BTC amount printed as a JSON number (bitcoind's `"value": 0.00012345`), exactly.
 * The float JSON.parse produced is the double nearest the printed 8-decimal value; below 2^25 BTC
 * doubles are spaced at most 2^-28 (≈ 3.7e-9) apart, so rounding that double to 8 decimals with
 * toFixed (which rounds the exact binary value) gives back the printed digits. Those digits are
 * then read as a decimal string: no float is ever multiplied.
 */
export function btcToSatoshis(value: number): bigint {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > MAX_BTC) {
    throw new RangeError(`not a BTC amount: ${String(value)}`);
  }
  const [whole, fraction = ""] = value.toFixed(8).split(".");
  return BigInt(whole as string) * 100_000_000n + BigInt(fraction.padEnd(8, "0"));
}

// ---------------------------------------------------------------------------------------------
// Matching decoded transactions against the watch set (both adapters, scan and mempool).
// ---------------------------------------------------------------------------------------------

/** One output that pays an address, already re-encoded with the adapter's HRP. */
export interface DecodedOutput {
  readonly index: number;
  readonly address: string;
  /** Satoshis, > 0. */
  readonly amount: bigint;
}

/** A transaction reduced to what the watcher needs. */
export interface DecodedTx {
  readonly txid: string;
  readonly outputs: readonly DecodedOutput[];
  /**
   * The first input's address. Lazy: an RPC node answers it with one more call, which is only
   * worth making for the few transactions that pay a watched address.
   */
  resolveFrom(): Promise<string | null>;
}

/** `watch.match` takes the candidates of one block at once, in slices of this many. */
const MATCH_CHUNK = 2_000;

/** The watched addresses among `addresses`, asking the watch set in bounded slices. */
export async function matchAddresses(watch: WatchSet, addresses: Iterable<string>): Promise<Set<string>> {
  const unique = [...new Set(addresses)];
  const matched = new Set<string>();
  for (let i = 0; i < unique.length; i += MATCH_CHUNK) {
    for (const address of await watch.match(unique.slice(i, i + MATCH_CHUNK))) matched.add(address);
  }
  return matched;
}

/** Transfers of `txs` (in order, outputs by index) to addresses in `watched`. */
export async function transfersTo(
  txs: readonly DecodedTx[],
  watched: ReadonlySet<string>,
  block: BlockRef | null,
): Promise<ObservedTransfer[]> {
  const transfers: ObservedTransfer[] = [];
  for (const tx of txs) {
    const hits = tx.outputs.filter((o) => watched.has(o.address));
    if (hits.length === 0) continue;
    const fromAddress = await tx.resolveFrom();
    for (const out of hits) {
      transfers.push({
        network: "bitcoin",
        txHash: tx.txid,
        index: out.index,
        asset: "BTC",
        toAddress: out.address,
        fromAddress,
        amount: out.amount,
        block,
      });
    }
  }
  return transfers;
}

/**
 * What the mempool held for the watch set, kept across calls. A busy mempool holds far more
 * transactions than one poll can fetch one by one, so each call fetches at most `maxFetches`
 * transactions it has not seen, remembers what they paid to watched addresses (usually nothing),
 * forgets transactions that left the mempool, and reports every remembered transfer still waiting.
 * A transaction first seen before its address was watched is not re-examined: the block scan
 * picks it up once mined (the mempool view is an early hint; blocks are the authority).
 */
export class MempoolTracker {
  private readonly seen = new Map<string, readonly ObservedTransfer[]>();

  constructor(private readonly maxFetches: number) {
    if (!Number.isSafeInteger(maxFetches) || maxFetches < 1) {
      throw new RangeError(`maxMempoolTxsPerCall must be a positive integer, got ${maxFetches}`);
    }
  }

  /**
   * @param txids every txid in the mempool now
   * @param fetchTx the decoded transaction, or null if it left the mempool meanwhile
   */
  async sync(
    txids: readonly string[],
    fetchTx: (txid: string) => Promise<DecodedTx | null>,
    watch: WatchSet,
  ): Promise<ObservedTransfer[]> {
    const current = new Set(txids);
    for (const txid of this.seen.keys()) if (!current.has(txid)) this.seen.delete(txid);

    const fresh: DecodedTx[] = [];
    const gone: string[] = [];
    for (const txid of current) {
      if (fresh.length + gone.length >= this.maxFetches) break;
      if (this.seen.has(txid)) continue;
      const tx = await fetchTx(txid);
      if (tx) fresh.push(tx);
      else gone.push(txid);
    }
    const watched = await matchAddresses(
      watch,
      fresh.flatMap((tx) => tx.outputs.map((o) => o.address)),
    );
    for (const tx of fresh) this.seen.set(tx.txid, await transfersTo([tx], watched, null));
    for (const txid of gone) current.delete(txid);

    const out: ObservedTransfer[] = [];
    for (const [txid, transfers] of this.seen) if (current.has(txid)) out.push(...transfers);
    return out;
  }
}
