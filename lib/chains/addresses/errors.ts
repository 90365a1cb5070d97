import { DomainError, type DomainErrorDetails } from "@/lib/domain";

/**
 * Stable codes for everything that can go wrong while accepting a merchant's extended public key
 * or deriving / validating an address. Messages are written for humans and NEVER echo the key.
 */
export type AddressErrorCode =
  | "xpub.invalid" // not base58check, wrong length, bad checksum, unknown version, invalid point
  | "xpub.wrong_network" // e.g. a zpub in testnet mode, a vpub in mainnet mode, a zpub for Ethereum
  | "xpub.unsupported_type" // e.g. a ypub (BIP49 wrapped segwit) where BIP84 native segwit is required
  | "xpub.private_key_refused" // an xprv/zprv/tprv/vprv… was pasted: refused, never stored
  | "xpub.wrong_depth" // not an account-level (depth 3) or receive-chain-level (depth 4) key
  | "xpub.unexpected_path" // right depth but not on a standard path (depth 3 unhardened, depth 4 not chain 0)
  | "address.bad_index" // child index not an integer in [0, 2^31)
  | "address.bad_chain" // chain other than 0/1, or chain 1 asked of a receive-chain (depth 4) key
  | "address.underivable" // BIP32 invalid child at this index (p ≈ 2^-127): use the next index
  | "address.invalid"; // toChecksumAddress given something that is not 20 bytes of hex

export class AddressError extends DomainError {
  declare readonly code: AddressErrorCode;

  constructor(code: AddressErrorCode, message: string, details?: DomainErrorDetails) {
    super(code, message, details);
    this.name = "AddressError";
  }
}
