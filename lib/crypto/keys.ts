import { settings } from "@/lib/config";
import type { KeyEncryptionKey } from "./envelope";

/** The key-encryption key in force, from ENCRYPTION_KEY / ENCRYPTION_KEY_ID. */
export function currentKek(): KeyEncryptionKey {
  const s = settings();
  return { id: s.ENCRYPTION_KEY_ID, key: Buffer.from(s.ENCRYPTION_KEY, "base64") };
}
