import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { exchangeRates, invoices, merchants } from "@/db/schema";
import { merchantInvoiceModes } from "@/lib/analytics/invoice-modes";
import { AnalyticsRangeError, computeMerchantAnalytics, type AnalyticsRange } from "@/lib/analytics/merchant-analytics";
import type { InvoiceStatus } from "@/lib/domain";
import { createTestDatabase, targetName } from "../helpers/test-db";

/**
 * MerchantAnalytics on known data: every figure below is worked out by hand from the invoices
 * inserted in beforeAll (see the table there).
 */
describe(`merchant analytics (${targetName()})`, () => {
  let h: DatabaseHandle;
  let merchantId: string;
  let otherMerchantId: string;
  let emptyMerchantId: string;
  let rateId: string;

  const t = (iso: string) => new Date(iso);
  // 2026-03-01 is a Sunday: the week buckets start on Monday 2026-02-23, 03-02 and 03-09.
  const MARCH: AnalyticsRange = { from: t("2026-03-01T00:00:00Z"), to: t("2026-03-05T00:00:00Z"), bucket: "day" };

  type Seed = {
    merchant?: string;
    livemode?: boolean;
    status: InvoiceStatus;
    exception?: "none" | "underpaid" | "overpaid" | "paid_late";
    createdAt: string;
    paidAt?: string;
    fiat?: "USD" | "EUR" | "CNY";
    total: bigint;
    crypto?: "USDT" | "BTC";
    cryptoAmount?: bigint;
    received?: bigint;
  };

  async function insertInvoice(s: Seed) {
    const createdAt = t(s.createdAt);
    const crypto = s.crypto ?? "USDT";
    await h.db.insert(invoices).values({
      merchantId: s.merchant ?? merchantId,
      livemode: s.livemode ?? true,
      title: "Order",
      status: s.status,
      exception: s.exception ?? "none",
      fiatCurrency: s.fiat ?? "USD",
      subtotalMinor: s.total,
      taxMinor: 0n,
      totalMinor: s.total,
      cryptoCurrency: crypto,
      network: crypto === "BTC" ? "bitcoin" : "ethereum",
      cryptoAmount: s.cryptoAmount ?? s.total * 10_000n,
      amountReceived: s.received ?? 0n,
      exchangeRateId: rateId,
      paymentAddress: `addr-${randomBytes(12).toString("hex")}`,
      underpaymentThresholdBps: 50,
      overpaymentThresholdBps: 100,
      overpaymentAction: "credit",
      requiredConfirmations: 1,
      expiresAt: new Date(createdAt.getTime() + 60 * 60_000),
      createdAt,
      paidAt: s.paidAt ? t(s.paidAt) : null,
    });
  }

  beforeAll(async () => {
    h = await createTestDatabase();
    const created = await h.db
      .insert(merchants)
      .values([
        { businessName: "Analytics Co", contactEmail: "owner@analytics.test" },
        { businessName: "Other Co", contactEmail: "owner@other.test" },
        { businessName: "Empty Co", contactEmail: "owner@empty.test" },
      ])
      .returning({ id: merchants.id });
    [merchantId, otherMerchantId, emptyMerchantId] = created.map((m) => m.id) as [string, string, string];
    const [rate] = await h.db
      .insert(exchangeRates)
      .values({ fromCurrency: "USD", toCurrency: "USDT", rate: "1", source: "static", lockedAt: t("2026-01-01T00:00:00Z"), expiresAt: t("2027-01-01T00:00:00Z") })
      .returning();
    rateId = rate!.id;

    // #1  paid on day 1 after 300 s
    await insertInvoice({ status: "paid", createdAt: "2026-03-01T10:00:00Z", paidAt: "2026-03-01T10:05:00Z", total: 1100n, cryptoAmount: 11_000_000n, received: 11_000_000n });
    // #2  created in the last second of day 1, paid 60 s later on day 2 (and in the next week); overpaid
    await insertInvoice({ status: "paid", exception: "overpaid", createdAt: "2026-03-01T23:59:59Z", paidAt: "2026-03-02T00:00:59Z", fiat: "EUR", total: 2500n, cryptoAmount: 2_600_000n, received: 2_700_000n });
    // #3  created at the first instant of day 2, expired unpaid
    await insertInvoice({ status: "expired", createdAt: "2026-03-02T00:00:00Z", total: 500n });
    // #4  paid after 1200 s, then refunded: converted and paid, but no revenue
    await insertInvoice({ status: "refunded", createdAt: "2026-03-02T12:00:00Z", paidAt: "2026-03-02T12:20:00Z", total: 9900n, received: 99_000_000n });
    // #5  cancelled; #6 still pending (not final); #7 money came after the deadline
    await insertInvoice({ status: "cancelled", createdAt: "2026-03-02T13:00:00Z", total: 800n });
    await insertInvoice({ status: "pending", createdAt: "2026-03-02T14:00:00Z", total: 900n });
    await insertInvoice({ status: "expired", exception: "paid_late", createdAt: "2026-03-02T15:00:00Z", total: 4000n, received: 40_000_000n });
    // #8  created in the last second before the range, paid at its first instant after 1 s (BTC)
    await insertInvoice({ status: "paid", createdAt: "2026-02-28T23:59:59Z", paidAt: "2026-03-01T00:00:00Z", total: 700n, crypto: "BTC", cryptoAmount: 720_000n, received: 720_000n });
    // #9  created on day 4, paid exactly at the range's end (excluded: the range is half-open)
    await insertInvoice({ status: "paid", createdAt: "2026-03-04T20:00:00Z", paidAt: "2026-03-05T00:00:00Z", total: 300n, received: 3_000_000n });
    // #10 a test-mode invoice, paid on day 1
    await insertInvoice({ livemode: false, status: "paid", createdAt: "2026-03-01T12:00:00Z", paidAt: "2026-03-01T12:01:00Z", total: 100_000n, received: 1_000_000_000n });
    // Another merchant's paid invoice inside the range must never show up.
    await insertInvoice({ merchant: otherMerchantId, status: "paid", createdAt: "2026-03-01T09:00:00Z", paidAt: "2026-03-01T09:00:30Z", total: 123_456n, received: 1_234_560_000n });
  });
  afterAll(async () => h?.close());

  it("counts live invoices created in the range by status and exception", async () => {
    const { metrics } = await computeMerchantAnalytics(h.db, merchantId, MARCH, { livemode: true });
    expect(metrics.invoicesCreated).toBe(8);
    expect(metrics.invoicesByStatus).toEqual({ pending: 1, partial: 0, confirming: 0, paid: 3, expired: 2, cancelled: 1, refunded: 1 });
    expect(metrics.exceptions).toEqual({ underpaid: 0, overpaid: 1, paid_late: 1 });
  });

  it("sums revenue per fiat currency from invoices paid in the range, excluding refunded and late money", async () => {
    const { metrics } = await computeMerchantAnalytics(h.db, merchantId, MARCH, { livemode: true });
    expect(metrics.revenueByCurrency).toEqual({ USD: 1800n, EUR: 2500n });
    expect(metrics.invoicedByAsset).toEqual({ BTC: 720_000n, USDT: 13_600_000n });
    expect(metrics.receivedByAsset).toEqual({ BTC: 720_000n, USDT: 13_700_000n });
    expect(metrics.invoicesPaid).toBe(4);
  });

  it("computes conversion over final invoices and the average and median time to pay", async () => {
    const { metrics } = await computeMerchantAnalytics(h.db, merchantId, MARCH, { livemode: true });
    expect(metrics.conversion).toEqual({ converted: 4, settled: 7, rate: 4 / 7 });
    expect(metrics.averageSecondsToPay).toBe((300 + 60 + 1200 + 1) / 4);
    expect(metrics.medianSecondsToPay).toBe((60 + 300) / 2);
  });

  it("puts 23:59:59 and 00:00:00 UTC in different day buckets and keeps empty days", async () => {
    const { timeSeries } = await computeMerchantAnalytics(h.db, merchantId, MARCH, { livemode: true });
    expect(timeSeries.map((p) => [p.start.toISOString(), p.invoices, p.paid, p.revenue])).toEqual([
      ["2026-03-01T00:00:00.000Z", 2, 2, { USD: 1800n }],
      ["2026-03-02T00:00:00.000Z", 5, 2, { EUR: 2500n }],
      ["2026-03-03T00:00:00.000Z", 0, 0, {}],
      ["2026-03-04T00:00:00.000Z", 1, 0, {}],
    ]);
  });

  it("starts week buckets on Monday and month buckets on the 1st, in UTC", async () => {
    const weeks = await computeMerchantAnalytics(h.db, merchantId, { from: t("2026-03-01T00:00:00Z"), to: t("2026-03-15T00:00:00Z"), bucket: "week" }, { livemode: true });
    expect(weeks.timeSeries.map((p) => [p.start.toISOString(), p.invoices, p.paid, p.revenue])).toEqual([
      ["2026-02-23T00:00:00.000Z", 2, 2, { USD: 1800n }],
      ["2026-03-02T00:00:00.000Z", 6, 3, { EUR: 2500n, USD: 300n }],
      ["2026-03-09T00:00:00.000Z", 0, 0, {}],
    ]);
    const months = await computeMerchantAnalytics(h.db, merchantId, { from: t("2026-01-15T00:00:00Z"), to: t("2026-04-01T00:00:00Z"), bucket: "month" }, { livemode: true });
    expect(months.timeSeries.map((p) => [p.start.toISOString(), p.invoices, p.paid])).toEqual([
      ["2026-01-01T00:00:00.000Z", 0, 0],
      ["2026-02-01T00:00:00.000Z", 1, 0],
      ["2026-03-01T00:00:00.000Z", 8, 5],
    ]);
  });

  it("separates live and test invoices, and combines them when no mode is given", async () => {
    const test = await computeMerchantAnalytics(h.db, merchantId, MARCH, { livemode: false });
    expect(test.livemode).toBe(false);
    expect(test.metrics.invoicesCreated).toBe(1);
    expect(test.metrics.revenueByCurrency).toEqual({ USD: 100_000n });
    expect(test.metrics.averageSecondsToPay).toBe(60);
    const both = await computeMerchantAnalytics(h.db, merchantId, MARCH);
    expect(both.livemode).toBeNull();
    expect(both.metrics.invoicesCreated).toBe(9);
    expect(both.metrics.revenueByCurrency).toEqual({ USD: 101_800n, EUR: 2500n });
    expect(both.timeSeries[0]).toMatchObject({ invoices: 3, paid: 3, revenue: { USD: 101_800n } });
  });

  it("never counts another merchant's invoices", async () => {
    const other = await computeMerchantAnalytics(h.db, otherMerchantId, MARCH);
    expect(other.metrics.invoicesCreated).toBe(1);
    expect(other.metrics.revenueByCurrency).toEqual({ USD: 123_456n });
    expect(other.metrics.averageSecondsToPay).toBe(30);
    const mine = await computeMerchantAnalytics(h.db, merchantId, MARCH);
    expect(mine.metrics.revenueByCurrency).toEqual({ USD: 101_800n, EUR: 2500n });
  });

  it("knows which modes a merchant has invoices in, whatever the period", async () => {
    expect(await merchantInvoiceModes(h.db, merchantId)).toEqual({ live: true, test: true });
    expect(await merchantInvoiceModes(h.db, otherMerchantId)).toEqual({ live: true, test: false });
    expect(await merchantInvoiceModes(h.db, emptyMerchantId)).toEqual({ live: false, test: false });
  });

  it("returns zeros, no rates and every empty bucket for a merchant without invoices", async () => {
    const report = await computeMerchantAnalytics(h.db, emptyMerchantId, MARCH, { livemode: true });
    expect(report.metrics).toEqual({
      revenueByCurrency: {},
      invoicedByAsset: {},
      receivedByAsset: {},
      invoicesCreated: 0,
      invoicesPaid: 0,
      invoicesByStatus: { pending: 0, partial: 0, confirming: 0, paid: 0, expired: 0, cancelled: 0, refunded: 0 },
      exceptions: { underpaid: 0, overpaid: 0, paid_late: 0 },
      conversion: { converted: 0, settled: 0, rate: null },
      averageSecondsToPay: null,
      medianSecondsToPay: null,
    });
    expect(report.timeSeries.map((p) => [p.start.toISOString(), p.invoices, p.paid])).toEqual([
      ["2026-03-01T00:00:00.000Z", 0, 0],
      ["2026-03-02T00:00:00.000Z", 0, 0],
      ["2026-03-03T00:00:00.000Z", 0, 0],
      ["2026-03-04T00:00:00.000Z", 0, 0],
    ]);
  });

  it("gives the same buckets whatever the session time zone", async () => {
    const report = await h.db.transaction(async (tx) => {
      await tx.execute(sql`set local timezone = 'Pacific/Kiritimati'`);
      return computeMerchantAnalytics(tx, merchantId, MARCH, { livemode: true });
    });
    expect(report.timeSeries.map((p) => [p.start.toISOString(), p.invoices])).toEqual([
      ["2026-03-01T00:00:00.000Z", 2],
      ["2026-03-02T00:00:00.000Z", 5],
      ["2026-03-03T00:00:00.000Z", 0],
      ["2026-03-04T00:00:00.000Z", 1],
    ]);
  });

  it("refuses a bad range with a typed error before querying", async () => {
    const bad = async (range: AnalyticsRange, id = merchantId) => {
      try {
        await computeMerchantAnalytics(h.db, id, range);
      } catch (e) {
        return e;
      }
      return null;
    };
    const inverted = await bad({ from: MARCH.to, to: MARCH.from, bucket: "day" });
    expect(inverted).toBeInstanceOf(AnalyticsRangeError);
    expect((inverted as AnalyticsRangeError).code).toBe("analytics.invalid_range");
    expect(await bad({ ...MARCH, to: MARCH.from })).toBeInstanceOf(AnalyticsRangeError);
    expect(await bad({ ...MARCH, bucket: "hour" as never })).toBeInstanceOf(AnalyticsRangeError);
    expect(await bad({ ...MARCH, from: new Date("nope") })).toBeInstanceOf(AnalyticsRangeError);
    expect(await bad({ from: t("2020-01-01T00:00:00Z"), to: t("2026-01-01T00:00:00Z"), bucket: "day" })).toBeInstanceOf(AnalyticsRangeError);
    expect(await bad(MARCH, "not-a-uuid")).toBeInstanceOf(AnalyticsRangeError);
  });
});
