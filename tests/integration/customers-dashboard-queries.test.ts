import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { auditEntries, customerPaymentHistory, customers, invoices, merchantWallets, systemConfiguration } from "@/db/schema";
import {
  CUSTOMERS_PAGE_SIZE,
  getMerchantCustomer,
  HISTORY_PAGE_SIZE,
  listMerchantCustomers,
  parseCustomerFilters,
} from "@/lib/customers/dashboard";
import { createCustomer, setCustomerBlocked } from "@/lib/customers/service";
import { DomainError, type FiatCurrency } from "@/lib/domain";
import { cancelInvoice } from "@/lib/invoices/cancel-invoice";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { DEFAULT_SYSTEM_CONFIG, invalidateSystemConfig } from "@/lib/system-config";
import { createTestMerchant, MERCHANT_AUDIT, seedFreshRates } from "../helpers/merchant-fixtures";
import { createTestDatabase, targetName } from "../helpers/test-db";

const MERCHANT_ACTOR = (merchantId: string) => ({ ...MERCHANT_AUDIT, actor: { type: "merchant" as const, id: merchantId } });

describe(`merchant dashboard: customers (${targetName()})`, () => {
  let h: DatabaseHandle;
  let merchantId: string;
  let otherId: string;

  beforeAll(async () => {
    h = await createTestDatabase();
    await h.db.insert(systemConfiguration).values({ ...DEFAULT_SYSTEM_CONFIG, exchangeRateProviders: [{ id: "static", enabled: false, priority: 1 }] });
    invalidateSystemConfig(h.db);
    await seedFreshRates(h.db);
    merchantId = (await createTestMerchant(h.db, { account: 301 })).merchantId;
    otherId = (await createTestMerchant(h.db, { account: 302 })).merchantId;
  });
  afterAll(async () => h?.close());

  const invoiceFor = (merchant: string, customer: { id: string } | { email: string }, unitPriceMinor = 2500n, currency: "USD" | "EUR" = "USD") =>
    createInvoice(
      h.db,
      { merchantId: merchant, mode: "test", title: "Espresso beans", reference: "ORD-1", currency, items: [{ description: "1 kg", quantity: 1n, unitPriceMinor }], cryptoCurrency: "BTC", network: "bitcoin", customer },
      MERCHANT_AUDIT,
    );

  /** What the paid path (reconcile) appends when an invoice is paid; the test marks the invoice paid with it. */
  async function markPaid(invoice: { id: string; totalMinor: bigint; fiatCurrency: FiatCurrency; customerId: string | null; createdAt: Date }, paidAt: Date) {
    await h.db.update(invoices).set({ status: "paid", paidAt }).where(eq(invoices.id, invoice.id));
    await h.db.insert(customerPaymentHistory).values({
      customerId: invoice.customerId!,
      invoiceId: invoice.id,
      amountMinor: invoice.totalMinor,
      currency: invoice.fiatCurrency,
      status: "paid",
      paidAt,
      createdAt: invoice.createdAt,
    });
  }

  describe("list", () => {
    it("searches by email or metadata name, filters by status, pages through the URL's page, and never shows another merchant's customers", async () => {
      for (let i = 0; i < CUSTOMERS_PAGE_SIZE + 2; i++) {
        await createCustomer(h.db, merchantId, { email: `bulk${String(i).padStart(2, "0")}@shop.example`, metadata: i === 3 ? { name: "Grace Hopper" } : {} }, MERCHANT_AUDIT);
      }
      await createCustomer(h.db, otherId, { email: "bulk99@shop.example" }, MERCHANT_AUDIT);
      await createCustomer(h.db, otherId, { email: "grace@other.example", metadata: { name: "Grace Other" } }, MERCHANT_AUDIT);

      const first = await listMerchantCustomers(h.db, merchantId, parseCustomerFilters({ q: "BULK" }));
      expect(first.total).toBe(CUSTOMERS_PAGE_SIZE + 2);
      expect(first.rows).toHaveLength(CUSTOMERS_PAGE_SIZE);
      const second = await listMerchantCustomers(h.db, merchantId, parseCustomerFilters({ q: "bulk", page: "2" }));
      expect(second.rows).toHaveLength(2);
      const seen = new Set([...first.rows, ...second.rows].map((r) => r.email));
      expect(seen.size).toBe(CUSTOMERS_PAGE_SIZE + 2);
      expect(seen.has("bulk99@shop.example")).toBe(false);

      const byName = await listMerchantCustomers(h.db, merchantId, parseCustomerFilters({ q: "grace" }));
      expect(byName.rows.map((r) => [r.email, r.name])).toEqual([["bulk03@shop.example", "Grace Hopper"]]);

      // LIKE wildcards in the query are literal: "%" matches no email here.
      expect((await listMerchantCustomers(h.db, merchantId, parseCustomerFilters({ q: "%" }))).total).toBe(0);
      expect((await listMerchantCustomers(h.db, merchantId, parseCustomerFilters({ q: "bulk0_" }))).total).toBe(0);

      const target = first.rows[0]!;
      expect((await listMerchantCustomers(h.db, merchantId, parseCustomerFilters({ q: target.id }))).rows.map((r) => r.id)).toEqual([target.id]);
      await setCustomerBlocked(h.db, merchantId, target.id, true, MERCHANT_ACTOR(merchantId));
      const blocked = await listMerchantCustomers(h.db, merchantId, parseCustomerFilters({ status: "blocked" }));
      expect(blocked.rows.map((r) => r.id)).toEqual([target.id]);
      expect(blocked.rows[0]!.status).toBe("blocked");
      await setCustomerBlocked(h.db, merchantId, target.id, false, MERCHANT_ACTOR(merchantId));
    });

    it("drops malformed URL parameters instead of trusting them", () => {
      expect(parseCustomerFilters({ q: "  ann\u0000 ", status: "deleted", page: "-3" })).toEqual({ q: "ann", status: undefined, page: 1 });
      expect(parseCustomerFilters({ page: "1e3" }).page).toBe(1000);
      expect(parseCustomerFilters({ page: "abc", q: "x".repeat(500) })).toEqual({ q: "x".repeat(100), status: undefined, page: 1 });
      expect(parseCustomerFilters({ status: ["blocked", "active"], page: ["2"] })).toEqual({ q: undefined, status: "blocked", page: 2 });
    });
  });

  describe("totals and history", () => {
    it("sums paid history per currency exactly, counts invoices, cancelled and expired, and pages the history newest first", async () => {
      const customer = await createCustomer(h.db, merchantId, { email: "totals@example.com", metadata: { name: "Ada", tier: "gold" } }, MERCHANT_AUDIT);
      const paid1 = await invoiceFor(merchantId, { id: customer.id }, 2550n);
      const paid2 = await invoiceFor(merchantId, { email: "TOTALS@example.com" }, 9_007_199_254_740_993n); // beyond 2^53: must stay exact
      const paidEur = await invoiceFor(merchantId, { id: customer.id }, 1999n, "EUR");
      const cancelled = await invoiceFor(merchantId, { id: customer.id }, 700n);
      await invoiceFor(merchantId, { id: customer.id }, 800n); // still open: counted as an invoice, not in history
      expect(paid2.customerId).toBe(customer.id);
      await markPaid(paid1, new Date("2026-11-01T10:00:00Z"));
      await markPaid(paid2, new Date("2026-11-02T10:00:00Z"));
      await markPaid(paidEur, new Date("2026-11-03T10:00:00Z"));
      await cancelInvoice(h.db, { merchantId, livemode: false }, cancelled.id, "asked", MERCHANT_AUDIT);

      const detail = (await getMerchantCustomer(h.db, merchantId, customer.id))!;
      expect(detail.name).toBe("Ada");
      expect(detail.metadata).toEqual({ name: "Ada", tier: "gold" });
      expect(detail.totals).toEqual({
        invoiceCount: 5,
        paid: [
          { currency: "EUR", amountMinor: 1999n, count: 1 },
          { currency: "USD", amountMinor: 2550n + 9_007_199_254_740_993n, count: 2 },
        ],
        cancelledCount: 1,
        expiredCount: 0,
      });
      expect(detail.history.total).toBe(4);
      expect(detail.history.entries.map((e) => [e.invoiceId, e.status])).toEqual(
        expect.arrayContaining([[paid1.id, "paid"], [paid2.id, "paid"], [paidEur.id, "paid"], [cancelled.id, "cancelled"]]),
      );
      expect(detail.history.entries.find((e) => e.invoiceId === paid2.id)).toMatchObject({ amountMinor: 9_007_199_254_740_993n, currency: "USD", invoiceTitle: "Espresso beans", invoiceReference: "ORD-1", paidAt: new Date("2026-11-02T10:00:00Z") });
      const created = detail.history.entries.map((e) => e.createdAt.getTime());
      expect([...created].sort((a, b) => b - a)).toEqual(created);

      const listed = await listMerchantCustomers(h.db, merchantId, parseCustomerFilters({ q: "totals@" }));
      expect(listed.rows[0]!.totals).toEqual(detail.totals);
    });

    it("pages the history and keeps it append-only: the database refuses to edit or delete an entry", async () => {
      const customer = await createCustomer(h.db, merchantId, { email: "many@example.com" }, MERCHANT_AUDIT);
      const ids: string[] = [];
      for (let i = 0; i < HISTORY_PAGE_SIZE + 1; i++) {
        const invoice = await invoiceFor(merchantId, { id: customer.id }, 100n + BigInt(i));
        await markPaid(invoice, new Date());
        ids.push(invoice.id);
      }
      const page1 = (await getMerchantCustomer(h.db, merchantId, customer.id, 1))!;
      const page2 = (await getMerchantCustomer(h.db, merchantId, customer.id, 2))!;
      expect(page1.history.total).toBe(HISTORY_PAGE_SIZE + 1);
      expect(page1.history.entries).toHaveLength(HISTORY_PAGE_SIZE);
      expect(page2.history.entries).toHaveLength(1);
      expect(new Set([...page1.history.entries, ...page2.history.entries].map((e) => e.invoiceId))).toEqual(new Set(ids));

      const entry = page2.history.entries[0]!;
      const refusal = async (write: Promise<unknown>) => {
        const error = (await write.then(() => null, (e: unknown) => e)) as { cause?: { message?: string } } | null;
        return error?.cause?.message ?? "";
      };
      expect(await refusal(h.db.update(customerPaymentHistory).set({ amountMinor: 1n }).where(eq(customerPaymentHistory.id, entry.id)))).toMatch(/append-only \(UPDATE refused\)/);
      expect(await refusal(h.db.delete(customerPaymentHistory).where(eq(customerPaymentHistory.id, entry.id)))).toMatch(/append-only \(DELETE refused\)/);
      const [still] = await h.db.select().from(customerPaymentHistory).where(eq(customerPaymentHistory.id, entry.id));
      expect(still!.amountMinor).toBe(entry.amountMinor);
    });

    it("shows empty totals and history for a new customer", async () => {
      const customer = await createCustomer(h.db, merchantId, { email: "fresh@example.com" }, MERCHANT_AUDIT);
      const detail = (await getMerchantCustomer(h.db, merchantId, customer.id))!;
      expect(detail.totals).toEqual({ invoiceCount: 0, paid: [], cancelledCount: 0, expiredCount: 0 });
      expect(detail.history).toEqual({ entries: [], total: 0, page: 1 });
      expect(detail.activity.map((a) => a.event)).toEqual(["customer.created"]);
    });
  });

  describe("another merchant's customer", () => {
    it("is not found, cannot be blocked, and its status is untouched", async () => {
      const theirs = await createCustomer(h.db, otherId, { email: "theirs@example.com" }, MERCHANT_AUDIT);
      expect(await getMerchantCustomer(h.db, merchantId, theirs.id)).toBeNull();
      expect(await getMerchantCustomer(h.db, merchantId, "not-a-uuid")).toBeNull();
      expect(await getMerchantCustomer(h.db, otherId, theirs.id)).not.toBeNull();
      const error = await setCustomerBlocked(h.db, merchantId, theirs.id, true, MERCHANT_ACTOR(merchantId)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe("customer.not_found");
      const [row] = await h.db.select({ status: customers.status }).from(customers).where(eq(customers.id, theirs.id));
      expect(row!.status).toBe("active");
      const [audits] = await h.db.select({ n: count() }).from(auditEntries).where(and(eq(auditEntries.event, "customer.blocked"), sql`${auditEntries.data}->>'customerId' = ${theirs.id}`));
      expect(audits!.n).toBe(0);
    });
  });

  it("records when a customer named by email was last invoiced, whether new or returning", async () => {
    const first = await invoiceFor(merchantId, { email: "Returning.Buyer@example.com" });
    const [created] = await h.db.select({ lastSeenAt: customers.lastSeenAt }).from(customers).where(eq(customers.id, first.customerId!));
    expect(created!.lastSeenAt!.getTime()).toBe(first.createdAt.getTime());
    await h.db.update(customers).set({ lastSeenAt: new Date("2026-01-01T00:00:00Z") }).where(eq(customers.id, first.customerId!));
    const again = await invoiceFor(merchantId, { email: "returning.buyer@EXAMPLE.com" });
    expect(again.customerId).toBe(first.customerId);
    const [returning] = await h.db.select({ lastSeenAt: customers.lastSeenAt }).from(customers).where(eq(customers.id, first.customerId!));
    expect(returning!.lastSeenAt!.getTime()).toBe(again.createdAt.getTime());
  });

  describe("block and unblock", () => {
    it("audits both, and a blocked customer gets no invoice (by id or email) and nothing is written", async () => {
      const customer = await createCustomer(h.db, merchantId, { email: "Blocked.Buyer@example.com" }, MERCHANT_AUDIT);
      const blocked = await setCustomerBlocked(h.db, merchantId, customer.id, true, MERCHANT_ACTOR(merchantId));
      expect(blocked.status).toBe("blocked");

      const invoicesBefore = await h.db.select({ n: count() }).from(invoices).where(eq(invoices.merchantId, merchantId));
      const [walletBefore] = await h.db.select({ next: merchantWallets.nextIndex }).from(merchantWallets).where(and(eq(merchantWallets.merchantId, merchantId), eq(merchantWallets.network, "bitcoin"), eq(merchantWallets.mode, "test")));
      for (const ref of [{ id: customer.id }, { email: "blocked.buyer@EXAMPLE.com" }]) {
        const error = await invoiceFor(merchantId, ref).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).code).toBe("customer.blocked");
      }
      expect(await h.db.select({ n: count() }).from(invoices).where(eq(invoices.merchantId, merchantId))).toEqual(invoicesBefore);
      const [walletAfter] = await h.db.select({ next: merchantWallets.nextIndex }).from(merchantWallets).where(and(eq(merchantWallets.merchantId, merchantId), eq(merchantWallets.network, "bitcoin"), eq(merchantWallets.mode, "test")));
      expect(walletAfter!.next).toBe(walletBefore!.next);

      await setCustomerBlocked(h.db, merchantId, customer.id, false, MERCHANT_ACTOR(merchantId));
      const invoice = await invoiceFor(merchantId, { id: customer.id });
      expect(invoice.customerId).toBe(customer.id);

      const detail = (await getMerchantCustomer(h.db, merchantId, customer.id))!;
      expect(detail.status).toBe("active");
      expect(detail.activity.map((a) => a.event).sort()).toEqual(["customer.blocked", "customer.created", "customer.unblocked"]);
      const trail = await h.db
        .select({ event: auditEntries.event, actorType: auditEntries.actorType, actorId: auditEntries.actorId, ip: auditEntries.ipAddress })
        .from(auditEntries)
        .where(and(eq(auditEntries.merchantId, merchantId), eq(auditEntries.event, "customer.unblocked"), sql`${auditEntries.data}->>'customerId' = ${customer.id}`));
      expect(trail).toEqual([{ event: "customer.unblocked", actorType: "merchant", actorId: merchantId, ip: "198.51.100.7" }]);
    });
  });
});
