import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { queryRows, type DatabaseHandle, type Db } from "@/db/client";
import { DEFAULT_CATALOG_QUERY, parseCatalogQuery, type CatalogQuery } from "@/db/queries/catalog";
import * as schema from "@/db/schema";
import { accountModelQuotas, accountOrders, accounts, catalogVersion, invoices } from "@/db/schema";
import { ensureSeeded } from "@/db/seed";
import { CatalogCache, catalogQueryKey, readAccountDetail, readCatalog } from "@/lib/store/catalog-cache";
import { testKek } from "../helpers/keys";
import { createTestDatabase, targetName } from "../helpers/test-db";

let h: DatabaseHandle;
/** A second connection to the same database, as another app instance or the watcher's worker would hold. */
let other: Db;
let closeOther: () => Promise<void> = async () => {};

beforeAll(async () => {
  h = await createTestDatabase();
  await ensureSeeded(h.db, { adminUsername: "admin", demoData: true, storeName: "Test Store", kek: testKek() });
  if (process.env.DATABASE_URL) {
    const [{ name }] = (await queryRows<{ name: string }>(h.db, sql`select current_database() as name`)) as [{ name: string }];
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    const client = postgres(url.toString(), { max: 1, onnotice: () => {} });
    other = drizzle(client, { schema }) as unknown as Db;
    closeOther = () => client.end({ timeout: 5 });
  } else {
    other = h.db; // PGlite serves one connection per database
  }
}, 60_000);
afterAll(async () => {
  await closeOther();
  await h?.close();
});

let cache: CatalogCache;
beforeEach(() => {
  cache = new CatalogCache();
});

const query = (over: Partial<CatalogQuery> = {}): CatalogQuery => ({ ...DEFAULT_CATALOG_QUERY, pageSize: 100, ...over });
const listing = async (id: string, over: Partial<CatalogQuery> = {}) => (await readCatalog(h.db, query(over), cache)).page.items.find((l) => l.id === id);

async function anAvailableAccount(): Promise<{ id: string; priceMinor: bigint }> {
  const [row] = await h.db
    .select({ id: accounts.id, priceMinor: accounts.priceMinor })
    .from(accounts)
    .where(sql`${accounts.status} = 'AVAILABLE' and not exists (select 1 from ${accountOrders} o where o.account_id = ${accounts.id} and o.status = 'reserved')`)
    .orderBy(accounts.name)
    .limit(1);
  return row!;
}

