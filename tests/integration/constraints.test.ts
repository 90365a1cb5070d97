import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import {
  apiKeys,
  customerPaymentHistory,
  customers,
  exchangeRates,
  invoices,
  merchants,
  payments,
} from "@/db/schema";
import { createTestDatabase, pgErrorCode, targetName } from "../helpers/test-db";

/** The spec's constraints hold in the database itself, on both PGlite and PostgreSQL. */
describe(`database constraints (${targetName()})`, () => {
  let h: DatabaseHandle;
  let merchantId: string;
  let rateId: string;

  const hex = (n: number) => randomBytes(n).toString("hex");
  const expectCode = async (p: Promise<unknown>, code: string) => {
    let caught: unknown;
    try {
      await p;
    } catch (e) {
      caught = e;
    }
    expect(caught, `expected SQLSTATE ${code}`).toBeDefined();
    expect(pgErrorCode(caught)).toBe(code);
  };
  const invoiceValues = (overrides: Partial<typeof invoices.$inferInsert> = {}): typeof invoices.$inferInsert => ({
    merchantId,
    title: "Order",
    fiatCurrency: "USD",
    subtotalMinor: 1000n,
    taxMinor: 100n,
    totalMinor: 1100n,
    cryptoCurrency: "USDT",
    network: "ethereum",
    cryptoAmount: 11_000_000n,
    exchangeRateId: rateId,
    paymentAddress: "0x" + hex(20),
    underpaymentThresholdBps: 50,
    overpaymentThresholdBps: 100,
    overpaymentAction: "credit",
    requiredConfirmations: 6,
    expiresAt: new Date(Date.now() + 30 * 60_000),
    ...overrides,
  });

  beforeAll(async () => {
    h = await createTestDatabase();
    const [m] = await h.db.insert(merchants).values({ businessName: "Acme", contactEmail: "Owner@Acme.test" }).returning();
    merchantId = m!.id;
    const [r] = await h.db
      .insert(exchangeRates)
      .values({ fromCurrency: "USD", toCurrency: "USDT", rate: "1.000000", source: "static", expiresAt: new Date(Date.now() + 60_000) })
      .returning();
    rateId = r!.id;
  });
  afterAll(async () => h?.close());

  it("merchant contact email is unique, case-insensitively", async () => {
    await expectCode(h.db.insert(merchants).values({ businessName: "Other", contactEmail: "owner@acme.TEST" }), "23505");
  });

  it("merchant business name must be 2-255 characters", async () => {
    await expectCode(h.db.insert(merchants).values({ businessName: "A", contactEmail: "a@b.test" }), "23514");
  });

  it("customer email is unique per merchant, not globally", async () => {
    const [other] = await h.db.insert(merchants).values({ businessName: "Other Co", contactEmail: "x@other.test" }).returning();
    await h.db.insert(customers).values({ merchantId, email: "buyer@example.com" });
    await expectCode(h.db.insert(customers).values({ merchantId, email: "BUYER@example.com" }), "23505");
    await h.db.insert(customers).values({ merchantId: other!.id, email: "buyer@example.com" });
  });

  it("api key hashes are unique and must be SHA-256 hex", async () => {
    const keyHash = hex(32);
    await h.db.insert(apiKeys).values({ merchantId, keyHash, keyPrefix: "sk_test_ab", keyType: "test" });
    await expectCode(h.db.insert(apiKeys).values({ merchantId, keyHash, keyPrefix: "sk_test_cd", keyType: "test" }), "23505");
    await expectCode(h.db.insert(apiKeys).values({ merchantId, keyHash: "not-a-hash", keyPrefix: "x", keyType: "live" }), "23514");
  });

  it("invoice total must equal subtotal + tax", async () => {
    await expectCode(h.db.insert(invoices).values(invoiceValues({ totalMinor: 1101n })), "23514");
    await h.db.insert(invoices).values(invoiceValues());
  });

  it("amounts must be positive", async () => {
    await expectCode(h.db.insert(invoices).values(invoiceValues({ subtotalMinor: 0n, taxMinor: 0n, totalMinor: 0n })), "23514");
    await expectCode(h.db.insert(invoices).values(invoiceValues({ taxMinor: -1n, totalMinor: 999n })), "23514");
    await expectCode(h.db.insert(invoices).values(invoiceValues({ cryptoAmount: 0n })), "23514");
  });

  it("a crypto currency must travel on its own network", async () => {
    await expectCode(h.db.insert(invoices).values(invoiceValues({ cryptoCurrency: "BTC", network: "ethereum" })), "23514");
  });

  it("status enums refuse unknown values", async () => {
    await expectCode(
      h.db.execute(sql`insert into merchants (business_name, contact_email, status) values ('Zed', 'z@z.test', 'frozen')`),
      "22P02",
    );
  });

  it("foreign keys are enforced", async () => {
    await expectCode(h.db.insert(invoices).values(invoiceValues({ merchantId: "00000000-0000-4000-8000-000000000000" })), "23503");
  });

  describe("payments", () => {
    let invoiceId: string;
    beforeAll(async () => {
      const [inv] = await h.db.insert(invoices).values(invoiceValues()).returning();
      invoiceId = inv!.id;
    });
    const payment = (overrides: Partial<typeof payments.$inferInsert> = {}): typeof payments.$inferInsert => ({
      invoiceId,
      network: "ethereum",
      txHash: "0x" + hex(32),
      outputIndex: 0,
      asset: "USDT",
      amount: 5_000_000n,
      toAddress: "0x" + hex(20),
      requiredConfirmations: 6,
      ...overrides,
    });

    it("a transfer is stored once per (network, tx hash, index)", async () => {
      const p = payment();
      await h.db.insert(payments).values(p);
      await expectCode(h.db.insert(payments).values({ ...p }), "23505");
      // Another log index of the same transaction is another transfer.
      await h.db.insert(payments).values({ ...p, outputIndex: 1 });
      // An idempotent insert reports "already have it" instead of failing.
      const again = await h.db.insert(payments).values({ ...p }).onConflictDoNothing().returning();
      expect(again).toEqual([]);
    });

    it("confirmations and amounts are never negative", async () => {
      await expectCode(h.db.insert(payments).values(payment({ confirmations: -1 })), "23514");
      await expectCode(h.db.insert(payments).values(payment({ amount: 0n })), "23514");
    });

    it("holds ETH amounts past the range of a 64-bit integer", async () => {
      const big = 123_456_789_012_345_678_901_234_567_890n;
      const [row] = await h.db.insert(payments).values(payment({ asset: "ETH", amount: big })).returning();
      const [read] = await h.db.select().from(payments).where(eq(payments.id, row!.id));
      expect(read!.amount).toBe(big);
    });
  });

  it("customer payment history is append-only", async () => {
    const [c] = await h.db.insert(customers).values({ merchantId, email: "history@example.com" }).returning();
    const [inv] = await h.db.insert(invoices).values(invoiceValues({ customerId: c!.id })).returning();
    const [row] = await h.db
      .insert(customerPaymentHistory)
      .values({ customerId: c!.id, invoiceId: inv!.id, amountMinor: 1100n, currency: "USD", status: "paid", paidAt: new Date() })
      .returning();
    await expectCode(h.db.update(customerPaymentHistory).set({ amountMinor: 1n }).where(eq(customerPaymentHistory.id, row!.id)), "23001");
    await expectCode(h.db.delete(customerPaymentHistory).where(eq(customerPaymentHistory.id, row!.id)), "23001");
  });

  it("full-text search finds invoices by title, description and reference", async () => {
    await h.db.insert(invoices).values(invoiceValues({ title: "Sonnet quota upgrade", description: "Priority support", reference: "ORD-77" }));
    const find = (q: string) =>
      h.db.select({ title: invoices.title }).from(invoices).where(sql`${invoices.search} @@ plainto_tsquery('simple', ${q})`);
    expect(await find("sonnet")).toEqual([{ title: "Sonnet quota upgrade" }]);
    expect(await find("priority support")).toHaveLength(1);
    expect(await find("ORD-77")).toHaveLength(1);
    expect(await find("haiku")).toHaveLength(0);
  });
});
