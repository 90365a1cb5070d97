import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { catalogStock, DEFAULT_CATALOG_QUERY, findAccountDetail, parseCatalogQuery, searchAccountListings, type CatalogQuery } from "@/db/queries/catalog";
import { accountOrders, invoices } from "@/db/schema";
import { ensureSeeded } from "@/db/seed";
import { testKek } from "../helpers/keys";
import { createTestDatabase, targetName } from "../helpers/test-db";

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDatabase();
  await ensureSeeded(h.db, { adminUsername: "admin", demoData: true, storeName: "Test Store", kek: testKek() });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const search = (over: Partial<CatalogQuery>) => searchAccountListings(h.db, { ...DEFAULT_CATALOG_QUERY, ...over });

describe(`catalog search on the demo accounts (${targetName()})`, () => {
  it("pages the whole catalog with its total, in stock first", async () => {
    const first = await search({ pageSize: 5 });
    expect(first).toMatchObject({ total: 12, page: 1, pageSize: 5, pages: 3 });
    expect(first.items).toHaveLength(5);
    const third = await search({ pageSize: 5, page: 3 });
    expect(third.items).toHaveLength(2);
    const beyond = await search({ pageSize: 5, page: 9 });
    expect(beyond).toMatchObject({ items: [], total: 12, pages: 3 });
    const all = [...first.items, ...(await search({ pageSize: 5, page: 2 })).items, ...third.items];
    expect(new Set(all.map((l) => l.id)).size).toBe(12);
  });

  it("filters by stock, quota level, price range and model, each against the data", async () => {
    const everything = (await search({ pageSize: 100 })).items;
    const inStock = await search({ inStock: true, pageSize: 100 });
    expect(inStock.items.map((l) => l.id).sort()).toEqual(everything.filter((l) => l.stockAvailable).map((l) => l.id).sort());
    const high = await search({ level: "HIGH", pageSize: 100 });
    expect(high.items.length).toBeGreaterThan(0);
    expect(high.items.every((l) => l.quotaLevel === "HIGH")).toBe(true);
    expect(high.total).toBe(everything.filter((l) => l.quotaLevel === "HIGH").length);
    const band = await search({ minPriceMinor: 20_000n, maxPriceMinor: 60_000n, pageSize: 100 });
    expect(band.items.every((l) => l.price.amount >= 20_000n && l.price.amount <= 60_000n)).toBe(true);
    expect(band.total).toBe(everything.filter((l) => l.price.amount >= 20_000n && l.price.amount <= 60_000n).length);
    const opus = await search({ model: "claude-4.0-opus-4-v1", pageSize: 100 });
    expect(opus.total).toBeGreaterThan(0);
    expect(opus.total).toBeLessThan(12);
  });

  it("sorts by price both ways and by quota level", async () => {
    const up = (await search({ sort: "price_asc", pageSize: 100 })).items.map((l) => l.price.amount);
    expect(up).toEqual([...up].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const down = (await search({ sort: "price_desc", pageSize: 100 })).items.map((l) => l.price.amount);
    expect(down).toEqual([...up].reverse());
    const levels = (await search({ sort: "quota", pageSize: 100 })).items.map((l) => l.quotaLevel);
    const rank = { HIGH: 0, MEDIUM: 1, LOW: 2 } as const;
    expect(levels.map((l) => rank[l])).toEqual([...levels.map((l) => rank[l])].sort());
  });

  it("finds accounts by text, words in any order or part of the display name, and treats wildcards literally", async () => {
    const opus = await search({ q: "opus", pageSize: 100 });
    expect(opus.total).toBeGreaterThan(0);
    expect(opus.items.every((l) => /opus/i.test(l.displayName) || /opus/i.test(l.name))).toBe(true);
    expect((await search({ q: "%", pageSize: 100 })).total).toBe(0);
    expect((await search({ q: "no such account anywhere", pageSize: 100 })).total).toBe(0);
  });
});

describe("catalog URL parameters", () => {
  it("reads every filter and names each bad one", () => {
    const ok = parseCatalogQuery({ q: " opus ", model: "claude-4.0-opus-4-v1", level: "high", min: "100", max: "899.50", stock: "1", sort: "price_asc", page: "2" });
    expect(ok.errors).toEqual({});
    expect(ok.query).toMatchObject({ q: "opus", model: "claude-4.0-opus-4-v1", level: "HIGH", minPriceMinor: 10_000n, maxPriceMinor: 89_950n, inStock: true, sort: "price_asc", page: 2 });
    const bad = parseCatalogQuery({ model: "gpt-4", level: "huge", min: "-5", max: "1.234", sort: "random", page: "0", q: "x".repeat(101) });
    expect(Object.keys(bad.errors).sort()).toEqual(["level", "max", "min", "model", "page", "q", "sort"]);
    expect(bad.query).toEqual(DEFAULT_CATALOG_QUERY);
    const crossed = parseCatalogQuery({ min: "500", max: "100" });
    expect(crossed.errors).toEqual({ max: "The highest price is below the lowest" });
    expect(crossed.query).toMatchObject({ minPriceMinor: 50_000n, maxPriceMinor: null });
  });
});

describe("account detail", () => {
  it("shows every model's quota, price, features and instructions, and nothing secret", async () => {
    const [listing] = (await search({ q: "Opus 4 Enterprise", pageSize: 1 })).items;
    const detail = (await findAccountDetail(h.db, listing!.id))!;
    expect(detail).toMatchObject({ id: listing!.id, displayName: listing!.displayName, price: listing!.price });
    expect(detail.modelQuotas.length).toBeGreaterThanOrEqual(listing!.primaryModels.length);
    for (const q of detail.modelQuotas) expect(q.tpd).toBeGreaterThanOrEqual(0);
    expect(Object.keys(detail).sort()).toEqual(
      ["displayName", "features", "id", "instructions", "limitations", "modelQuotas", "name", "price", "quotaLevel", "quotaUpdatedAt", "regions", "reserved", "status", "stockAvailable"],
    );
    expect(await findAccountDetail(h.db, "00000000-0000-4000-8000-000000000000")).toBeNull();
    expect(await findAccountDetail(h.db, "not-a-uuid")).toBeNull();
  });
});

describe(`reserved accounts (${targetName()})`, () => {
  it("are not in stock: flagged Reserved, left out of the in-stock filter and count, listed after what is for sale", async () => {
    const before = await search({ pageSize: 100 });
    const stockBefore = await catalogStock(h.db);
    const held = before.items.find((l) => l.stockAvailable)!;
    const [invoice] = await h.db.select({ id: invoices.id }).from(invoices).limit(1);
    const [order] = await h.db
      .insert(accountOrders)
      .values({
        accountId: held.id,
        invoiceId: invoice!.id,
        priceMinor: held.price.amount,
        priceCurrency: "USD",
        accessTokenHash: randomBytes(32).toString("hex"),
        reservedUntil: new Date(Date.now() + 30 * 60_000),
      })
      .returning({ id: accountOrders.id });
    try {
      const all = (await search({ pageSize: 100 })).items;
      expect(all.find((l) => l.id === held.id)).toMatchObject({ status: "AVAILABLE", reserved: true, stockAvailable: false });
      expect(all.filter((l) => l.reserved).map((l) => l.id)).toEqual([held.id]);
      const firstUnavailable = all.findIndex((l) => !l.stockAvailable);
      expect(all.slice(firstUnavailable).every((l) => !l.stockAvailable)).toBe(true);
      const inStock = await search({ inStock: true, pageSize: 100 });
      expect(inStock.items.map((l) => l.id)).not.toContain(held.id);
      expect(inStock.total).toBe(before.items.filter((l) => l.stockAvailable).length - 1);
      expect(await catalogStock(h.db)).toEqual({ total: stockBefore.total, available: stockBefore.available - 1 });
      expect(await findAccountDetail(h.db, held.id)).toMatchObject({ status: "AVAILABLE", reserved: true, stockAvailable: false });

      // Only a live reservation holds the account: once the order is paid or expired it no longer does.
      await h.db.update(accountOrders).set({ status: "expired", closedAt: new Date() }).where(eq(accountOrders.id, order!.id));
      expect((await search({ inStock: true, pageSize: 100 })).items.map((l) => l.id)).toContain(held.id);
      expect(await findAccountDetail(h.db, held.id)).toMatchObject({ reserved: false, stockAvailable: true });
    } finally {
      await h.db.delete(accountOrders).where(eq(accountOrders.id, order!.id));
    }
  });
});
