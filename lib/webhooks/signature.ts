import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Webhook signatures. Every delivery carries
 *
 *   CryptoCheckout-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + exact body bytes)>
 *
 * The timestamp is signed with the body, so a captured delivery cannot be replayed later with a
 * fresh time, and receivers reject one older than their tolerance (five minutes by default). A
 * header may carry several v1 values (one per secret while a secret is being rotated); any match
 * verifies.
 */

export const SIGNATURE_HEADER = "CryptoCheckout-Signature";
export const DEFAULT_TOLERANCE_SECONDS = 300;

const toBytes = (body: string | Uint8Array) => (typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body.buffer, body.byteOffset, body.byteLength));

function hmacHex(secret: string, timestamp: number, body: string | Uint8Array): string {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(toBytes(body)).digest("hex");
}

/** The header value for `body` sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, body: string | Uint8Array, timestamp: number): string {
  if (!Number.isSafeInteger(timestamp) || timestamp <= 0) throw new RangeError("timestamp must be a positive whole number of seconds");
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`;
}

export type SignatureCheck =
  | { ok: true; timestamp: number }
  | { ok: false; reason: "malformed_header" | "timestamp_out_of_tolerance" | "no_matching_signature" };

/** Parses "t=…,v1=…[,v1=…]"; unknown keys (future schemes) are ignored. */
export function parseSignatureHeader(header: string): { timestamp: number; signatures: string[] } | null {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq <= 0) return null;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t") {
      if (!/^\d{1,12}$/.test(value) || timestamp !== null) return null;
      timestamp = Number(value);
    } else if (key === "v1") {
      if (!/^[0-9a-f]{64}$/.test(value)) return null;
      signatures.push(value);
    }
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

/** What a receiver does: recompute over the exact body bytes, compare in constant time, check the age. */
export function verifyWebhook(
  secret: string,
  body: string | Uint8Array,
  header: string,
  options: { toleranceSeconds?: number; now?: Date } = {},
): SignatureCheck {
  const parsed = parseSignatureHeader(header);
  if (!parsed) return { ok: false, reason: "malformed_header" };
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - parsed.timestamp) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) {
    return { ok: false, reason: "timestamp_out_of_tolerance" };
  }
  const expected = Buffer.from(hmacHex(secret, parsed.timestamp, body), "hex");
  const match = parsed.signatures.some((sig) => timingSafeEqual(Buffer.from(sig, "hex"), expected));
  return match ? { ok: true, timestamp: parsed.timestamp } : { ok: false, reason: "no_matching_signature" };
}
