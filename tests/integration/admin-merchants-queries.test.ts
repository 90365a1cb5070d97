import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { invoices, merchants, webhookEndpoints } from "@/db/schema";
import { changeMerchantStatus } from "@/lib/merchants/admin-commands";
import { ADMIN_MERCHANTS_PAGE_SIZE, findAdminMerchant, latestSuspensionReason, listAdminMerchants, merchantListHref, parseAdminMerchantFilters } from "@/lib/merchants/admin-queries";
import { createTestAdmin } from "../helpers/admin-fixtures";
import { api } from "../helpers/api-client";
import { createTestKey, createTestMerchant, openApiTestDatabase } from "../helpers/merchant-fixtures";
import { targetName } from "../helpers/test-db";

const EXTRA = ADMIN_MERCHANTS_PAGE_SIZE + 2;

describe(`admin merchant list and detail (${targetName()})`, () => {
  let h: DatabaseHandle;
  let roastery: string;
  let bakery: string;
  let secretKey: string;

  beforeAll(async () => {
    h = await openApiTestDatabase(10_000);
    const adminId = await createTestAdmin(h.db);
    roastery = (await createTestMerchant(h.db, { plan: "pro", account: 51 })).merchantId;
    bakery = (await createTestMerchant(h.db, { plan: "free", account: 52, wallets: false })).merchantId;
    await h.db.update(merchants).set({ businessName: "Northern Roastery", contactEmail: "beans@roastery.example" }).where(eq(merchants.id, roastery));
    await h.db.update(merchants).set({ businessName: "Corner Bakery", contactEmail: "bread@bakery.example" }).where(eq(merchants.id, bakery));
    await changeMerchantStatus(h.db, bakery, "suspend", { adminId }, { reason: "Identity documents expired" });
    // More than a page of them, so the list pages.
    for (let i = 0; i < EXTRA; i++) await createTestMerchant(h.db, { plan: "enterprise", account: 100 + i, wallets: false });

    secretKey = (await createTestKey(h.db, roastery, "test")).key;
    const liveKey = (await createTestKey(h.db, roastery, "live")).key;
    const ids: string[] = [];
    for (const [key, price] of [[liveKey, "10.00"], [liveKey, "25.50"], [secretKey, "4.25"]] as const) {
      const res = await api("POST", "/api/v1/invoices", {
        key,
        body: { title: `Beans ${price}`, currency: "USD", items: [{ description: "Beans", unit_price: price }], crypto_currency: "BTC" },
      });
      expect(res.status).toBe(201);
      ids.push(res.json.id);
    }
    // All three paid; the volume counts only the two live ones.
    await h.db.update(invoices).set({ status: "paid", paidAt: new Date() }).where(inArray(invoices.id, ids));
    await h.db.insert(webhookEndpoints).values([
      { merchantId: roastery, url: "https://roastery.example/hook", secretCiphertext: "x", secretLast4: "abcd" },
      { merchantId: roastery, url: "https://roastery.example/old", secretCiphertext: "x", secretLast4: "efgh", status: "disabled" },
    ]);
  });
  afterAll(async () => {
    await h.close();
  });

  it("parses filters from the URL, ignoring values it does not know", () => {
    expect(parseAdminMerchantFilters({ q: "  bakery ", status: "suspended", plan: "free", page: "2" })).toEqual({ q: "bakery", status: "suspended", plan: "free", page: 2 });
    expect(parseAdminMerchantFilters({ status: "deleted", plan: "gold", page: "-1" })).toEqual({ q: undefined, status: undefined, plan: undefined, page: 1 });
    expect(parseAdminMerchantFilters({ page: "1e9" }).page).toBe(1);
    expect(merchantListHref({ q: "a b", status: "active", page: 3 })).toBe("/admin/merchants?q=a+b&status=active&page=3");
    expect(merchantListHref({ page: 1 })).toBe("/admin/merchants");
  });

  it("searches by name or email, case-insensitively, and treats % and _ literally", async () => {
    const byName = await listAdminMerchants(h.db, { q: "roastERY", page: 1 });
    expect(byName.rows.map((r) => r.id)).toEqual([roastery]);
    const byEmail = await listAdminMerchants(h.db, { q: "bread@bakery", page: 1 });
    expect(byEmail.rows.map((r) => r.id)).toEqual([bakery]);
    expect((await listAdminMerchants(h.db, { q: roastery.toUpperCase(), page: 1 })).rows.map((r) => r.id)).toEqual([roastery]);
    expect((await listAdminMerchants(h.db, { q: "%", page: 1 })).total).toBe(0);
    expect((await listAdminMerchants(h.db, { q: "_", page: 1 })).total).toBe(0);
  });

  it("filters by status and plan and pages through the rest", async () => {
    expect((await listAdminMerchants(h.db, { status: "suspended", page: 1 })).rows.map((r) => r.id)).toEqual([bakery]);
    expect((await listAdminMerchants(h.db, { plan: "pro", page: 1 })).rows.map((r) => r.id)).toEqual([roastery]);
    expect((await listAdminMerchants(h.db, { plan: "free", status: "active", page: 1 })).total).toBe(0);
    const first = await listAdminMerchants(h.db, { plan: "enterprise", page: 1 });
    const second = await listAdminMerchants(h.db, { plan: "enterprise", page: 2 });
    expect(first.total).toBe(EXTRA);
    expect(first.rows).toHaveLength(ADMIN_MERCHANTS_PAGE_SIZE);
    expect(second.rows).toHaveLength(EXTRA - ADMIN_MERCHANTS_PAGE_SIZE);
    expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(EXTRA);
  });

  it("counts invoices and sums live paid volume exactly, in minor units", async () => {
    const { rows } = await listAdminMerchants(h.db, { q: "Northern", page: 1 });
    expect(rows[0]).toMatchObject({ invoiceCount: 3, paidVolume: [{ currency: "USD", totalMinor: 3550n }] });
    const bakeryRow = (await listAdminMerchants(h.db, { q: "Corner", page: 1 })).rows[0];
    expect(bakeryRow).toMatchObject({ invoiceCount: 0, paidVolume: [], status: "suspended", planType: "free" });
  });

  it("shows one merchant with keys by prefix only, endpoint counts, recent invoices and the admin history", async () => {
    const detail = (await findAdminMerchant(h.db, roastery))!;
    expect(detail).toMatchObject({ businessName: "Northern Roastery", status: "active", planType: "pro", invoiceCount: 3 });
    expect(detail.webhookEndpoints).toEqual({ active: 1, disabled: 1, failed: 0 });
    expect(detail.recentInvoices).toHaveLength(3);
    expect(detail.paidVolume).toEqual([{ currency: "USD", totalMinor: 3550n }]);
    expect(detail.apiKeys).toHaveLength(2);
    expect(detail.apiKeys.map((k) => k.keyPrefix)).toContain(secretKey.slice(0, 14));
    // Neither the key, its hash nor the merchant's password hash is in the read model.
    const json = JSON.stringify(detail, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    expect(json).not.toContain(secretKey);
    expect(json).not.toMatch(/[0-9a-f]{64}/);
    expect(json).not.toContain("argon2");

    const suspended = (await findAdminMerchant(h.db, bakery))!;
    expect(suspended.history.map((e) => e.event)).toEqual(["merchant.suspended", "merchant.created"]);
    expect(suspended.history[0]).toMatchObject({ actorType: "admin", adminUsername: "ops", data: { reason: "Identity documents expired" } });
    expect(await findAdminMerchant(h.db, "00000000-0000-4000-8000-000000000000")).toBeNull();
    expect(await latestSuspensionReason(h.db, bakery)).toBe("Identity documents expired");
    expect(await latestSuspensionReason(h.db, roastery)).toBeNull();
  });
});
