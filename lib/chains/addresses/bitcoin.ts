import { bech32, bech32m } from "@scure/base";
import { base58check, hash160 } from "./hashes";

export interface BitcoinValidationOptions {
  readonly testnet: boolean;
  /** Regtest is a test network: accepts `bcrt1…` plus the testnet base58 versions (not `tb1…` unless testnet). */
  readonly regtest?: boolean;
}

/** P2WPKH (BIP141/BIP173): witness v0 ‖ hash160(compressed pubkey), bech32 with HRP bc/tb. */
export function p2wpkhAddress(compressedPublicKey: Uint8Array, testnet: boolean): string {
  const program = hash160(compressedPublicKey);
  return bech32.encode(testnet ? "tb" : "bc", [0, ...bech32.toWords(program)]);
}

function segwitHrps(opts: BitcoinValidationOptions): readonly string[] {
  if (opts.regtest) return opts.testnet ? ["tb", "bcrt"] : ["bcrt"];
  return opts.testnet ? ["tb"] : ["bc"];
}

/**
 * Segwit addresses per BIP173/BIP350. Accepted: v0 (bech32) with a 20-byte (P2WPKH) or 32-byte
 * (P2WSH) program, and v1 taproot (bech32m) with a 32-byte program. Future witness versions
 * (v2–v16) are deliberately refused: coins sent there are not safely spendable today.
 */
function isValidSegwit(address: string, opts: BitcoinValidationOptions): boolean {
  if (address.length > 90) return false;
  const lower = address.toLowerCase();
  const hrp = segwitHrps(opts).find((p) => lower.startsWith(`${p}1`));
  if (hrp === undefined) return false;
  const asBech32 = bech32.decodeUnsafe(address);
  const asBech32m = asBech32 ? undefined : bech32m.decodeUnsafe(address);
  const decoded = asBech32 ?? asBech32m;
  if (!decoded || decoded.prefix !== hrp || decoded.words.length < 1) return false;
  const version = decoded.words[0] as number;
  const program = bech32.fromWordsUnsafe(decoded.words.slice(1));
  if (!program) return false;
  if (version === 0) return asBech32 !== undefined && (program.length === 20 || program.length === 32);
  if (version === 1) return asBech32m !== undefined && program.length === 32;
  return false;
}

/** Legacy base58check P2PKH / P2SH: 21 bytes, version 0x00/0x05 (mainnet) or 0x6f/0xc4 (test networks). */
function isValidBase58(address: string, opts: BitcoinValidationOptions): boolean {
  if (address.length < 26 || address.length > 35) return false;
  const versions = opts.testnet || opts.regtest ? [0x6f, 0xc4] : [0x00, 0x05];
  try {
    const bytes = base58check.decode(address);
    return bytes.length === 21 && versions.includes(bytes[0] as number);
  } catch {
    return false;
  }
}

export function isValidBitcoinAddress(address: string, opts: BitcoinValidationOptions): boolean {
  if (typeof address !== "string" || address.length === 0) return false;
  return isValidSegwit(address, opts) || isValidBase58(address, opts);
}
