import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Envelope encryption for secrets at rest: each record gets a random 256-bit data key; the secret
 * is sealed with AES-256-GCM (12-byte IV) under that key, bound to the record by associated data
 * (e.g. the account id); the data key is itself sealed under a key-encryption key (KEK) named by
 * a key id, so KEKs can be rotated by re-wrapping data keys without touching the ciphertexts.
 *
 * Serialised form of a sealed value: "v1.<iv b64url>.<tag b64url>.<ciphertext b64url>".
 */

export type KeyEncryptionKey = { id: string; key: Buffer };
export type EnvelopeRecord = { ciphertext: string; wrappedDataKey: string; keyId: string };

const VERSION = "v1";

function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64url"), tag.toString("base64url"), body.toString("base64url")].join(".");
}

function open(key: Buffer, sealed: string, aad: string): Buffer {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error("Malformed sealed value");
  const tagBytes = Buffer.from(tag, "base64url");
  // A full 16-byte tag only: GCM would otherwise accept a truncated one, which is forgeable.
  if (tagBytes.length !== 16) throw new Error("Malformed sealed value");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), { authTagLength: 16 });
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(tagBytes);
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]);
}

/** The data key is bound to the record too, so a wrapped key cannot be moved to another record. */
const wrapAad = (kekId: string, recordAad: string) => `dek:${kekId}:${recordAad}`;

export function encryptEnvelope(kek: KeyEncryptionKey, plaintext: string, aad: string): EnvelopeRecord {
  const dataKey = randomBytes(32);
  try {
    return {
      ciphertext: seal(dataKey, Buffer.from(plaintext, "utf8"), aad),
      wrappedDataKey: seal(kek.key, dataKey, wrapAad(kek.id, aad)),
      keyId: kek.id,
    };
  } finally {
    dataKey.fill(0);
  }
}

export function decryptEnvelope(keks: KeyEncryptionKey[], record: EnvelopeRecord, aad: string): string {
  const kek = keks.find((k) => k.id === record.keyId);
  if (!kek) throw new Error(`No key-encryption key with id "${record.keyId}" is configured`);
  const dataKey = open(kek.key, record.wrappedDataKey, wrapAad(kek.id, aad));
  try {
    return open(dataKey, record.ciphertext, aad).toString("utf8");
  } finally {
    dataKey.fill(0);
  }
}

/** Re-wrap a record's data key under a new KEK; the ciphertext itself is unchanged. */
export function rewrapEnvelope(
  keks: KeyEncryptionKey[],
  next: KeyEncryptionKey,
  record: EnvelopeRecord,
  aad: string,
): EnvelopeRecord {
  const current = keks.find((k) => k.id === record.keyId);
  if (!current) throw new Error(`No key-encryption key with id "${record.keyId}" is configured`);
  const dataKey = open(current.key, record.wrappedDataKey, wrapAad(current.id, aad));
  try {
    return { ciphertext: record.ciphertext, wrappedDataKey: seal(next.key, dataKey, wrapAad(next.id, aad)), keyId: next.id };
  } finally {
    dataKey.fill(0);
  }
}
