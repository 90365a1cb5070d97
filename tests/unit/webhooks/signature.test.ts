import { describe, expect, it } from "vitest";
import { parseSignatureHeader, signWebhook, verifyWebhook } from "@/lib/webhooks/signature";

const SECRET = "whsec_0123456789abcdef0123456789abcdef";
const BODY = '{"id":"evt_1","type":"InvoicePaid"}';
const T = 1_767_225_600; // 2026-01-01T00:00:00Z
// Computed independently: printf '%s' "$T.$BODY" | openssl dgst -sha256 -hmac "$SECRET"
const EXPECTED = "64028219609f42524637a9e1bb8d065078ec20d54a9a7e317ab32ef84b4eda64";
const at = (seconds: number) => new Date(seconds * 1000);

describe("webhook signatures", () => {
  it("signs the timestamp and the exact body bytes with HMAC-SHA256", () => {
    expect(signWebhook(SECRET, BODY, T)).toBe(`t=${T},v1=${EXPECTED}`);
    expect(signWebhook(SECRET, new TextEncoder().encode(BODY), T)).toBe(`t=${T},v1=${EXPECTED}`);
  });

  it("verifies a delivery within the tolerance, with any of several v1 values", () => {
    const header = signWebhook(SECRET, BODY, T);
    expect(verifyWebhook(SECRET, BODY, header, { now: at(T + 299) })).toEqual({ ok: true, timestamp: T });
    const rotated = `t=${T},v1=${"0".repeat(64)},v1=${EXPECTED}`;
    expect(verifyWebhook(SECRET, BODY, rotated, { now: at(T) })).toMatchObject({ ok: true });
  });

  it.each([
    ["a changed body", SECRET, `${BODY} `, "no_matching_signature"],
    ["another secret", `${SECRET}x`, BODY, "no_matching_signature"],
  ])("refuses %s", (_label, secret, body, reason) => {
    expect(verifyWebhook(secret, body, signWebhook(SECRET, BODY, T), { now: at(T) })).toEqual({ ok: false, reason });
  });

  it("refuses a replay outside the tolerance, and a header moved to a new time", () => {
    expect(verifyWebhook(SECRET, BODY, signWebhook(SECRET, BODY, T), { now: at(T + 301) })).toEqual({ ok: false, reason: "timestamp_out_of_tolerance" });
    const moved = `t=${T + 1000},v1=${EXPECTED}`;
    expect(verifyWebhook(SECRET, BODY, moved, { now: at(T + 1000) })).toEqual({ ok: false, reason: "no_matching_signature" });
  });

  it.each(["", "v1=abc", `t=${T}`, `t=x,v1=${EXPECTED}`, `t=${T},t=${T},v1=${EXPECTED}`, `t=${T},v1=${EXPECTED.toUpperCase()}`, "garbage"])(
    "treats %j as a malformed header",
    (header) => {
      expect(parseSignatureHeader(header)).toBeNull();
      expect(verifyWebhook(SECRET, BODY, header, { now: at(T) })).toEqual({ ok: false, reason: "malformed_header" });
    },
  );
});
