import { randomBytes } from "node:crypto";
import type { KeyEncryptionKey } from "@/lib/crypto/envelope";

export const testKek = (id = "test-k1"): KeyEncryptionKey => ({ id, key: randomBytes(32) });
