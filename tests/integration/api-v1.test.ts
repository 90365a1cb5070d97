import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { apiKeys, auditEntries, exchangeRates, invoices, outboxEvents, systemConfiguration } from "@/db/schema";
import { deriveInvoiceAddress, isValidAddress } from "@/lib/chains/addresses";
import { DEFAULT_SYSTEM_CONFIG, invalidateSystemConfig } from "@/lib/system-config";
import { revokeApiKey } from "@/lib/merchants/api-keys";
import { api } from "../helpers/api-client";
import { createTestKey, createTestMerchant, MERCHANT_AUDIT, openApiTestDatabase, seedFreshRates, walletKeys } from "../helpers/merchant-fixtures";
import { pgErrorCode, targetName } from "../helpers/test-db";

const invoiceBody = (over: Record<string, unknown> = {}) => ({
  title: "Pro plan",
  currency: "USD",
  items: [{ description: "Pro plan, 1 month", quantity: 1, unit_price: "49.00" }],
  crypto_currency: "BTC",
  ...over,
});

async function countInvoices(h: DatabaseHandle, merchantId: string) {
  const [row] = await h.db.select({ n: count() }).from(invoices).where(eq(invoices.merchantId, merchantId));
  return Number(row!.n);
}

describe(`REST API /api/v1 (${targetName()})`, () => {
  let h: DatabaseHandle;
  let merchant: { merchantId: string; account: number };
  let testKey: string;
  let liveKey: string;
  let other: { merchantId: string; account: number };
  let otherKey: string;

  beforeAll(async () => {
    h = await openApiTestDatabase(10_000);
    merchant = await createTestMerchant(h.db, { plan: "pro", account: 0 });
    testKey = (await createTestKey(h.db, merchant.merchantId, "test")).key;
    liveKey = (await createTestKey(h.db, merchant.merchantId, "live")).key;
    other = await createTestMerchant(h.db, { plan: "pro", account: 1 });
    otherKey = (await createTestKey(h.db, other.merchantId, "test")).key;
  });
  afterAll(async () => h?.close());

  describe("creating invoices", () => {
    it("locks the rate, converts exactly (rounded up) and derives the address at the next index", async () => {
      const res = await api("POST", "/api/v1/invoices", { key: testKey, body: invoiceBody() });
      expect(res.status).toBe(201);
      const inv = res.json;
      // 49.00 USD at 97000 USD/BTC = 50515.46… sat, rounded up.
      expect(inv.crypto).toMatchObject({ currency: "BTC", network: "bitcoin", amount_minor: "50516", amount: "0.00050516" });
      expect(inv).toMatchObject({ status: "pending", livemode: false, subtotal: "49.00", tax: "0.00", total: "49.00", currency: "USD" });
      expect(inv.exchange_rate.rate).toBe("97000");
      expect(inv.payment_address).toBe(deriveInvoiceAddress("bitcoin", walletKeys(0).bitcoinTest, 0, { testnet: true }));
      expect(inv.payment_address).toMatch(/^tb1q/);
      expect(inv.payment_uri).toBe(`bitcoin:${inv.payment_address}?amount=0.00050516`);
      expect(inv.hosted_url).toBe(`http://localhost:3000/pay/${inv.id}`);
      expect(new Date(inv.expires_at).getTime() - new Date(inv.created_at).getTime()).toBe(30 * 60_000);
      expect(new Date(inv.exchange_rate.expires_at).getTime()).toBe(new Date(inv.expires_at).getTime());
      expect(inv.required_confirmations).toBe(1);

      const second = await api("POST", "/api/v1/invoices", { key: testKey, body: invoiceBody() });
      expect(second.json.payment_address).toBe(deriveInvoiceAddress("bitcoin", walletKeys(0).bitcoinTest, 1, { testnet: true }));

      const audit = await h.db.select().from(auditEntries).where(eq(auditEntries.invoiceId, inv.id));
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ event: "invoice.created", actorType: "api_key", merchantId: merchant.merchantId });
      expect(audit[0]!.requestId).toBe(res.headers.get("x-request-id"));
      const [event] = await h.db.select().from(outboxEvents).where(and(eq(outboxEvents.aggregateId, inv.id), eq(outboxEvents.eventType, "InvoiceCreated")));
      expect(event!.payload).toMatchObject({ invoiceId: inv.id, merchantId: merchant.merchantId, amount: { total: "4900", currency: "USD" } });
    });

    it("computes total = subtotal + tax over several items, USDT on Tron and on Ethereum, ETH with 18 decimals", async () => {
      const tron = await api("POST", "/api/v1/invoices", {
        key: testKey,
        body: invoiceBody({
          currency: "EUR",
          items: [
            { description: "Seat", quantity: 3, unit_price: "10.10" },
            { description: "Setup", unit_price: "0.05" },
          ],
          tax: "6.07",
          crypto_currency: "USDT",
          network: "tron",
        }),
      });
      expect(tron.status).toBe(201);
      expect(tron.json).toMatchObject({ subtotal: "30.35", tax: "6.07", total: "36.42" });
      // 36.42 EUR at 0.95 EUR/USDT = 38.336842… USDT, rounded up to 6 decimals.
      expect(tron.json.crypto.amount).toBe("38.336843");
      expect(isValidAddress("tron", tron.json.payment_address, { testnet: true })).toBe(true);
      expect(tron.json.payment_address).toMatch(/^T/);

      const erc20 = await api("POST", "/api/v1/invoices", { key: testKey, body: invoiceBody({ crypto_currency: "USDT", network: "ethereum" }) });
      expect(erc20.json.crypto.amount_minor).toBe("49000000");
      expect(erc20.json.payment_uri).toContain("/transfer?address=");

      const eth = await api("POST", "/api/v1/invoices", { key: testKey, body: invoiceBody({ crypto_currency: "ETH", currency: "EUR" }) });
      // 49.00 EUR at 3220.5 EUR/ETH = 0.015215028722248098… ETH, rounded up in wei.
      expect(eth.json.crypto.amount_minor).toBe("15215028722248099");
      expect(eth.json.payment_address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    });

    it("applies tolerance overrides within bounds and the expiry override, and refuses them outside", async () => {
      const ok = await api("POST", "/api/v1/invoices", {
        key: testKey,
        body: invoiceBody({ underpayment_threshold_percent: "1", overpayment_threshold_percent: "100", overpayment_action: "refund", expires_in_minutes: 60 }),
      });
      expect(ok.status).toBe(201);
      expect(ok.json.payment_tolerance).toEqual({ underpayment_threshold_percent: "1.00", overpayment_threshold_percent: "100.00", overpayment_action: "refund" });
      expect(new Date(ok.json.expires_at).getTime() - new Date(ok.json.created_at).getTime()).toBe(3600_000);
      for (const bad of [{ underpayment_threshold_percent: "1.01" }, { overpayment_threshold_percent: "100.5" }, { expires_in_minutes: 2 }, { overpayment_action: "keep" }]) {
        const res = await api("POST", "/api/v1/invoices", { key: testKey, body: invoiceBody(bad) });
        expect(res.status, JSON.stringify(bad)).toBe(400);
        expect(res.json.error.code).toBe("validation_failed");
      }
    });

    it("takes the required confirmations from the amount tier", async () => {
      const big = await api("POST", "/api/v1/invoices", { key: testKey, body: invoiceBody({ items: [{ description: "Big", unit_price: "20000.00" }] }) });
      expect(big.json.required_confirmations).toBe(6);
      const mid = await api("POST", "/api/v1/invoices", { key: testKey, body: invoiceBody({ items: [{ description: "Mid", unit_price: "5000.00" }] }) });
      expect(mid.json.required_confirmations).toBe(2);
    });

    it("never hands out an index twice under concurrent creation", async () => {
      const results = await Promise.all(
        Array.from({ length: 12 }, () => api("POST", "/api/v1/invoices", { key: otherKey, body: invoiceBody({ crypto_currency: "ETH" }) })),
      );
      expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
      const addresses = new Set(results.map((r) => r.json.payment_address));
      expect(addresses.size).toBe(12);
      const expected = new Set(Array.from({ length: 12 }, (_, i) => deriveInvoiceAddress("ethereum", walletKeys(1).ethereum, i, { testnet: true })));
      expect(addresses).toEqual(expected);
    });

    it("refuses changing anything but status and payments once created", async () => {
      const res = await api("POST", "/api/v1/invoices", { key: testKey, body: invoiceBody() });
      const attempt = h.db.update(invoices).set({ title: "Changed" }).where(eq(invoices.id, res.json.id));
      await expect(attempt).rejects.toSatisfy((e) => pgErrorCode(e) === "23001");
      await expect(h.db.update(invoices).set({ cryptoAmount: 1n }).where(eq(invoices.id, res.json.id))).rejects.toThrow();
      await h.db.update(invoices).set({ status: "cancelled" }).where(eq(invoices.id, res.json.id));
    });
  });

  describe("idempotency", () => {
    it("returns the first response for the same key and body, and 409 for another body", async () => {
      const before = await countInvoices(h, merchant.merchantId);
      const headers = { "idempotency-key": "order-1001" };
      const first = await api("POST", "/api/v1/invoices", { key: testKey, body: invoiceBody({ reference: "A-1001" }), headers });
      const again = await api("POST", "/api/v1/invoices", { key: testKey, body: invoiceBody({ reference: "A-1001" }), headers });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.text).toBe(first.text);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(await countInvoices(h, merchant.merchantId)).toBe(before + 1);

      const conflict = await api("POST", "/api/v1/invoices", { key: testKey, body: invoiceBody({ reference: "A-1002" }), headers });
      expect(conflict.status).toBe(409);
      expect(conflict.json.error.code).toBe("idempotency.key_reused");
      expect(await countInvoices(h, merchant.merchantId)).toBe(before + 1);

      // Keys are per merchant and mode: the same key elsewhere is a new request.
      const elsewhere = await api("POST", "/api/v1/invoices", { key: otherKey, body: invoiceBody({ reference: "A-1001" }), headers });
      expect(elsewhere.status).toBe(201);
      expect(elsewhere.json.id).not.toBe(first.json.id);
    });

    it("creates one invoice when two requests with one key race", async () => {
      const before = await countInvoices(h, merchant.merchantId);
      const headers = { "idempotency-key": "race-1" };
      const results = await Promise.all([0, 1, 2].map(() => api("POST", "/api/v1/invoices", { key: testKey, body: invoiceBody(), headers })));
      for (const r of results) {
        if (r.status === 409) {
          expect(r.json.error.code).toBe("idempotency.in_progress");
          expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
        } else {
          expect(r.status).toBe(201);
        }
      }
      const created = results.filter((r) => r.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((r) => r.json.id)).size).toBe(1);
      expect(await countInvoices(h, merchant.merchantId)).toBe(before + 1);
    });

    it("releases the key after a failed request so a corrected retry succeeds", async () => {
      const headers = { "idempotency-key": "retry-after-fix" };
      const bad = await api("POST", "/api/v1/invoices", { key: testKey, body: invoiceBody({ currency: "GBP" }), headers });
      expect(bad.status).toBe(400);
      const good = await api("POST", "/api/v1/invoices", { key: testKey, body: invoiceBody(), headers });
      expect(good.status).toBe(201);
    });
  });

  describe("reading invoices", () => {
    it("retrieves by id, only for the owning merchant and mode", async () => {
      const created = await api("POST", "/api/v1/invoices", { key: testKey, body: invoiceBody() });
      const got = await api("GET", `/api/v1/invoices/${created.json.id}`, { key: testKey });
      expect(got.status).toBe(200);
      expect(got.json).toEqual(created.json);
      for (const [key, label] of [[otherKey, "another merchant"], [liveKey, "live key on a test invoice"]] as const) {
        const res = await api("GET", `/api/v1/invoices/${created.json.id}`, { key });
        expect(res.status, label).toBe(404);
        expect(res.json.error.code).toBe("invoice.not_found");
      }
      expect((await api("GET", "/api/v1/invoices/not-a-uuid", { key: testKey })).status).toBe(404);
    });

    it("lists newest first with cursor pagination, status, date, customer and text filters", async () => {
      const fresh = await createTestMerchant(h.db, { account: 7 });
      const key = (await createTestKey(h.db, fresh.merchantId)).key;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await api("POST", "/api/v1/invoices", {
          key,
          body: invoiceBody({ title: i === 2 ? "Quarterly espresso subscription" : `Item ${i}`, customer_email: i < 2 ? "ann@example.com" : undefined }),
        });
        ids.push(res.json.id);
      }
      await api("POST", `/api/v1/invoices/${ids[4]}/cancel`, { key, body: {} });

      const page1 = await api("GET", "/api/v1/invoices?limit=2", { key });
      expect(page1.json.data.map((i: { id: string }) => i.id)).toEqual([ids[4], ids[3]]);
      expect(page1.json.has_more).toBe(true);
      const page2 = await api("GET", `/api/v1/invoices?limit=2&starting_after=${page1.json.next_cursor}`, { key });
      expect(page2.json.data.map((i: { id: string }) => i.id)).toEqual([ids[2], ids[1]]);
      const page3 = await api("GET", `/api/v1/invoices?limit=2&starting_after=${page2.json.next_cursor}`, { key });
      expect(page3.json.data.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
      expect(page3.json.has_more).toBe(false);
      expect(page3.json.next_cursor).toBeNull();

      const cancelled = await api("GET", "/api/v1/invoices?status=cancelled", { key });
      expect(cancelled.json.data.map((i: { id: string }) => i.id)).toEqual([ids[4]]);
      const open = await api("GET", "/api/v1/invoices?status=pending,partial", { key });
      expect(open.json.data).toHaveLength(4);

      const search = await api("GET", "/api/v1/invoices?q=espresso", { key });
      expect(search.json.data.map((i: { id: string }) => i.id)).toEqual([ids[2]]);

      const customerId = page3.json.data[0].customer_id;
      expect(customerId).toBeTruthy();
      const byCustomer = await api("GET", `/api/v1/invoices?customer_id=${customerId}`, { key });
      expect(byCustomer.json.data.map((i: { id: string }) => i.id)).toEqual([ids[1], ids[0]]);

      const future = await api("GET", "/api/v1/invoices?created_gte=2999-01-01", { key });
      expect(future.json.data).toEqual([]);
      const past = await api("GET", "/api/v1/invoices?created_lte=2000-01-01T00:00:00Z", { key });
      expect(past.json.data).toEqual([]);

      for (const bad of ["limit=0", "limit=101", "status=unpaid", "created_gte=yesterday", "customer_id=42", "starting_after=%%%", "foo=bar"]) {
        const res = await api("GET", `/api/v1/invoices?${bad}`, { key });
        expect(res.status, bad).toBe(400);
        expect(res.json.error.code).toBe("validation_failed");
      }
    });
  });

  describe("cancelling", () => {
    it("cancels an open invoice once, audits it, fires InvoiceCancelled, and answers 409 after", async () => {
      const created = await api("POST", "/api/v1/invoices", { key: testKey, body: invoiceBody() });
      const res = await api("POST", `/api/v1/invoices/${created.json.id}/cancel`, { key: testKey, body: { reason: "customer asked" } });
      expect(res.status).toBe(200);
      expect(res.json.status).toBe("cancelled");
      const again = await api("POST", `/api/v1/invoices/${created.json.id}/cancel`, { key: testKey, body: {} });
      expect(again.status).toBe(409);
      expect(again.json.error.code).toBe("invoice.illegal_transition");
      const audit = await h.db.select({ event: auditEntries.event }).from(auditEntries).where(eq(auditEntries.invoiceId, created.json.id));
      expect(audit.map((a) => a.event).sort()).toEqual(["invoice.cancelled", "invoice.created"]);
      const [event] = await h.db.select().from(outboxEvents).where(and(eq(outboxEvents.aggregateId, created.json.id), eq(outboxEvents.eventType, "InvoiceCancelled")));
      expect(event!.payload).toEqual({ invoiceId: created.json.id, reason: "customer asked" });
      expect((await api("POST", `/api/v1/invoices/${created.json.id}/cancel`, { key: otherKey, body: {} })).status).toBe(404);
    });
  });

  describe("customers", () => {
    it("creates, retrieves, lists, blocks; a blocked customer gets no invoice and nothing is written", async () => {
      const created = await api("POST", "/api/v1/customers", { key: testKey, body: { email: "Bob@Example.com", metadata: { tier: "gold" } } });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ object: "customer", email: "Bob@Example.com", status: "active", metadata: { tier: "gold" } });
      const dup = await api("POST", "/api/v1/customers", { key: testKey, body: { email: "bob@example.com" } });
      expect(dup.status).toBe(409);
      expect(dup.json.error).toMatchObject({ code: "customer.email_taken", details: { customerId: created.json.id } });

      expect((await api("GET", `/api/v1/customers/${created.json.id}`, { key: testKey })).json.email).toBe("Bob@Example.com");
      expect((await api("GET", `/api/v1/customers/${created.json.id}`, { key: otherKey })).status).toBe(404);
      const listed = await api("GET", "/api/v1/customers?email=bob@example.com", { key: testKey });
      expect(listed.json.data.map((c: { id: string }) => c.id)).toEqual([created.json.id]);

      const blocked = await api("POST", `/api/v1/customers/${created.json.id}/block`, { key: testKey });
      expect(blocked.json.status).toBe("blocked");
      const before = await countInvoices(h, merchant.merchantId);
      for (const ref of [{ customer_id: created.json.id }, { customer_email: "BOB@example.com" }]) {
        const res = await api("POST", "/api/v1/invoices", { key: testKey, body: invoiceBody(ref) });
        expect(res.status).toBe(422);
        expect(res.json.error.code).toBe("customer.blocked");
      }
      expect(await countInvoices(h, merchant.merchantId)).toBe(before);
      const unknown = await api("POST", "/api/v1/invoices", { key: testKey, body: invoiceBody({ customer_id: "00000000-0000-4000-8000-000000000000" }) });
      expect(unknown.status).toBe(404);

      await api("POST", `/api/v1/customers/${created.json.id}/unblock`, { key: testKey });
      expect((await api("POST", "/api/v1/invoices", { key: testKey, body: invoiceBody({ customer_id: created.json.id }) })).status).toBe(201);
      const blockedList = await api("GET", "/api/v1/customers?status=blocked", { key: testKey });
      expect(blockedList.json.data).toEqual([]);
    });
  });

  describe("authentication, permissions and limits", () => {
    it("answers 401 for missing, malformed, unknown, revoked and expired keys", async () => {
      const cases: [string | null, string, Record<string, string>?][] = [
        [null, "auth.missing_key"],
        ["sk_test_short", "auth.invalid_key"],
        [`sk_test_${"A".repeat(43)}`, "auth.invalid_key"],
      ];
      for (const [key, code] of cases) {
        const res = await api("GET", "/api/v1/invoices", { key });
        expect(res.status).toBe(401);
        expect(res.json.error.code).toBe(code);
      }
      const basic = await api("GET", "/api/v1/invoices", { headers: { authorization: "Basic abc" } });
      expect(basic.json.error.code).toBe("auth.malformed_header");

      const { key, apiKey } = await createTestKey(h.db, merchant.merchantId);
      await revokeApiKey(h.db, merchant.merchantId, apiKey.id, MERCHANT_AUDIT);
      expect((await api("GET", "/api/v1/invoices", { key })).json.error.code).toBe("auth.key_revoked");

      const expiring = await createTestKey(h.db, merchant.merchantId);
      await h.db.update(apiKeys).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiKeys.id, expiring.apiKey.id));
      expect((await api("GET", "/api/v1/invoices", { key: expiring.key })).json.error.code).toBe("auth.key_expired");
    });

    it("records lastUsedAt", async () => {
      const { key, apiKey } = await createTestKey(h.db, merchant.merchantId);
      await api("GET", "/api/v1/invoices", { key });
      const [row] = await h.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
      expect(row!.lastUsedAt).toBeInstanceOf(Date);
    });

    it("answers 403 for a missing permission and for a live key of an unverified merchant", async () => {
      const readOnly = await createTestKey(h.db, merchant.merchantId, "test", ["invoices:read"]);
      const res = await api("POST", "/api/v1/invoices", { key: readOnly.key, body: invoiceBody() });
      expect(res.status).toBe(403);
      expect(res.json.error).toMatchObject({ code: "auth.missing_permission", details: { required: "invoices:write" } });

      const pending = await createTestMerchant(h.db, { status: "pending_verification", account: 8 });
      const live = await createTestKey(h.db, pending.merchantId, "live");
      const test = await createTestKey(h.db, pending.merchantId, "test");
      const refused = await api("GET", "/api/v1/invoices", { key: live.key });
      expect(refused.status).toBe(403);
      expect(refused.json.error.code).toBe("merchant.inactive");
      expect((await api("GET", "/api/v1/invoices", { key: test.key })).status).toBe(200);

      const suspended = await createTestMerchant(h.db, { status: "active", account: 9 });
      const sKey = await createTestKey(h.db, suspended.merchantId, "test");
      await h.db.execute(sql`update merchants set status = 'suspended' where id = ${suspended.merchantId}`);
      expect((await api("GET", "/api/v1/invoices", { key: sKey.key })).status).toBe(403);
    });

    it("live keys create mainnet invoices; test keys only test-network ones", async () => {
      const live = await api("POST", "/api/v1/invoices", { key: liveKey, body: invoiceBody() });
      expect(live.status).toBe(201);
      expect(live.json.livemode).toBe(true);
      expect(live.json.payment_address).toMatch(/^bc1q/);
      expect(isValidAddress("bitcoin", live.json.payment_address, { testnet: false })).toBe(true);
      const test = await api("POST", "/api/v1/invoices", { key: testKey, body: invoiceBody() });
      expect(isValidAddress("bitcoin", test.json.payment_address, { testnet: true })).toBe(true);
      expect(isValidAddress("bitcoin", test.json.payment_address, { testnet: false })).toBe(false);
    });

    it("rate-limits per key with 429 and Retry-After", async () => {
      await h.db.update(systemConfiguration).set({ securitySettings: { ...DEFAULT_SYSTEM_CONFIG.securitySettings, apiRateLimitPerMinute: 3 } }).where(sql`true`);
      invalidateSystemConfig(h.db);
      try {
        const limited = await createTestMerchant(h.db, { plan: "free", account: 10 });
        const { key } = await createTestKey(h.db, limited.merchantId);
        const statuses: number[] = [];
        let last;
        for (let i = 0; i < 4; i++) {
          last = await api("GET", "/api/v1/invoices", { key });
          statuses.push(last.status);
        }
        // A minute boundary can fall inside the loop; at least one request must still be refused.
        expect(statuses.slice(0, 3), JSON.stringify(last!.json)).toEqual([200, 200, 200]);
        expect(last!.status).toBe(429);
        expect(last!.json.error.code).toBe("rate_limited");
        expect(Number(last!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
        expect(last!.headers.get("x-ratelimit-limit")).toBe("3");
        // Another key has its own budget.
        const fresh = await createTestKey(h.db, limited.merchantId);
        expect((await api("GET", "/api/v1/invoices", { key: fresh.key })).status).toBe(200);
      } finally {
        await h.db.update(systemConfiguration).set({ securitySettings: { ...DEFAULT_SYSTEM_CONFIG.securitySettings, apiRateLimitPerMinute: 10_000 } }).where(sql`true`);
        invalidateSystemConfig(h.db);
      }
    });
  });

  describe("bad input writes nothing", () => {
    it.each([
      ["malformed JSON", { rawBody: "{\"title\": " }, 400, "request.malformed_json"],
      ["not an object", { rawBody: "[1,2]" }, 400, "validation_failed"],
      ["unknown fiat", { body: invoiceBody({ currency: "GBP" }) }, 400, "validation_failed"],
      ["unknown crypto", { body: invoiceBody({ crypto_currency: "DOGE" }) }, 400, "validation_failed"],
      ["zero price", { body: invoiceBody({ items: [{ description: "x", unit_price: "0.00" }] }) }, 400, "validation_failed"],
      ["negative price", { body: invoiceBody({ items: [{ description: "x", unit_price: "-5.00" }] }) }, 400, "validation_failed"],
      ["too precise", { body: invoiceBody({ items: [{ description: "x", unit_price: "1.001" }] }) }, 400, "validation_failed"],
      ["number instead of string", { body: invoiceBody({ items: [{ description: "x", unit_price: 49 }] }) }, 400, "validation_failed"],
      ["no items", { body: invoiceBody({ items: [] }) }, 400, "validation_failed"],
      ["oversize title", { body: invoiceBody({ title: "x".repeat(256) }) }, 400, "validation_failed"],
      ["USDT without network", { body: invoiceBody({ crypto_currency: "USDT" }) }, 400, "validation_failed"],
      ["BTC on tron", { body: invoiceBody({ network: "tron" }) }, 400, "validation_failed"],
      ["unknown field", { body: invoiceBody({ amount: "5" }) }, 400, "validation_failed"],
      ["fractional quantity", { body: invoiceBody({ items: [{ description: "x", quantity: 1.5, unit_price: "1.00" }] }) }, 400, "validation_failed"],
      ["javascript redirect", { body: invoiceBody({ redirect_url: "javascript:alert(1)" }) }, 400, "validation_failed"],
      ["nested 5,000 levels deep", { rawBody: "[".repeat(5000) + "]".repeat(5000) }, 400, "validation_failed"],
      ["oversize body", { rawBody: JSON.stringify(invoiceBody({ description: "x".repeat(70_000) })) }, 413, "request.too_large"],
    ])("%s", async (_label, call, status, code) => {
      const before = await countInvoices(h, merchant.merchantId);
      const res = await api("POST", "/api/v1/invoices", { key: testKey, ...call });
      expect(res.status).toBe(status);
      expect(res.json.error.code).toBe(code);
      expect(typeof res.json.error.message).toBe("string");
      expect(res.json.error.details).toBeTypeOf("object");
      expect(await countInvoices(h, merchant.merchantId)).toBe(before);
    });

    it("names the offending field", async () => {
      const res = await api("POST", "/api/v1/invoices", { key: testKey, body: invoiceBody({ items: [{ description: "x", unit_price: "1.001" }] }) });
      expect(res.json.error.details.issues[0].path).toBe("items.0.unit_price");
    });

    it("answers 422 when no wallet is configured for the network", async () => {
      const bare = await createTestMerchant(h.db, { wallets: false, account: 11 });
      const { key } = await createTestKey(h.db, bare.merchantId);
      const res = await api("POST", "/api/v1/invoices", { key, body: invoiceBody() });
      expect(res.status).toBe(422);
      expect(res.json.error).toMatchObject({ code: "wallet.not_configured", details: { network: "bitcoin", mode: "test" } });
      expect(await countInvoices(h, bare.merchantId)).toBe(0);
    });
  });

  describe("exchange rates unavailable", () => {
    beforeEach(() => invalidateSystemConfig(h.db));

    it("answers 503 and creates nothing when no valid rate exists", async () => {
      // Expired an hour ago (not "a second after it was locked", which is still valid when the test runs within that second).
      await h.db
        .update(exchangeRates)
        .set({ lockedAt: sql`now() - interval '2 hours'`, expiresAt: sql`now() - interval '1 hour'` })
        .where(eq(exchangeRates.toCurrency, "ETH"));
      const before = await countInvoices(h, merchant.merchantId);
      const res = await api("POST", "/api/v1/invoices", { key: testKey, body: invoiceBody({ crypto_currency: "ETH" }) });
      expect(res.status).toBe(503);
      expect(res.json.error.code).toBe("rates.unavailable");
      expect(await countInvoices(h, merchant.merchantId)).toBe(before);
      await seedFreshRates(h.db);
    });
  });

  describe("public checkout status", () => {
    it("returns the public view and nothing private", async () => {
      const created = await api("POST", "/api/v1/invoices", {
        key: testKey,
        body: invoiceBody({ customer_email: "private@example.com", metadata: { secret_note: "vip" }, redirect_url: "https://shop.example.com/thanks" }),
      });
      const res = await api("GET", `/api/pay/${created.json.id}/status`);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        id: created.json.id,
        status: "pending",
        address: created.json.payment_address,
        testnet: true,
        redirectUrl: "https://shop.example.com/thanks",
        crypto: { asset: "BTC", amount: "0.00050516", remaining: "0.00050516", received: "0" },
        fiat: { currency: "USD", total: "49.00" },
      });
      expect(res.text).not.toContain("private@example.com");
      expect(res.text).not.toContain("vip");
      expect(res.text).not.toContain(merchant.merchantId);
      expect((await api("GET", "/api/pay/00000000-0000-4000-8000-000000000000/status")).status).toBe(404);
      expect((await api("GET", "/api/pay/nope/status")).status).toBe(404);
    });
  });
});
