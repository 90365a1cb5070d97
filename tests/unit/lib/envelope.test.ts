import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  decryptEnvelope,
  encryptEnvelope,
  rewrapEnvelope,
  type EnvelopeRecord,
  type KeyEncryptionKey,
} from "@/lib/crypto/envelope";

const kek1: KeyEncryptionKey = { id: "k1", key: randomBytes(32) };
const kek2: KeyEncryptionKey = { id: "k2", key: randomBytes(32) };
const SECRET = "AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const RECORD_A = "account:3f9a1c2b-0000-4000-8000-000000000001";
const RECORD_B = "account:3f9a1c2b-0000-4000-8000-000000000002";

type Parts = { version: string; iv: string; tag: string; body: string };
const split = (sealed: string): Parts => {
  const [version, iv, tag, body] = sealed.split(".");
  return { version: version!, iv: iv!, tag: tag!, body: body! };
};
const join = (p: Parts) => [p.version, p.iv, p.tag, p.body].join(".");
/** Flip one bit in a base64url field. */
const flip = (field: string, byte = 0): string => {
  const buf = Buffer.from(field, "base64url");
  buf[byte] = buf[byte]! ^ 0x01;
  return buf.toString("base64url");
};

describe("encryptEnvelope / decryptEnvelope", () => {
  it("round-trips, including unicode and the empty string", () => {
    for (const plaintext of [SECRET, "", "pässwörd 密码 🔑\nline2"]) {
      const record = encryptEnvelope(kek1, plaintext, RECORD_A);
      expect(decryptEnvelope([kek1], record, RECORD_A)).toBe(plaintext);
    }
  });

  it("records the KEK id and uses the documented v1 serialisation", () => {
    const record = encryptEnvelope(kek1, SECRET, RECORD_A);
    expect(record.keyId).toBe("k1");
    for (const sealed of [record.ciphertext, record.wrappedDataKey]) {
      expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/);
      const { iv, tag } = split(sealed);
      expect(Buffer.from(iv, "base64url")).toHaveLength(12);
      expect(Buffer.from(tag, "base64url")).toHaveLength(16);
    }
    // The wrapped data key is a 32-byte key.
    expect(Buffer.from(split(record.wrappedDataKey).body, "base64url")).toHaveLength(32);
  });

  it("finds the right KEK among several", () => {
    const record = encryptEnvelope(kek2, SECRET, RECORD_A);
    expect(decryptEnvelope([kek1, kek2], record, RECORD_A)).toBe(SECRET);
  });

  it("does not leak the plaintext in the stored record, raw or base64", () => {
    const record = encryptEnvelope(kek1, SECRET, RECORD_A);
    const stored = JSON.stringify(record);
    const decodedBody = Buffer.from(split(record.ciphertext).body, "base64url");
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain("wJalrXUtnFEMI");
    expect(stored).not.toContain(Buffer.from(SECRET).toString("base64"));
    expect(stored).not.toContain(Buffer.from(SECRET).toString("base64url"));
    expect(decodedBody.includes(Buffer.from(SECRET))).toBe(false);
    expect(decodedBody.toString("utf8")).not.toContain("AKIA");
    // GCM is a stream mode: the body is as long as the plaintext, but different bytes.
    expect(decodedBody).toHaveLength(Buffer.byteLength(SECRET));
  });

  it("produces a different ciphertext and wrapped key each time (random IV and data key)", () => {
    const a = encryptEnvelope(kek1, SECRET, RECORD_A);
    const b = encryptEnvelope(kek1, SECRET, RECORD_A);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a.wrappedDataKey).not.toBe(b.wrappedDataKey);
    expect(split(a.ciphertext).iv).not.toBe(split(b.ciphertext).iv);
    expect(split(a.ciphertext).body).not.toBe(split(b.ciphertext).body);
    // Different data keys: a's wrapped key cannot open b's ciphertext.
    expect(() => decryptEnvelope([kek1], { ...b, wrappedDataKey: a.wrappedDataKey }, RECORD_A)).toThrow();
  });

  describe("tampering is detected", () => {
    const record = encryptEnvelope(kek1, SECRET, RECORD_A);
    const ct = split(record.ciphertext);
    const wk = split(record.wrappedDataKey);
    const cases: [string, EnvelopeRecord][] = [
      ["a flipped ciphertext bit", { ...record, ciphertext: join({ ...ct, body: flip(ct.body, 5) }) }],
      ["a flipped tag bit", { ...record, ciphertext: join({ ...ct, tag: flip(ct.tag, 15) }) }],
      ["a flipped IV bit", { ...record, ciphertext: join({ ...ct, iv: flip(ct.iv) }) }],
      ["a truncated ciphertext", { ...record, ciphertext: join({ ...ct, body: ct.body.slice(0, -4) }) }],
      ["a flipped wrapped-key bit", { ...record, wrappedDataKey: join({ ...wk, body: flip(wk.body, 3) }) }],
      ["a flipped wrapped-key tag bit", { ...record, wrappedDataKey: join({ ...wk, tag: flip(wk.tag) }) }],
      ["a wrong version", { ...record, ciphertext: join({ ...ct, version: "v2" }) }],
      ["a malformed value", { ...record, ciphertext: "garbage" }],
    ];
    it.each(cases)("%s", (_label, tampered) => {
      expect(() => decryptEnvelope([kek1], tampered, RECORD_A)).toThrow();
    });

    // GCM accepts a tag as short as 4 bytes unless told otherwise; a short tag is forgeable.
    it("a truncated (4-byte) authentication tag is refused", () => {
      const short = Buffer.from(ct.tag, "base64url").subarray(0, 4).toString("base64url");
      expect(() => decryptEnvelope([kek1], { ...record, ciphertext: join({ ...ct, tag: short }) }, RECORD_A)).toThrow();
    });

    it("the untampered record still decrypts (control)", () => {
      expect(decryptEnvelope([kek1], record, RECORD_A)).toBe(SECRET);
    });
  });

  it("fails with the wrong associated data (another record id)", () => {
    const record = encryptEnvelope(kek1, SECRET, RECORD_A);
    expect(() => decryptEnvelope([kek1], record, RECORD_B)).toThrow();
  });

  it("a wrapped data key moved to another record does not open it", () => {
    const a = encryptEnvelope(kek1, SECRET, RECORD_A);
    const b = encryptEnvelope(kek1, "other secret", RECORD_B);
    // a's ciphertext + key, presented as record B: the data key is bound to record A.
    expect(() => decryptEnvelope([kek1], a, RECORD_B)).toThrow();
    // b's ciphertext with a's wrapped key, under either id.
    expect(() => decryptEnvelope([kek1], { ...b, wrappedDataKey: a.wrappedDataKey }, RECORD_B)).toThrow();
    expect(() => decryptEnvelope([kek1], { ...b, wrappedDataKey: a.wrappedDataKey }, RECORD_A)).toThrow();
  });

  it("a KEK with the right id but the wrong key fails", () => {
    const record = encryptEnvelope(kek1, SECRET, RECORD_A);
    expect(() => decryptEnvelope([{ id: "k1", key: randomBytes(32) }], record, RECORD_A)).toThrow();
  });

  it("a record relabelled with another KEK id fails even if that KEK holds the same key", () => {
    const record = encryptEnvelope(kek1, SECRET, RECORD_A);
    expect(() => decryptEnvelope([{ id: "k9", key: kek1.key }], { ...record, keyId: "k9" }, RECORD_A)).toThrow();
  });

  it("an unknown key id gives a clear error naming the id", () => {
    const record = encryptEnvelope(kek2, SECRET, RECORD_A);
    expect(() => decryptEnvelope([kek1], record, RECORD_A)).toThrow(
      'No key-encryption key with id "k2" is configured',
    );
    expect(() => rewrapEnvelope([kek1], kek1, record, RECORD_A)).toThrow(/"k2"/);
  });
});

