import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db";
import type { DatabaseHandle } from "@/db/client";
import { accounts, outboxEvents } from "@/db/schema";
import { openCredentials, readAccountCredentials, sealCredentials } from "@/lib/accounts/credentials";
import { rewrapAllCredentials } from "@/lib/accounts/rewrap";
import { createAccount, updateAccount } from "@/lib/accounts/service";
import type { KeyEncryptionKey } from "@/lib/crypto/envelope";
import { currentKek } from "@/lib/crypto/keys";
import { createTestAdmin } from "../helpers/admin-fixtures";
import { createTestDatabase, targetName } from "../helpers/test-db";

let h: DatabaseHandle;
let db: Db;
let adminId: string;

const kek = (id: string): KeyEncryptionKey => ({ id, key: randomBytes(32) });
/** Credentials no other row could contain by chance, so finding them in a dump means a leak. */
const uniqueCredentials = () => ({
  accessKeyId: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`,
  secretAccessKey: randomBytes(30).toString("base64"),
});

/** The whole database as bytes: pg_dump for PostgreSQL, the data directory tarball for PGlite. */
async function dumpDatabase(): Promise<string> {
  if (h.kind === "postgres") {
    const url = new URL(process.env.DATABASE_URL!);
    const [{ name }] = (await db.execute<{ name: string }>("select current_database() as name")) as unknown as [{ name: string }];
    url.pathname = `/${name}`;
    return execFileSync("pg_dump", ["--no-owner", "--data-only", url.toString()], { maxBuffer: 256 * 1024 * 1024 }).toString("latin1");
  }
  const client = (db as unknown as { $client: { dumpDataDir(compression: "none"): Promise<Blob | File> } }).$client;
  await (db as unknown as { $client: { exec(sql: string): Promise<unknown> } }).$client.exec("checkpoint");
  return Buffer.from(await (await client.dumpDataDir("none")).arrayBuffer()).toString("latin1");
}

beforeAll(async () => {
  h = await createTestDatabase();
  db = h.db;
  adminId = await createTestAdmin(db);
});

afterAll(async () => {
  await h?.close();
});

describe(`credentials at rest (${targetName()})`, () => {
  it("a dump of the database holds no plaintext credential, though it does hold the other data", async () => {
    const first = uniqueCredentials();
    const second = uniqueCredentials();
    // A marker in an ordinary column proves the search below would find text that is there.
    const marker = `visible-marker-${randomBytes(6).toString("hex")}`;
    const id = await createAccount(db, { name: marker, displayName: "Dump test", priceMinor: 100n, priceCurrency: "USD", instructions: "", features: [], limitations: [], regions: [], credentials: first }, { adminId });
    await updateAccount(db, id, { name: marker, displayName: "Dump test", priceMinor: 100n, priceCurrency: "USD", instructions: "", features: [], limitations: [], regions: [], credentials: second }, { adminId });

    const dump = await dumpDatabase();
    expect(dump).toContain(marker);
    for (const secret of [first.secretAccessKey, second.secretAccessKey, first.accessKeyId, second.accessKeyId]) {
      expect(dump).not.toContain(secret);
      // Nor in the encodings a careless write might use.
      expect(dump).not.toContain(Buffer.from(secret).toString("base64"));
      expect(dump).not.toContain(Buffer.from(secret).toString("hex"));
    }
    expect(dump).toContain(second.accessKeyId.slice(-4));
    expect(await readAccountCredentials(db, id)).toEqual(second);
  });

  it("re-wraps every data key under a new key-encryption key without touching the ciphertexts", async () => {
    const oldKek = kek("old-1");
    const newKek = kek("new-2");
    const creds = [uniqueCredentials(), uniqueCredentials(), uniqueCredentials()];
    const ids: string[] = [];
    for (const c of creds) {
      const id = await createAccount(db, { name: "rotate", displayName: "Rotate", priceMinor: 100n, priceCurrency: "USD", instructions: "", features: [], limitations: [], regions: [] }, { adminId });
      await db.update(accounts).set(sealCredentials(id, c, oldKek)).where(eq(accounts.id, id));
      ids.push(id);
    }
    // One account sealed under a key nobody has any more: reported, and the others still move.
    const lost = await createAccount(db, { name: "lost", displayName: "Lost", priceMinor: 100n, priceCurrency: "USD", instructions: "", features: [], limitations: [], regions: [] }, { adminId });
    await db.update(accounts).set(sealCredentials(lost, uniqueCredentials(), kek("gone"))).where(eq(accounts.id, lost));
    const before = await db.select({ id: accounts.id, ciphertext: accounts.credentialsCiphertext }).from(accounts);

    const report = await rewrapAllCredentials(db, [currentKek(), oldKek], newKek, 2);
    expect(report.rewrapped).toBe(3 + 1); // three here, one from the first test (under the configured key)
    expect(report.failed).toEqual([{ accountId: lost, reason: expect.stringContaining('"gone"') }]);

    const after = await db.select({ id: accounts.id, ciphertext: accounts.credentialsCiphertext, wrapped: accounts.wrappedDataKey, keyId: accounts.credentialsKeyId }).from(accounts);
    for (const [i, id] of ids.entries()) {
      const row = after.find((r) => r.id === id)!;
      expect(row.keyId).toBe("new-2");
      expect(row.ciphertext).toBe(before.find((r) => r.id === id)!.ciphertext);
      // Only the new key is needed now.
      expect(openCredentials(id, { ciphertext: row.ciphertext!, wrappedDataKey: row.wrapped!, keyId: row.keyId! }, [newKek])).toEqual(creds[i]);
    }
    const again = await rewrapAllCredentials(db, [oldKek], newKek);
    expect(again).toMatchObject({ rewrapped: 0, alreadyCurrent: 4, failed: [expect.objectContaining({ accountId: lost })] });
  });

  it("keeps credentials out of events", async () => {
    const events = await db.select({ payload: outboxEvents.payload }).from(outboxEvents);
    const text = JSON.stringify(events);
    expect(text).not.toMatch(/AKIA[0-9A-F]{16}/);
    expect(text).not.toContain("secretAccessKey");
  });
});
