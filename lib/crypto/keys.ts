import { settings } from "@/lib/config";
import type { KeyEncryptionKey } from "./envelope";

/** The key-encryption key in force, from ENCRYPTION_KEY / ENCRYPTION_KEY_ID. */
export function currentKek(): KeyEncryptionKey {
  const s = settings();
  return { id: s.ENCRYPTION_KEY_ID, key: Buffer.from(s.ENCRYPTION_KEY, "base64") };
}

/** Every key that may open a data key: the current one first, then ENCRYPTION_PREVIOUS_KEYS. */
export function allKeks(): KeyEncryptionKey[] {
  const previous = (settings().ENCRYPTION_PREVIOUS_KEYS ?? "")
    .split(",")
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const [id, key] = pair.split(":") as [string, string];
      return { id, key: Buffer.from(key, "base64") };
    });
  const current = currentKek();
  return [current, ...previous.filter((k) => k.id !== current.id)];
}
