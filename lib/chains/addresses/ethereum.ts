import { secp256k1 } from "@noble/curves/secp256k1.js";
import { AddressError } from "./errors";
import { asciiBytes, bytesToHex, keccak_256 } from "./hashes";

const HEX40 = /^[0-9a-fA-F]{40}$/;

/** keccak256(uncompressed public key without its 0x04 prefix): the last 20 bytes are the account. */
export function ethereumAccountBytes(publicKey: Uint8Array): Uint8Array {
  const uncompressed = secp256k1.Point.fromBytes(publicKey).toBytes(false);
  return keccak_256(uncompressed.subarray(1)).subarray(-20);
}

/**
 * EIP-55 mixed-case checksum encoding. Accepts 40 hex digits with or without `0x`, in any case
 * (the input case is ignored, not verified — use {@link isValidEthereumAddress} to verify).
 */
export function toChecksumAddress(hex: string): string {
  const body = typeof hex === "string" && /^0x/i.test(hex) ? hex.slice(2) : hex;
  if (typeof body !== "string" || !HEX40.test(body)) {
    throw new AddressError("address.invalid", "An Ethereum address is 0x followed by 40 hexadecimal digits.");
  }
  const lower = body.toLowerCase();
  const hash = bytesToHex(keccak_256(asciiBytes(lower)));
  let out = "0x";
  for (let i = 0; i < 40; i++) {
    const c = lower[i] as string;
    out += parseInt(hash[i] as string, 16) >= 8 ? c.toUpperCase() : c;
  }
  return out;
}

export function ethereumAddressFromPublicKey(publicKey: Uint8Array): string {
  return toChecksumAddress(bytesToHex(ethereumAccountBytes(publicKey)));
}

/**
 * `0x` + 40 hex digits. All-lowercase or all-uppercase bodies carry no checksum and are accepted;
 * a mixed-case body must match its EIP-55 checksum exactly.
 */
export function isValidEthereumAddress(address: string): boolean {
  if (typeof address !== "string" || !address.startsWith("0x")) return false;
  const body = address.slice(2);
  if (!HEX40.test(body)) return false;
  if (body === body.toLowerCase() || body === body.toUpperCase()) return true;
  return toChecksumAddress(body) === address;
}
