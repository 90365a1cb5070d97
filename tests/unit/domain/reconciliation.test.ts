import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createPaymentTolerance,
  INVOICE_STATUSES,
  money,
  PAYMENT_STATUSES,
  reconcileInvoice,
  transitionInvoice,
  type InvoiceStatus,
  type ReconcileInput,
  type ReconcilePayment,
} from "@/lib/domain";

const created = new Date("2026-12-01T10:00:00Z");
const expiresAt = new Date("2026-12-01T10:30:00Z");
const min = (m: number) => new Date(created.getTime() + m * 60_000);
const tolerance = createPaymentTolerance({ underpaymentThresholdBps: 50n, overpaymentThresholdBps: 100n, overpaymentAction: "refund" });

function input(over: Partial<ReconcileInput> & { payments: ReconcilePayment[] }): ReconcileInput {
  return {
    status: "pending",
    exception: "none",
    required: money(1_000_000n, "USDT"),
    tolerance,
    expiresAt,
    partialGraceMinutes: 15,
    now: min(5),
    ...over,
  };
}
const pay = (amount: bigint, status: ReconcilePayment["status"] = "detected", at = 5): ReconcilePayment => ({
  amount,
  status,
  arrivedAt: min(at),
});

describe("reconcileInvoice", () => {
  it("leaves an invoice with nothing received pending", () => {
    const r = reconcileInvoice(input({ payments: [] }));
    expect(r).toMatchObject({ status: "pending", events: [], exception: "none", amountReceived: 0n });
  });

  it("exact payment seen in the mempool: confirming; confirmed: paid", () => {
    expect(reconcileInvoice(input({ payments: [pay(1_000_000n)] }))).toMatchObject({
      status: "confirming",
      events: ["full_payment_detected"],
    });
    const paid = reconcileInvoice(input({ payments: [pay(1_000_000n, "confirmed")] }));
    expect(paid).toMatchObject({ status: "paid", events: ["full_payment_detected", "payment_confirmed"], becamePaid: true });
  });

  it("partial payment shows the remaining amount, then completes", () => {
    const partial = reconcileInvoice(input({ payments: [pay(400_000n, "confirmed")] }));
    expect(partial.status).toBe("partial");
    expect(partial.classification.shortfall.amount).toBe(600_000n);
    const done = reconcileInvoice(input({ status: "partial", payments: [pay(400_000n, "confirmed"), pay(600_000n, "confirming")] }));
    expect(done).toMatchObject({ status: "confirming", events: ["full_payment_complete"] });
  });

  it("underpayment within the tolerance counts as full; beyond it stays partial", () => {
    expect(reconcileInvoice(input({ payments: [pay(995_000n, "confirmed")] })).status).toBe("paid");
    expect(reconcileInvoice(input({ payments: [pay(994_999n, "confirmed")] })).status).toBe("partial");
  });

  it("overpayment past the threshold settles the invoice and is flagged", () => {
    const r = reconcileInvoice(input({ payments: [pay(1_010_001n, "confirmed")] }));
    expect(r).toMatchObject({ status: "paid", exception: "overpaid" });
    expect(r.classification.excess.amount).toBe(10_001n);
    expect(reconcileInvoice(input({ payments: [pay(1_010_000n, "confirmed")] })).exception).toBe("none");
  });

  it("orphaned and failed payments count for nothing: a reorg returns the invoice to pending or partial", () => {
    expect(reconcileInvoice(input({ status: "confirming", payments: [pay(1_000_000n, "orphaned")] }))).toMatchObject({
      status: "pending",
      events: ["all_payments_reverted"],
    });
    expect(
      reconcileInvoice(input({ status: "confirming", payments: [pay(500_000n, "confirmed"), pay(500_000n, "failed")] })),
    ).toMatchObject({ status: "partial", events: ["payment_reverted"] });
  });

  it("a payment after expiry is recorded and the invoice expires flagged paid late", () => {
    const r = reconcileInvoice(input({ payments: [pay(1_000_000n, "detected", 31)], now: min(31) }));
    expect(r).toMatchObject({ status: "expired", events: ["timeout"], exception: "paid_late", amountReceived: 1_000_000n });
  });

  it("a payment mined before expiry but seen after it is on time", () => {
    const r = reconcileInvoice(input({ payments: [pay(1_000_000n, "confirming", 29)], now: min(45) }));
    expect(r.status).toBe("confirming");
  });

  it("a partly paid invoice gets the grace period to complete", () => {
    const within = reconcileInvoice(input({ status: "partial", payments: [pay(500_000n, "confirmed", 10), pay(500_000n, "confirmed", 40)], now: min(40) }));
    expect(within.status).toBe("paid");
    const after = reconcileInvoice(input({ status: "partial", payments: [pay(500_000n, "confirmed", 10), pay(500_000n, "detected", 46)], now: min(46) }));
    expect(after).toMatchObject({ status: "expired", exception: "paid_late" });
    const nothingMore = reconcileInvoice(input({ status: "partial", payments: [pay(500_000n, "confirmed", 10)], now: min(46) }));
    expect(nothingMore).toMatchObject({ status: "expired", exception: "underpaid", becameExpired: true });
    const stillInGrace = reconcileInvoice(input({ status: "partial", payments: [pay(500_000n, "confirmed", 10)], now: min(44) }));
    expect(stillInGrace.status).toBe("partial");
  });

  it("an unpaid invoice past its expiry times out with no exception", () => {
    expect(reconcileInvoice(input({ payments: [], now: min(31) }))).toMatchObject({ status: "expired", exception: "none" });
  });

  it("money reaching a cancelled or expired invoice keeps the status and is flagged", () => {
    for (const status of ["cancelled", "expired"] as const) {
      expect(reconcileInvoice(input({ status, payments: [pay(1_000_000n, "confirmed", 40)], now: min(40) }))).toMatchObject({
        status,
        events: [],
        exception: "paid_late",
        amountReceived: 1_000_000n,
      });
    }
  });

  it("a second payment to a paid invoice raises the overpaid flag", () => {
    const r = reconcileInvoice(input({ status: "paid", payments: [pay(1_000_000n, "confirmed"), pay(500_000n, "detected")] }));
    expect(r).toMatchObject({ status: "paid", exception: "overpaid", amountReceived: 1_500_000n });
  });

  it("property: every result is reached through legal transitions and counts exactly the live payments", () => {
    const payment = fc.record({
      amount: fc.bigInt({ min: 1n, max: 3_000_000n }),
      status: fc.constantFrom(...PAYMENT_STATUSES),
      arrivedAt: fc.integer({ min: 0, max: 60 }).map(min),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...INVOICE_STATUSES),
        fc.array(payment, { maxLength: 6 }),
        fc.integer({ min: 0, max: 90 }),
        (status: InvoiceStatus, payments, now) => {
          const r = reconcileInvoice(input({ status, payments, now: min(now) }));
          let reached = status;
          for (const event of r.events) reached = transitionInvoice(reached, event);
          expect(reached).toBe(r.status);
          const live = payments.filter((p) => ["detected", "confirming", "confirmed"].includes(p.status));
          expect(r.amountReceived).toBe(live.reduce((s, p) => s + p.amount, 0n));
          if (r.status === "paid" && status !== "paid") {
            const confirmed = live.filter((p) => p.status === "confirmed").reduce((s, p) => s + p.amount, 0n);
            expect(confirmed).toBeGreaterThanOrEqual(995_000n);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("reconcileInvoice — edge cases found in review", () => {
  it("an expired underpaid invoice keeps its flag when it is reconciled again without late money", () => {
    const r = reconcileInvoice(input({ status: "expired", exception: "underpaid", payments: [pay(500_000n, "confirmed", 10)], now: min(60) }));
    expect(r).toMatchObject({ status: "expired", exception: "underpaid", events: [] });
  });

  it("an on-time payment orphaned after the deadline holds off the timeout until it is decided", () => {
    const held = reconcileInvoice(input({ status: "confirming", payments: [pay(1_000_000n, "orphaned", 29)], now: min(40) }));
    expect(held).toMatchObject({ status: "pending", events: ["all_payments_reverted"], becameExpired: false });
    const gone = reconcileInvoice(input({ status: "pending", payments: [pay(1_000_000n, "failed", 29)], now: min(40) }));
    expect(gone).toMatchObject({ status: "expired", becameExpired: true });
  });
});
