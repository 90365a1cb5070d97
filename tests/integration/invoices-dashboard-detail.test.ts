import { and, eq } from "drizzle-orm";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import {
  auditEntries,
  invoices,
  notificationDeliveries,
  outboxEvents,
  payments,
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookEndpoints,
} from "@/db/schema";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { findDashboardInvoice, type TimelineEntry } from "@/lib/invoices/dashboard-detail";
import { createTestMerchant, MERCHANT_AUDIT, openApiTestDatabase, seedFreshRates } from "../helpers/merchant-fixtures";
import { targetName } from "../helpers/test-db";

// The page and the server action read the signed-in merchant and the request headers; those
// Next.js request APIs are replaced by plain values, everything else is the real code.
const session = vi.hoisted(() => ({ merchant: null as null | { id: string } }));
vi.mock("@/lib/auth/current-merchant", () => ({
  currentMerchant: async () => session.merchant,
  requireMerchant: async () => session.merchant,
}));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "x-forwarded-for": "203.0.113.9", "user-agent": "vitest-browser" }),
}));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const T = new Date("2026-06-01T12:00:00Z");
const at = (minutes: number) => new Date(T.getTime() + minutes * 60_000);

describe(`merchant dashboard: invoice page, timeline and cancel (${targetName()})`, () => {
  let h: DatabaseHandle;
  let A: string;
  let B: string;

  async function make(merchantId: string, title: string, now = T) {
    await seedFreshRates(h.db, now);
    return createInvoice(
      h.db,
      {
        merchantId,
        mode: "test",
        title,
        reference: `REF-${title}`,
        currency: "USD",
        items: [
          { description: "Widget", quantity: 2n, unitPriceMinor: 1_250n },
          { description: "Shipping", quantity: 1n, unitPriceMinor: 500n },
        ],
        taxMinor: 300n,
        cryptoCurrency: "BTC",
        network: "bitcoin",
        customer: { email: "buyer@example.com" },
        now,
      },
      MERCHANT_AUDIT,
    );
  }

  beforeAll(async () => {
    h = await openApiTestDatabase(10_000);
    A = (await createTestMerchant(h.db, { plan: "pro" })).merchantId;
    B = (await createTestMerchant(h.db, { plan: "pro" })).merchantId;
  });
  afterAll(async () => h?.close());

  it("shows the invoice with its items and one timeline of audit entries, payments, webhooks and emails, oldest first", async () => {
    const invoice = await make(A, "timeline");
    const [created] = await h.db.select().from(outboxEvents).where(and(eq(outboxEvents.aggregateId, invoice.id), eq(outboxEvents.eventType, "InvoiceCreated")));
    const [payment] = await h.db
      .insert(payments)
      .values({
        invoiceId: invoice.id,
        network: "bitcoin",
        txHash: "ef".repeat(32),
        outputIndex: 1,
        asset: "BTC",
        amount: invoice.cryptoAmount,
        toAddress: invoice.paymentAddress,
        status: "confirmed",
        confirmations: 3,
        requiredConfirmations: invoice.requiredConfirmations,
        detectedAt: at(4),
        lastSeenAt: at(9),
        confirmedAt: at(9),
      })
      .returning();
    const [paymentEvent] = await h.db
      .insert(outboxEvents)
      .values({ aggregateType: "payment", aggregateId: payment!.id, eventType: "PaymentConfirmed", merchantId: A, payload: {}, occurredAt: at(9) })
      .returning();
    const [endpoint] = await h.db
      .insert(webhookEndpoints)
      .values({ merchantId: A, url: "https://hooks.example.com/in", secretCiphertext: "not-used-here", secretLast4: "abcd" })
      .returning();
    const [delivery] = await h.db
      .insert(webhookDeliveries)
      .values({ endpointId: endpoint!.id, eventId: created!.id, invoiceId: invoice.id, eventType: "InvoiceCreated", status: "succeeded", attemptCount: 2, lastStatusCode: 200, createdAt: at(2) })
      .returning();
    await h.db.insert(webhookDeliveryAttempts).values([
      { deliveryId: delivery!.id, attemptedAt: at(2), statusCode: 503, latencyMs: 120, error: null },
      { deliveryId: delivery!.id, attemptedAt: at(3), statusCode: 200, latencyMs: 80, error: null },
    ]);
    await h.db.insert(notificationDeliveries).values([
      { merchantId: A, eventId: paymentEvent!.id, recipientAddress: "buyer@example.com", subject: "Payment confirmed", status: "sent", attempts: 1, sentAt: at(10), createdAt: at(10) },
      { merchantId: A, eventId: created!.id, recipientAddress: "buyer@example.com", subject: "Your invoice", status: "failed", attempts: 3, lastError: "550 mailbox unavailable", createdAt: at(1) },
    ]);
    // Activity of another invoice (and another merchant) stays off this page.
    const other = await make(B, "other");
    await h.db.insert(notificationDeliveries).values({ merchantId: B, eventId: created!.id, recipientAddress: "someone@example.com", subject: "Not mine", createdAt: at(5) });
    await h.db.insert(auditEntries).values({ merchantId: B, invoiceId: other.id, event: "invoice.viewed", actorType: "merchant", createdAt: at(6) });

    const detail = (await findDashboardInvoice(h.db, A, invoice.id))!;
    expect(detail.invoice.id).toBe(invoice.id);
    expect(detail.customerEmail).toBe("buyer@example.com");
    expect(detail.items.map((i) => [i.description, i.quantity, i.amountMinor])).toEqual([
      ["Widget", 2, 2_500n],
      ["Shipping", 1, 500n],
    ]);
    expect(detail.invoice.totalMinor).toBe(3_300n);
    expect(detail.cancellable).toBe(true);
    const summary = detail.timeline.map((e: TimelineEntry) => {
      if (e.kind === "audit") return `audit:${e.event}`;
      if (e.kind === "payment") return `payment:${e.phase}:${e.confirmations}/${e.requiredConfirmations}`;
      if (e.kind === "webhook") return `webhook:${e.eventType}:${e.status}:${e.attemptCount}:${e.lastStatusCode}:${e.attempts.map((a) => a.statusCode).join("+")}`;
      return `email:${e.subject}:${e.status}`;
    });
    expect(summary).toEqual([
      "audit:invoice.created",
      "email:Your invoice:failed",
      "webhook:InvoiceCreated:succeeded:2:200:503+200",
      `payment:detected:3/${invoice.requiredConfirmations}`,
      `payment:confirmed:3/${invoice.requiredConfirmations}`,
      "email:Payment confirmed:sent",
    ]);
    const times = detail.timeline.map((e) => e.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));

    // The page renders the same, as the merchant sees it.
    const { default: InvoicePage } = await import("@/app/merchant/(dashboard)/invoices/[invoiceId]/page");
    session.merchant = { id: A };
    const html = renderToStaticMarkup(await InvoicePage({ params: Promise.resolve({ invoiceId: invoice.id }) }));
    expect(html).toContain("timeline");
    expect(html).toContain("Widget");
    expect(html).toContain("$33.00");
    expect(html).toContain("550 mailbox unavailable");
    expect(html).toContain("hooks.example.com/in");
    expect(html).toContain("Cancel invoice");
    expect(html.indexOf("Invoice created")).toBeLessThan(html.indexOf("Payment confirmed"));
  });

  it("answers 404 for another merchant's invoice and for an id that is not one", async () => {
    const invoice = await make(A, "private");
    expect(await findDashboardInvoice(h.db, B, invoice.id)).toBeNull();
    expect(await findDashboardInvoice(h.db, A, "not-an-id")).toBeNull();
    expect(await findDashboardInvoice(h.db, A, "00000000-0000-4000-8000-000000000000")).toBeNull();
    const { default: InvoicePage } = await import("@/app/merchant/(dashboard)/invoices/[invoiceId]/page");
    session.merchant = { id: B };
    const error = await InvoicePage({ params: Promise.resolve({ invoiceId: invoice.id }) }).then(
      () => null,
      (e: unknown) => e as { digest?: string },
    );
    expect(error?.digest).toMatch(/404/);
  });

  describe("cancel from the invoice page (the server action)", () => {
    async function cancel(merchantId: string, invoiceId: string, fields: Record<string, string>) {
      const { cancelInvoiceAction } = await import("@/app/merchant/(dashboard)/invoices/actions");
      session.merchant = { id: merchantId };
      const form = new FormData();
      form.set("invoiceId", invoiceId);
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      return cancelInvoiceAction({}, form);
    }
    const statusOf = async (id: string) => (await h.db.select({ s: invoices.status }).from(invoices).where(eq(invoices.id, id)))[0]!.s;

    it("asks for the confirmation first, then cancels, audits who did it and records InvoiceCancelled", async () => {
      const invoice = await make(A, "to-cancel");
      expect(await cancel(A, invoice.id, { reason: "changed mind" })).toEqual({ fieldErrors: { confirm: "Tick the box to confirm the cancellation." } });
      expect(await statusOf(invoice.id)).toBe("pending");
      expect((await cancel(A, invoice.id, { reason: "x".repeat(501), confirm: "yes" })).fieldErrors?.reason).toMatch(/500/);

      const done = await cancel(A, invoice.id, { reason: "  changed mind  ", confirm: "yes" });
      expect(done.success).toMatch(/cancelled/);
      expect(await statusOf(invoice.id)).toBe("cancelled");
      const [audit] = await h.db.select().from(auditEntries).where(and(eq(auditEntries.invoiceId, invoice.id), eq(auditEntries.event, "invoice.cancelled")));
      expect(audit).toMatchObject({ actorType: "merchant", actorId: A, ipAddress: "203.0.113.9", userAgent: "vitest-browser", data: { from: "pending", reason: "changed mind" } });
      const events = await h.db.select().from(outboxEvents).where(and(eq(outboxEvents.aggregateId, invoice.id), eq(outboxEvents.eventType, "InvoiceCancelled")));
      expect(events).toHaveLength(1);
      const detail = (await findDashboardInvoice(h.db, A, invoice.id))!;
      expect(detail.cancellable).toBe(false);
      expect(detail.timeline.filter((e) => e.kind === "audit").map((e) => (e as { event: string }).event)).toEqual(["invoice.created", "invoice.cancelled"]);

      const again = await cancel(A, invoice.id, { confirm: "yes" });
      expect(again.error).toMatch(/cancelled and can no longer be cancelled/);
    });

    it("refuses to cancel a paid invoice, and leaves it paid", async () => {
      const invoice = await make(A, "paid");
      await h.db.update(invoices).set({ status: "paid", paidAt: at(30) }).where(eq(invoices.id, invoice.id));
      const result = await cancel(A, invoice.id, { confirm: "yes" });
      expect(result).toEqual({ error: "This invoice is paid and can no longer be cancelled: only pending, partly paid or confirming invoices can." });
      expect(await statusOf(invoice.id)).toBe("paid");
      expect(await h.db.select().from(auditEntries).where(and(eq(auditEntries.invoiceId, invoice.id), eq(auditEntries.event, "invoice.cancelled")))).toEqual([]);
    });

    it("does not let another merchant cancel the invoice", async () => {
      const invoice = await make(A, "guarded");
      expect(await cancel(B, invoice.id, { confirm: "yes" })).toEqual({ error: "No such invoice." });
      expect(await cancel(B, "not-a-uuid", { confirm: "yes" })).toEqual({ error: "No such invoice." });
      expect(await statusOf(invoice.id)).toBe("pending");
    });
  });
});
