// `npm run credentials:rewrap`: after rotating the key-encryption key, seal every account's data
// key, and every webhook endpoint's signing-secret data key, under the new one. Set ENCRYPTION_KEY / ENCRYPTION_KEY_ID to the new key and list the old
// one(s) in ENCRYPTION_PREVIOUS_KEYS ("<id>:<base64>"); once this reports no failures the old keys
// can be removed. Safe to run again: accounts already under the new key are skipped.
import { getDatabase } from "@/db";
import { rewrapAllCredentials } from "@/lib/accounts/rewrap";
import { ConfigError, settings } from "@/lib/config";
import { allKeks, currentKek } from "@/lib/crypto/keys";
import { rewrapWebhookSecrets } from "@/lib/webhooks/endpoints";

async function main() {
  settings(); // a configuration error is reported before anything is opened
  const handle = await getDatabase();
  try {
    const next = currentKek();
    const keks = allKeks();
    console.log(`Re-wrapping data keys under "${next.id}" (known keys: ${keks.map((k) => k.id).join(", ")})…`);
    const report = await rewrapAllCredentials(handle.db, keks, next);
    console.log(`${report.rewrapped} re-wrapped, ${report.alreadyCurrent} already under "${next.id}", ${report.failed.length} failed.`);
    for (const f of report.failed) console.error(`  account ${f.accountId}: ${f.reason}`);
    const secrets = await rewrapWebhookSecrets(handle.db, keks, next);
    console.log(`Webhook secrets: ${secrets.rewrapped} re-wrapped, ${secrets.alreadyCurrent} already under "${next.id}", ${secrets.failed.length} failed.`);
    for (const f of secrets.failed) console.error(`  webhook endpoint ${f.endpointId}: ${f.reason}`);
    process.exitCode = report.failed.length + secrets.failed.length > 0 ? 1 : 0;
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
});
