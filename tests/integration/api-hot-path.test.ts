import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { apiKeys, apiRateLimits, auditEntries, exchangeRates, idempotencyKeys, invoiceItems, invoices, merchantWallets, outboxEvents } from "@/db/schema";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  IDEMPOTENCY_LOCK_SECONDS,
  IDEMPOTENCY_RETENTION_HOURS,
} from "@/lib/api/idempotency";
import { consumeRateLimit } from "@/lib/api/rate-limit";
import { deriveInvoiceAddress } from "@/lib/chains/addresses";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { authenticateApiKey } from "@/lib/merchants/api-keys";
import { api } from "../helpers/api-client";
import { createTestKey, createTestMerchant, openApiTestDatabase, walletKeys } from "../helpers/merchant-fixtures";
import { targetName } from "../helpers/test-db";

/**
 * The request paths tuned for throughput (docs/benchmarks.md, API): authentication and rate limit
 * in one statement, and invoice creation taking its derivation index in the statement that writes
 * the invoice, with the locking path as fallback.
 */
describe(`API hot path (${targetName()})`, () => {
  let h: DatabaseHandle;
  let merchant: { merchantId: string; account: number };

  beforeAll(async () => {
    h = await openApiTestDatabase(10_000);
    merchant = await createTestMerchant(h.db, { plan: "pro", account: 0 });
  });
  afterAll(async () => h?.close());

  const rateLimitCount = async (apiKeyId: string) => {
    const rows = await h.db.select({ count: apiRateLimits.count }).from(apiRateLimits).where(eq(apiRateLimits.bucket, `key:${apiKeyId}`));
    return rows.reduce((sum, r) => sum + r.count, 0);
  };

  describe("authentication and rate limit", () => {
    it("counts requests of usable keys only, and authenticateApiKey alone counts nothing", async () => {
      const { key, apiKey } = await createTestKey(h.db, merchant.merchantId);
      expect((await api("GET", "/api/v1/invoices", { key })).status).toBe(200);
      expect((await api("GET", "/api/v1/invoices", { key })).status).toBe(200);
      expect(await rateLimitCount(apiKey.id)).toBe(2);
      await authenticateApiKey(h.db, key);
      expect(await rateLimitCount(apiKey.id)).toBe(2);

      const suspended = await createTestMerchant(h.db, { account: 5 });
      const sKey = await createTestKey(h.db, suspended.merchantId);
      await h.db.execute(sql`update merchants set status = 'suspended' where id = ${suspended.merchantId}`);
      expect((await api("GET", "/api/v1/invoices", { key: sKey.key })).status).toBe(403);
      expect(await rateLimitCount(sKey.apiKey.id)).toBe(0);
    });

    it("applies a merchant status change and a direct expiry to the very next request", async () => {
      const { key, apiKey } = await createTestKey(h.db, merchant.merchantId);
      expect((await api("GET", "/api/v1/invoices", { key })).status).toBe(200);
      await h.db.update(apiKeys).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiKeys.id, apiKey.id));
      expect((await api("GET", "/api/v1/invoices", { key })).json.error.code).toBe("auth.key_expired");
    });

    it("consumeRateLimit (payment links) still counts per bucket and window on its own", async () => {
      const now = new Date("2030-01-01T00:00:30Z");
      const first = await consumeRateLimit(h.db, "link:test:203.0.113.1", 2, now);
      const second = await consumeRateLimit(h.db, "link:test:203.0.113.1", 2, now);
      const third = await consumeRateLimit(h.db, "link:test:203.0.113.1", 2, now);
      expect([first, second, third].map((d) => [d.allowed, d.remaining])).toEqual([[true, 1], [true, 0], [false, 0]]);
      expect(third.resetSeconds).toBe(30);
      expect((await consumeRateLimit(h.db, "link:test:203.0.113.1", 2, new Date("2030-01-01T00:01:00Z"))).remaining).toBe(1);
    });

    it("stamps lastUsedAt at most once a minute", async () => {
      const { key, apiKey } = await createTestKey(h.db, merchant.merchantId);
      const t0 = new Date(Date.now() - 5 * 60_000);
      await authenticateApiKey(h.db, key, t0);
      await authenticateApiKey(h.db, key, new Date(t0.getTime() + 30_000));
      const [first] = await h.db.select({ at: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, apiKey.id));
      expect(first!.at).toEqual(t0);
      const t1 = new Date(t0.getTime() + 61_000);
      await authenticateApiKey(h.db, key, t1);
      const [second] = await h.db.select({ at: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, apiKey.id));
      expect(second!.at).toEqual(t1);
    });
  });

  describe("Idempotency-Key claim", () => {
    it("replaces a record past retention, takes over an abandoned claim, and refuses a live one", async () => {
      const scope = { merchantId: merchant.merchantId, mode: "test" as const, key: "retention-test" };
      const t0 = new Date("2030-01-01T00:00:00Z");
      expect(await claimIdempotencyKey(h.db, scope, "hash-a", t0)).toEqual({ kind: "claimed" });
      await completeIdempotencyKey(h.db, scope, 201, '{"id":"a"}');
      // Within retention: the same body replays, another body is refused.
      const later = new Date(t0.getTime() + 3600_000);
      expect(await claimIdempotencyKey(h.db, scope, "hash-a", later)).toEqual({ kind: "replay", status: 201, body: '{"id":"a"}' });
      await expect(claimIdempotencyKey(h.db, scope, "hash-b", later)).rejects.toMatchObject({ code: "idempotency.key_reused" });
      // Past retention the record no longer counts: a new request claims the key afresh.
      const expired = new Date(t0.getTime() + (IDEMPOTENCY_RETENTION_HOURS + 1) * 3600_000);
      expect(await claimIdempotencyKey(h.db, scope, "hash-b", expired)).toEqual({ kind: "claimed" });
      const [row] = await h.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, scope.key));
      expect(row).toMatchObject({ requestHash: "hash-b", state: "in_progress", responseStatus: null, responseBody: null, createdAt: expired });
      // Still in progress and locked: 409; once the lock has expired, the claim is taken over.
      await expect(claimIdempotencyKey(h.db, scope, "hash-b", new Date(expired.getTime() + 1000))).rejects.toMatchObject({
        code: "idempotency.in_progress",
      });
      const afterLock = new Date(expired.getTime() + (IDEMPOTENCY_LOCK_SECONDS + 1) * 1000);
      expect(await claimIdempotencyKey(h.db, scope, "hash-b", afterLock)).toEqual({ kind: "claimed" });
    });
  });

  describe("invoice creation", () => {
    it("writes the audit entry and the event with their full contents", async () => {
      const { key, apiKey } = await createTestKey(h.db, merchant.merchantId);
      const res = await api("POST", "/api/v1/invoices", {
        key,
        headers: { "user-agent": "hot-path-test", "x-request-id": "req_hot_path" },
        body: { title: "Audit", currency: "EUR", items: [{ description: "a", quantity: 2, unit_price: "10.50" }], tax: "1.00", crypto_currency: "ETH" },
      });
      expect(res.status).toBe(201);
      const inv = res.json;
      const [row] = await h.db.select().from(invoices).where(eq(invoices.id, inv.id));
      expect(row!.paymentAddress).toBe(inv.payment_address);
      expect(inv.payment_address).toBe(
        deriveInvoiceAddress("ethereum", walletKeys(0).ethereum, row!.derivationIndex!, { testnet: true }),
      );
      const [audit] = await h.db.select().from(auditEntries).where(eq(auditEntries.invoiceId, inv.id));
      expect(audit).toMatchObject({
        merchantId: merchant.merchantId,
        event: "invoice.created",
        actorType: "api_key",
        actorId: apiKey.id,
        userAgent: "hot-path-test",
        requestId: "req_hot_path",
        createdAt: new Date(inv.created_at),
      });
      expect(audit!.data).toEqual({
        total: "2200",
        currency: "EUR",
        cryptoAmount: inv.crypto.amount_minor,
        cryptoCurrency: "ETH",
        network: "ethereum",
        rate: "3220.5",
        rateSource: "median(test)",
        paymentAddress: inv.payment_address,
        derivationIndex: row!.derivationIndex,
      });
      const [event] = await h.db.select().from(outboxEvents).where(eq(outboxEvents.aggregateId, inv.id));
      expect(event).toMatchObject({
        aggregateType: "invoice",
        eventType: "InvoiceCreated",
        merchantId: merchant.merchantId,
        actorType: "api_key",
        actorId: apiKey.id,
        occurredAt: new Date(inv.created_at),
      });
      expect(event!.payload).toEqual({
        invoiceId: inv.id,
        merchantId: merchant.merchantId,
        amount: { total: "2200", currency: "EUR" },
        crypto: { amount: inv.crypto.amount_minor, currency: "ETH", network: "ethereum" },
      });
      const [rate] = await h.db.select().from(exchangeRates).where(eq(exchangeRates.id, row!.exchangeRateId));
      expect(rate!.lockedAt).toEqual(new Date(inv.created_at));
    });

    it("hands out consecutive indexes to concurrent creations, each with its own address", async () => {
      const { key } = await createTestKey(h.db, merchant.merchantId);
      const body = { title: "Burst", currency: "USD", items: [{ description: "x", unit_price: "1.00" }], crypto_currency: "USDT", network: "tron" };
      const responses = await Promise.all(Array.from({ length: 20 }, () => api("POST", "/api/v1/invoices", { key, body })));
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
      const rows = await h.db
        .select({ index: invoices.derivationIndex, address: invoices.paymentAddress })
        .from(invoices)
        .where(and(eq(invoices.merchantId, merchant.merchantId), eq(invoices.network, "tron")));
      const indexes = rows.map((r) => r.index!).sort((a, b) => a - b);
      expect(indexes).toEqual(Array.from({ length: rows.length }, (_, i) => i));
      for (const r of rows) expect(r.address).toBe(deriveInvoiceAddress("tron", walletKeys(0).tron, r.index!, { testnet: true }));
      const [wallet] = await h.db
        .select({ next: merchantWallets.nextIndex })
        .from(merchantWallets)
        .where(and(eq(merchantWallets.merchantId, merchant.merchantId), eq(merchantWallets.network, "tron"), eq(merchantWallets.mode, "test")));
      expect(wallet!.next).toBe(rows.length);
    });

    it("falls back to locking the wallet row inside the transaction when the index moved meanwhile", async () => {
      const other = await createTestMerchant(h.db, { plan: "pro", account: 8 });
      const walletWhere = and(
        eq(merchantWallets.merchantId, other.merchantId),
        eq(merchantWallets.network, "ethereum"),
        eq(merchantWallets.mode, "test"),
      );
      // Stands in for other instances: resolving the customer (after the wallet was read, before
      // the index is taken) moves the index 5 further than the candidates reach.
      await h.db.execute(sql.raw(`
        create function test_take_indexes() returns trigger language plpgsql as $$
        begin
          update merchant_wallets set next_index = next_index + 5
          where merchant_id = new.merchant_id and network = 'ethereum' and mode = 'test';
          return new;
        end $$`));
      await h.db.execute(sql.raw(`
        create trigger test_take_indexes after insert on customers
          for each row when (new.merchant_id = '${other.merchantId}') execute function test_take_indexes()`));
      try {
        const { key } = await createTestKey(h.db, other.merchantId);
        const res = await api("POST", "/api/v1/invoices", {
          key,
          body: { title: "Moved", currency: "USD", items: [{ description: "x", unit_price: "5.00" }], crypto_currency: "ETH", customer_email: "moved@example.com" },
        });
        expect(res.status).toBe(201);
        const [row] = await h.db.select().from(invoices).where(eq(invoices.id, res.json.id));
        expect(row!.derivationIndex).toBe(5);
        expect(row!.customerId).not.toBeNull();
        expect(res.json.payment_address).toBe(deriveInvoiceAddress("ethereum", walletKeys(8).ethereum, 5, { testnet: true }));
        const [wallet] = await h.db.select({ next: merchantWallets.nextIndex }).from(merchantWallets).where(walletWhere);
        expect(wallet!.next).toBe(6);
        expect(await h.db.select().from(invoices).where(eq(invoices.merchantId, other.merchantId))).toHaveLength(1);
        const audits = await h.db.select().from(auditEntries).where(eq(auditEntries.invoiceId, res.json.id));
        expect(audits.map((a) => a.data)).toEqual([expect.objectContaining({ derivationIndex: 5, paymentAddress: res.json.payment_address })]);
      } finally {
        await h.db.execute(sql`drop trigger test_take_indexes on customers`);
        await h.db.execute(sql`drop function test_take_indexes()`);
      }
    });

    // Needs a second connection holding the wallet row, which PGlite (one connection) cannot do.
    it.skipIf(targetName() === "pglite")(
      "falls back to locking the wallet row when other writers took the candidate indexes meanwhile",
      async () => {
        const other = await createTestMerchant(h.db, { plan: "pro", account: 7 });
        const walletWhere = and(
          eq(merchantWallets.merchantId, other.merchantId),
          eq(merchantWallets.network, "bitcoin"),
          eq(merchantWallets.mode, "test"),
        );
        let creation: Promise<Awaited<ReturnType<typeof createInvoice>>> | null = null;
        await h.db.transaction(async (tx) => {
          // Hold the row as another instance would, let the creation read next_index = 0 and block
          // on the row, then take 10 indexes before letting it go.
          await tx.select().from(merchantWallets).where(walletWhere).for("update");
          creation = createInvoice(
            h.db,
            {
              merchantId: other.merchantId,
              mode: "test",
              title: "Contended",
              currency: "USD",
              items: [{ description: "x", quantity: 1n, unitPriceMinor: 100n }],
              cryptoCurrency: "BTC",
              network: "bitcoin",
            },
            { actor: { type: "system" } },
          );
          for (let i = 0; i < 200; i++) {
            const [{ waiting }] = (await h.db.execute(sql`
              select count(*)::int as waiting from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock' and query like '%merchant_wallets%'`)) as unknown as [
              { waiting: number },
            ];
            if (waiting > 0) break;
            await new Promise((resolve) => setTimeout(resolve, 25));
          }
          await tx.update(merchantWallets).set({ nextIndex: 10 }).where(walletWhere);
        });
        const invoice = await creation!;
        expect(invoice.derivationIndex).toBe(10);
        expect(invoice.paymentAddress).toBe(deriveInvoiceAddress("bitcoin", walletKeys(7).bitcoinTest, 10, { testnet: true }));
        const [wallet] = await h.db.select({ next: merchantWallets.nextIndex }).from(merchantWallets).where(walletWhere);
        expect(wallet!.next).toBe(11);
        // The attempt that found the index gone wrote nothing: one of each row.
        expect(await h.db.select().from(invoices).where(eq(invoices.merchantId, other.merchantId))).toHaveLength(1);
        expect(await h.db.select().from(invoiceItems).where(eq(invoiceItems.invoiceId, invoice.id))).toHaveLength(1);
        const audits = await h.db.select().from(auditEntries).where(eq(auditEntries.invoiceId, invoice.id));
        expect(audits.map((a) => a.data)).toEqual([expect.objectContaining({ derivationIndex: 10, paymentAddress: invoice.paymentAddress })]);
        expect(await h.db.select().from(outboxEvents).where(eq(outboxEvents.aggregateId, invoice.id))).toHaveLength(1);
        expect(await h.db.select().from(exchangeRates).where(eq(exchangeRates.id, invoice.exchangeRateId))).toHaveLength(1);
      },
    );
  });
});
