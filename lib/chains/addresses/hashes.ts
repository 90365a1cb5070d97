import { sha256 } from "@noble/hashes/sha2.js";
import { ripemd160 } from "@noble/hashes/legacy.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { createBase58check } from "@scure/base";

/** Bitcoin-style base58check (4-byte double-SHA256 checksum); also used by Tron and BIP32 keys. */
export const base58check = createBase58check(sha256);

export const hash160 = (data: Uint8Array): Uint8Array => ripemd160(sha256(data));

export { keccak_256, sha256 };

export const bytesToHex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

export const asciiBytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