describe("rewrapEnvelope", () => {
  it("re-wraps under the new KEK, leaving the ciphertext untouched", () => {
    const original = encryptEnvelope(kek1, SECRET, RECORD_A);
    const rewrapped = rewrapEnvelope([kek1], kek2, original, RECORD_A);

    expect(rewrapped.ciphertext).toBe(original.ciphertext);
    expect(rewrapped.keyId).toBe("k2");
    expect(rewrapped.wrappedDataKey).not.toBe(original.wrappedDataKey);

    expect(decryptEnvelope([kek2], rewrapped, RECORD_A)).toBe(SECRET);
    expect(decryptEnvelope([kek1, kek2], rewrapped, RECORD_A)).toBe(SECRET);
    // The old KEK alone can no longer open it.
    expect(() => decryptEnvelope([kek1], rewrapped, RECORD_A)).toThrow(/"k2"/);
    // Even if the old key were configured under the new id.
    expect(() => decryptEnvelope([{ id: "k2", key: kek1.key }], rewrapped, RECORD_A)).toThrow();
    // The original record is not mutated and still opens with the old KEK.
    expect(original.keyId).toBe("k1");
    expect(decryptEnvelope([kek1], original, RECORD_A)).toBe(SECRET);
  });

  it("refuses to re-wrap with the wrong associated data", () => {
    const original = encryptEnvelope(kek1, SECRET, RECORD_A);
    expect(() => rewrapEnvelope([kek1], kek2, original, RECORD_B)).toThrow();
  });

  it("the re-wrapped record stays bound to its record id", () => {
    const rewrapped = rewrapEnvelope([kek1], kek2, encryptEnvelope(kek1, SECRET, RECORD_A), RECORD_A);
    expect(() => decryptEnvelope([kek2], rewrapped, RECORD_B)).toThrow();
  });
});
