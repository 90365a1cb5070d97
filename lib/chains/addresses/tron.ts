import { ethereumAccountBytes } from "./ethereum";
import { base58check } from "./hashes";

/** Tron mainnet (and Shasta/Nile testnets) address version byte; encodes to a leading "T". */
const TRON_PREFIX = 0x41;

/** 0x41 ‖ last 20 bytes of keccak256(uncompressed pubkey sans 0x04), base58check → "T…". */
export function tronAddressFromPublicKey(publicKey: Uint8Array): string {
  const payload = new Uint8Array(21);
  payload[0] = TRON_PREFIX;
  payload.set(ethereumAccountBytes(publicKey), 1);
  return base58check.encode(payload);
}

export function isValidTronAddress(address: string): boolean {
  // A Tron address is always 34 characters; the bound also keeps base58 decoding cheap.
  if (typeof address !== "string" || address.length !== 34 || !address.startsWith("T")) return false;
  try {
    const bytes = base58check.decode(address);
    return bytes.length === 21 && bytes[0] === TRON_PREFIX;
  } catch {
    return false;
  }
}
