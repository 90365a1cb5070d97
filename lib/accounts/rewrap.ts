import { and, asc, eq, gt, isNotNull, ne } from "drizzle-orm";
import type { Db } from "@/db";
import { accounts } from "@/db/schema";
import { rewrapEnvelope, type KeyEncryptionKey } from "@/lib/crypto/envelope";

export type RewrapReport = { rewrapped: number; alreadyCurrent: number; failed: { accountId: string; reason: string }[] };

/**
 * Moves every account's data key under `next`: each data key is opened with whichever of `keks`
 * wrapped it and sealed again under `next`; the credential ciphertexts are not touched. Accounts
 * are done one per short transaction (row locked), so the store keeps running meanwhile and a run
 * that stops half-way can simply be started again. An account whose key is not among `keks` is
 * reported, not fatal.
 */
export async function rewrapAllCredentials(db: Db, keks: KeyEncryptionKey[], next: KeyEncryptionKey, batchSize = 200): Promise<RewrapReport> {
  const report: RewrapReport = { rewrapped: 0, alreadyCurrent: 0, failed: [] };
  const all = [next, ...keks.filter((k) => k.id !== next.id)];
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const batch = await db
      .select({ id: accounts.id, keyId: accounts.credentialsKeyId })
      .from(accounts)
      .where(and(isNotNull(accounts.credentialsCiphertext), gt(accounts.id, after)))
      .orderBy(asc(accounts.id))
      .limit(batchSize);
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!.id;
    for (const { id, keyId } of batch) {
      if (keyId === next.id) {
        report.alreadyCurrent++;
        continue;
      }
      try {
        const done = await db.transaction(async (tx) => {
          const [row] = await tx
            .select({ ciphertext: accounts.credentialsCiphertext, wrappedDataKey: accounts.wrappedDataKey, keyId: accounts.credentialsKeyId })
            .from(accounts)
            .where(and(eq(accounts.id, id), ne(accounts.credentialsKeyId, next.id)))
            .for("update");
          if (!row?.ciphertext || !row.wrappedDataKey || !row.keyId) return false;
          const sealed = rewrapEnvelope(all, next, { ciphertext: row.ciphertext, wrappedDataKey: row.wrappedDataKey, keyId: row.keyId }, id);
          await tx.update(accounts).set({ wrappedDataKey: sealed.wrappedDataKey, credentialsKeyId: sealed.keyId }).where(eq(accounts.id, id));
          return true;
        });
        if (done) report.rewrapped++;
        else report.alreadyCurrent++;
      } catch (error) {
        // The reason names the key id, never key material.
        report.failed.push({ accountId: id, reason: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  return report;
}
