import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db";
import { accounts } from "@/db/schema";
import { decryptEnvelope, encryptEnvelope, type EnvelopeRecord, type KeyEncryptionKey } from "@/lib/crypto/envelope";
import { allKeks, currentKek } from "@/lib/crypto/keys";

/**
 * An account's AWS credentials. They exist in clear only in memory, between a decrypt and the
 * call that needs them (a quota refresh, an order page); the database holds the envelope and the
 * last four characters of the access key id, which is all a browser is ever shown.
 */
export type AwsCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export const awsCredentialsSchema = z.object({
  accessKeyId: z
    .string()
    .trim()
    .regex(/^(AKIA|ASIA)[A-Z0-9]{12,124}$/, "must be an AWS access key id (AKIA… or ASIA…, capital letters and digits)"),
  secretAccessKey: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9/+=]{20,128}$/, "must be an AWS secret access key (letters, digits, / + =)"),
  sessionToken: z.string().trim().min(16).max(4096).optional(),
});

export type SealedCredentials = {
  credentialsCiphertext: string;
  wrappedDataKey: string;
  credentialsKeyId: string;
  accessKeyLast4: string;
};

/** The columns to store for these credentials, sealed for the account `accountId`. */
export function sealCredentials(accountId: string, credentials: AwsCredentials, kek: KeyEncryptionKey = currentKek()): SealedCredentials {
  const sealed = encryptEnvelope(kek, JSON.stringify(credentials), accountId);
  return {
    credentialsCiphertext: sealed.ciphertext,
    wrappedDataKey: sealed.wrappedDataKey,
    credentialsKeyId: sealed.keyId,
    accessKeyLast4: credentials.accessKeyId.slice(-4),
  };
}

export function openCredentials(accountId: string, record: EnvelopeRecord, keks: KeyEncryptionKey[] = allKeks()): AwsCredentials {
  return awsCredentialsSchema.parse(JSON.parse(decryptEnvelope(keks, record, accountId)));
}

export class CredentialsMissingError extends Error {
  constructor(readonly accountId: string) {
    super("The account has no AWS credentials");
    this.name = "CredentialsMissingError";
  }
}

/** Reads and opens an account's credentials; throws CredentialsMissingError when it has none. */
export async function readAccountCredentials(db: Executor, accountId: string, keks?: KeyEncryptionKey[]): Promise<AwsCredentials> {
  const [row] = await db
    .select({ ciphertext: accounts.credentialsCiphertext, wrappedDataKey: accounts.wrappedDataKey, keyId: accounts.credentialsKeyId })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  if (!row?.ciphertext || !row.wrappedDataKey || !row.keyId) throw new CredentialsMissingError(accountId);
  return openCredentials(accountId, { ciphertext: row.ciphertext, wrappedDataKey: row.wrappedDataKey, keyId: row.keyId }, keks);
}
