import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { InvoiceTimeline } from "@/components/merchant/invoice-timeline";
import { sortTimeline, type TimelineEntry } from "@/lib/invoices/dashboard-detail";

afterEach(cleanup);

const t = (m: number) => new Date(Date.UTC(2026, 5, 1, 12, m));

const ENTRIES: TimelineEntry[] = [
  { kind: "notification", at: t(5), id: "n1", recipient: "buyer@example.com", subject: "Paid", status: "failed", attempts: 3, lastError: "550 no mailbox", sentAt: null },
  {
    kind: "webhook",
    at: t(2),
    id: "w1",
    eventType: "InvoicePaid",
    endpointUrl: "https://hooks.example.com/x",
    status: "succeeded",
    attemptCount: 2,
    lastStatusCode: 200,
    attempts: [
      { at: t(2), statusCode: 500, latencyMs: 30, error: null },
      { at: t(3), statusCode: 200, latencyMs: 25, error: null },
    ],
  },
  { kind: "payment", at: t(2), id: "p1:detected", phase: "detected", status: "confirming", txHash: "ab".repeat(32), amount: 150_000n, asset: "BTC", network: "bitcoin", confirmations: 5, requiredConfirmations: 2 },
  { kind: "audit", at: t(2), id: "a2", event: "invoice.cancelled", actorType: "merchant", data: { from: "pending", reason: "dup" } },
  { kind: "audit", at: t(0), id: "a1", event: "invoice.created", actorType: "api_key", data: {} },
];

describe("InvoiceTimeline", () => {
  it("orders by time, and at the same instant the audit entry before the payment before the webhook", () => {
    const sorted = sortTimeline(ENTRIES);
    expect(sorted.map((e) => e.id)).toEqual(["a1", "a2", "p1:detected", "w1", "n1"]);
    render(<InvoiceTimeline entries={sorted} />);
    const items = within(screen.getByTestId("invoice-timeline")).getAllByRole("listitem").filter((li) => li.dataset.kind);
    expect(items.map((li) => li.dataset.kind)).toEqual(["audit", "audit", "payment", "webhook", "notification"]);
  });

  it("shows what each entry is: actor and reason, amount and confirmations (capped at required), attempts, email errors", () => {
    render(<InvoiceTimeline entries={sortTimeline(ENTRIES)} />);
    const text = screen.getByTestId("invoice-timeline").textContent!;
    expect(text).toContain("Invoice created");
    expect(text).toContain("by api key");
    expect(text).toContain("Invoice cancelled");
    expect(text).toContain("was pending");
    expect(text).toContain("“dup”");
    expect(text).toContain("Payment of 0.0015 BTC detected");
    expect(text).toContain("confirmations 2/2");
    expect(text).toContain("Webhook InvoicePaid");
    expect(text).toContain("2 attempts · last HTTP 200");
    expect(text).toContain("HTTP 500 · 30 ms");
    expect(text).toContain("Email “Paid”");
    expect(text).toContain("550 no mailbox");
    expect(screen.getAllByRole("time")[0]!.getAttribute("datetime")).toBe(t(0).toISOString());
  });

  it("says so when nothing has happened yet", () => {
    render(<InvoiceTimeline entries={[]} />);
    expect(screen.getByText("Nothing has happened to this invoice yet.")).toBeTruthy();
  });
});