describe(`catalog cache (${targetName()})`, () => {
  it("answers a repeated query from memory while the catalog version is unchanged", async () => {
    const first = await readCatalog(h.db, query(), cache);
    const second = await readCatalog(h.db, query(), cache);
    expect(second.version).toBe(first.version);
    expect(second.page).toBe(first.page); // the same object: no query ran
    expect(second.stock).toBe(first.stock);
    expect(cache.stats).toEqual({ hits: 2, misses: 2 }); // page and stock, once each
    const [row] = await h.db.select({ version: catalogVersion.version }).from(catalogVersion);
    expect(first.version).toBe(row!.version);
  });

  it("shows a price change made on another connection on the very next request", async () => {
    const account = await anAvailableAccount();
    const before = await listing(account.id);
    expect(before!.price.amount).toBe(account.priceMinor);
    await other.update(accounts).set({ priceMinor: account.priceMinor + 1_234n }).where(eq(accounts.id, account.id));
    expect((await listing(account.id))!.price.amount).toBe(account.priceMinor + 1_234n);
    await other.update(accounts).set({ priceMinor: account.priceMinor }).where(eq(accounts.id, account.id));
    expect((await listing(account.id))!.price.amount).toBe(account.priceMinor);
  });

  it("drops an account from the in-stock results and counts once its status changes", async () => {
    const account = await anAvailableAccount();
    const before = await readCatalog(h.db, query({ inStock: true }), cache);
    expect(before.page.items.map((l) => l.id)).toContain(account.id);
    await other.update(accounts).set({ status: "MAINTENANCE" }).where(eq(accounts.id, account.id));
    const after = await readCatalog(h.db, query({ inStock: true }), cache);
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.page.items.map((l) => l.id)).not.toContain(account.id);
    expect(after.stock.available).toBe(before.stock.available - 1);
    await other.update(accounts).set({ status: "AVAILABLE" }).where(eq(accounts.id, account.id));
    expect((await readCatalog(h.db, query({ inStock: true }), cache)).page.items.map((l) => l.id)).toContain(account.id);
  });

  it("reflects a quota change in the model filter and the listing's top models", async () => {
    const opus = "claude-4.0-opus-4-v1" as const;
    const before = (await readCatalog(h.db, query({ model: opus }), cache)).page.items;
    const target = before.find((l) => l.primaryModels.some((m) => m.model === opus))!;
    await other
      .update(accountModelQuotas)
      .set({ available: false })
      .where(sql`${accountModelQuotas.accountId} = ${target.id} and ${accountModelQuotas.model} = ${opus}`);
    const after = (await readCatalog(h.db, query({ model: opus }), cache)).page.items;
    expect(after.map((l) => l.id)).not.toContain(target.id);
    expect((await listing(target.id))!.primaryModels.map((m) => m.model)).not.toContain(opus);
  });

  it("shows a reservation made on another connection as Reserved, and the account back in stock when it ends", async () => {
    const account = await anAvailableAccount();
    const [invoice] = await h.db.select({ id: invoices.id }).from(invoices).limit(1);
    expect((await listing(account.id))!.stockAvailable).toBe(true);
    const [order] = await other
      .insert(accountOrders)
      .values({
        accountId: account.id,
        invoiceId: invoice!.id,
        priceMinor: account.priceMinor,
        priceCurrency: "USD",
        accessTokenHash: randomBytes(32).toString("hex"),
        reservedUntil: new Date(Date.now() + 30 * 60_000),
      })
      .returning({ id: accountOrders.id });
    expect(await listing(account.id)).toMatchObject({ status: "AVAILABLE", reserved: true, stockAvailable: false });
    expect(await readAccountDetail(h.db, account.id, cache)).toMatchObject({ reserved: true, stockAvailable: false });
    await other.update(accountOrders).set({ status: "expired", closedAt: new Date() }).where(eq(accountOrders.id, order!.id));
    expect(await listing(account.id)).toMatchObject({ reserved: false, stockAvailable: true });
    expect(await readAccountDetail(h.db, account.id, cache)).toMatchObject({ reserved: false, stockAvailable: true });
    await other.delete(accountOrders).where(eq(accountOrders.id, order!.id));
  });

  it("treats a missing catalog_version row as version 0", async () => {
    const [saved] = await h.db.select().from(catalogVersion);
    await h.db.delete(catalogVersion).where(eq(catalogVersion.id, 1));
    try {
      expect(await cache.version(h.db)).toBe(0);
      expect((await readCatalog(h.db, query(), cache)).version).toBe(0);
    } finally {
      await h.db.insert(catalogVersion).values(saved!);
    }
    expect(await cache.version(h.db)).toBe(saved!.version);
  });
});

describe("CatalogCache", () => {
  it("keys equivalent URLs alike and different filters apart", () => {
    const a = parseCatalogQuery({ level: "high", q: " opus " }).query;
    const b = parseCatalogQuery({ level: "HIGH", q: "opus" }).query;
    expect(catalogQueryKey(a)).toBe(catalogQueryKey(b));
    expect(catalogQueryKey(parseCatalogQuery({ min: "100" }).query)).not.toBe(catalogQueryKey(parseCatalogQuery({ min: "100.01" }).query));
  });

  it("keeps at most its bound, evicting the least recently used entry", async () => {
    const small = new CatalogCache(2);
    const loads: string[] = [];
    const read = (key: string) => small.read(key, 1, async () => (loads.push(key), key));
    await read("a");
    await read("b");
    await read("a"); // a is now the most recent
    await read("c"); // evicts b
    expect(small.size).toBe(2);
    await read("a");
    await read("b");
    expect(loads).toEqual(["a", "b", "c", "b"]);
    expect(() => new CatalogCache(0)).toThrow(/maxEntries/);
  });

  it("shares one load between concurrent misses, reloads for a new version, and forgets a failed load", async () => {
    const c = new CatalogCache();
    let loads = 0;
    const load = async () => ++loads;
    expect(await Promise.all([c.read("k", 1, load), c.read("k", 1, load), c.read("k", 1, load)])).toEqual([1, 1, 1]);
    expect(await c.read("k", 2, load)).toBe(2);
    await expect(c.read("bad", 2, () => Promise.reject(new Error("database down")))).rejects.toThrow("database down");
    expect(await c.read("bad", 2, load)).toBe(3);
  });
});
