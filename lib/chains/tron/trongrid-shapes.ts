/**
 * What the TronGrid adapter reads from the wire: Tron addresses in every form the APIs use, and
 * the response shapes (zod) of the java-tron and TronGrid v1 endpoints it calls.
 */
import { hexToBytes } from "@noble/hashes/utils.js";
import { z } from "zod";
import { base58check } from "@/lib/chains/addresses/hashes";
import { isValidTronAddress } from "@/lib/chains/addresses/tron";

// -------------------------------------------------------------------------------------------------
// Addresses
// -------------------------------------------------------------------------------------------------

/**
 * A Tron address in any form TronGrid and java-tron answer with — base58 `T…`, hex `41…`, EVM-style
 * `0x…` (the v1 event API's `result.from/to`), or bare 20-byte hex (log addresses) — as the base58
 * form invoices store. Null when it is none of these.
 */
export function toTronAddress(value: string): string | null {
  const s = value.trim();
  if (s.startsWith("T")) return isValidTronAddress(s) ? s : null;
  const hex = s.replace(/^0x/i, "");
  let payload: string;
  if (/^41[0-9a-fA-F]{40}$/.test(hex)) payload = hex;
  else if (/^[0-9a-fA-F]{40}$/.test(hex)) payload = `41${hex}`;
  else return null;
  return base58check.encode(hexToBytes(payload.toLowerCase()));
}

/** The address in an ABI word / indexed topic (32 bytes, address in the low 20). */
export function addressFromWord(word: string): string | null {
  if (!/^[0-9a-f]{64}$/.test(word)) return null;
  // The upper 12 bytes are zero, or carry Tron's 0x41 prefix in the last of them (some encoders).
  if (!/^0{22}(00|41)$/.test(word.slice(0, 24))) return null;
  return toTronAddress(word.slice(24));
}

export function normalizeHex(value: string): string {
  return value.trim().replace(/^0x/i, "").toLowerCase();
}

// -------------------------------------------------------------------------------------------------
// Response shapes (zod). Only the fields the adapter reads are declared; the rest pass unchecked.
// -------------------------------------------------------------------------------------------------

export const safeInt = z
  .number()
  .int()
  .nonnegative()
  .refine((n) => Number.isSafeInteger(n), "not a safe integer");
/** TronGrid documents some integers (event_index) as strings; accept either. */
export const intOrDigits = z.union([safeInt, z.string().regex(/^\d{1,15}$/).transform(Number)]);
export const hash64 = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, "expected 32 bytes of hex")
  .transform((s) => s.toLowerCase());
/** uint256 as TronGrid returns it: a decimal string (at most 78 digits). */
export const uint256Decimal = z.string().regex(/^\d{1,78}$/, "expected a decimal uint256");

/** /wallet/getnowblock, /wallet/getblockbynum, /walletsolidity/getnowblock (protocol.Block JSON). */
export const BlockSchema = z.object({
  blockID: hash64,
  block_header: z.object({
    raw_data: z.object({
      // Protobuf JSON omits zero values: the genesis block has no number.
      number: safeInt.optional(),
      timestamp: safeInt.optional(),
      parentHash: hash64.optional(),
    }),
  }),
});

export const MetaSchema = z
  .object({ fingerprint: z.string().optional(), page_size: z.number().optional() })
  .optional();

/** GET /v1/contracts/{contract}/events */
export const EventSchema = z.object({
  transaction_id: hash64,
  block_number: intOrDigits,
  block_timestamp: safeInt,
  contract_address: z.string(),
  event_name: z.string(),
  event_index: intOrDigits,
  result: z.record(z.string(), z.unknown()),
});
export const EventPageSchema = z.object({ data: z.array(EventSchema), meta: MetaSchema });

/** GET /v1/accounts/{address}/transactions/trc20 (one item per Transfer event, no block number). */
export const Trc20ItemSchema = z.object({
  transaction_id: hash64,
  block_timestamp: safeInt,
  to: z.string(),
  type: z.string().optional(),
  token_info: z.object({ address: z.string().optional() }).optional(),
});
export const Trc20PageSchema = z.object({ data: z.array(Trc20ItemSchema), meta: MetaSchema });

/** POST /wallet/gettransactioninfobyid (protocol.TransactionInfo JSON), or {} when unknown. */
export const TxInfoSchema = z.object({
  id: hash64,
  blockNumber: safeInt,
  blockTimeStamp: safeInt.optional(),
  /** "FAILED" on failure; omitted (protobuf default SUCESS) on success. */
  result: z.string().optional(),
  /** Hex-encoded failure message. */
  resMessage: z.string().optional(),
  /** receipt.result: SUCCESS, REVERT, OUT_OF_ENERGY, … (contract calls only). */
  receipt: z.object({ result: z.string().optional() }).optional(),
  log: z
    .array(
      z.object({
        address: z.string().optional(),
        topics: z.array(z.string()).optional(),
        data: z.string().optional(),
      }),
    )
    .optional(),
});
export type TxInfo = z.infer<typeof TxInfoSchema>;

/** POST /wallet/gettransactionbyid and /wallet/gettransactionfrompending (protocol.Transaction). */
export const TransactionSchema = z.object({
  txID: hash64,
  raw_data: z.object({
    contract: z
      .array(
        z.object({
          type: z.string().optional(),
          parameter: z.object({ value: z.record(z.string(), z.unknown()) }).optional(),
        }),
      )
      .optional(),
  }),
});
export type Transaction = z.infer<typeof TransactionSchema>;

// -------------------------------------------------------------------------------------------------
// Helpers
// -------------------------------------------------------------------------------------------------
