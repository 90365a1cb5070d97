import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, describe, expect, it } from "vitest";

/**
 * Upgrading to the release with the outbox relay: events recorded before migration 0010 are marked
 * published, so the relay never emails customers or posts webhooks about old invoices; events
 * recorded after it are left for the relay.
 */

const FULL = path.join(process.cwd(), "db", "migrations");
const before = mkdtempSync(path.join(tmpdir(), "migrations-before-0010-"));
afterAll(() => rmSync(before, { recursive: true, force: true }));

describe("migration 0010: outbox history", () => {
  it("marks the events of an older database published and leaves new ones to the relay", async () => {
    cpSync(FULL, before, { recursive: true, filter: (src) => !path.basename(src).startsWith("0010_") });
    const journalPath = path.join(before, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
    journal.entries = journal.entries.filter((e) => !e.tag.startsWith("0010_"));
    writeFileSync(journalPath, JSON.stringify(journal));

    const pg = new PGlite();
    const db = drizzle(pg);
    await migrate(db, { migrationsFolder: before });
    const insert = (id: string) =>
      db.execute(sql`insert into outbox_events (aggregate_type, aggregate_id, event_type, payload) values ('invoice', ${id}, 'InvoicePaid', '{}'::jsonb)`);
    await insert("old");
    await migrate(db, { migrationsFolder: FULL });
    await insert("new");
    const rows = (await pg.query<{ aggregate_id: string; published: boolean }>("select aggregate_id, published_at is not null as published from outbox_events order by sequence")).rows;
    expect(rows).toEqual([
      { aggregate_id: "old", published: true },
      { aggregate_id: "new", published: false },
    ]);
    await pg.close();
  });
});
