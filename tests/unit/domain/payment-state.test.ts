import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  paymentPathTo,
  INITIAL_PAYMENT_STATUS,
  IllegalTransitionError,
  PAYMENT_EVENTS,
  PAYMENT_STATUSES,
  PAYMENT_TRANSITION_EDGES,
  allowedPaymentEvents,
  canTransitionPayment,
  isTerminalPaymentStatus,
  transitionPayment,
  type PaymentEvent,
  type PaymentStatus,
} from "@/lib/domain";

// Copied by hand from the spec's "Payment Status Transitions" diagram, independently of the
// implementation's table, so these tests fail if the table drifts from the spec.
const SPEC_STATUSES = ["detected", "confirming", "confirmed", "orphaned", "failed"];
const SPEC_EVENTS = [
  "included_in_block",
  "transaction_failed",
  "sufficient_confirmations",
  "block_orphaned",
  "transaction_reverted",
  "back_to_mempool",
  "transaction_dropped",
];
const SPEC_EDGES: ReadonlyArray<readonly [string, string, string]> = [
  ["detected", "included_in_block", "confirming"],
  ["detected", "transaction_failed", "failed"],
  ["confirming", "sufficient_confirmations", "confirmed"],
  ["confirming", "block_orphaned", "orphaned"],
  ["confirming", "transaction_reverted", "failed"],
  ["orphaned", "back_to_mempool", "detected"],
  ["orphaned", "transaction_dropped", "failed"],
];
const SPEC_TERMINAL = ["confirmed", "failed"];

const specNext = (from: string, event: string): string | undefined =>
  SPEC_EDGES.find(([f, e]) => f === from && e === event)?.[2];

describe("payment state machine", () => {
  it("has exactly the spec's statuses and events, starting at detected", () => {
    expect([...PAYMENT_STATUSES].sort()).toEqual([...SPEC_STATUSES].sort());
    expect([...PAYMENT_EVENTS].sort()).toEqual([...SPEC_EVENTS].sort());
    expect(INITIAL_PAYMENT_STATUS).toBe("detected");
  });

  it("its transition table is exactly the spec's edge list", () => {
    const actual = PAYMENT_TRANSITION_EDGES.map((e) => `${e.from} -${e.event}-> ${e.to}`).sort();
    const expected = SPEC_EDGES.map(([f, e, t]) => `${f} -${e}-> ${t}`).sort();
    expect(actual).toEqual(expected);
  });

  const pairs = SPEC_STATUSES.flatMap((s) => SPEC_EVENTS.map((e) => [s, e] as const));
  it.each(pairs)("(%s, %s) matches the spec", (status, event) => {
    const from = status as PaymentStatus;
    const on = event as PaymentEvent;
    const expected = specNext(status, event);
    expect(canTransitionPayment(from, on)).toBe(expected !== undefined);
    if (expected !== undefined) {
      expect(transitionPayment(from, on)).toBe(expected);
    } else {
      expect(() => transitionPayment(from, on)).toThrow(IllegalTransitionError);
      try {
        transitionPayment(from, on);
      } catch (error) {
        expect(error).toMatchObject({ machine: "payment", from: status, event, code: "payment.illegal_transition" });
      }
    }
  });

  it.each(SPEC_STATUSES)("terminal-ness of %s", (status) => {
    const s = status as PaymentStatus;
    expect(isTerminalPaymentStatus(s)).toBe(SPEC_TERMINAL.includes(status));
    expect(allowedPaymentEvents(s).length === 0).toBe(SPEC_TERMINAL.includes(status));
  });

  it("an orphaned payment can go back to the mempool and confirm later", () => {
    const path: PaymentEvent[] = ["included_in_block", "block_orphaned", "back_to_mempool", "included_in_block", "sufficient_confirmations"];
    expect(path.reduce<PaymentStatus>(transitionPayment, "detected")).toBe("confirmed");
  });

  it("property: no sequence of events reaches an illegal state", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(SPEC_STATUSES as PaymentStatus[])),
        fc.array(fc.constantFrom(...(SPEC_EVENTS as PaymentEvent[])), { maxLength: 40 }),
        (start, events) => {
          let status: PaymentStatus = start;
          for (const event of events) {
            const before = status;
            const expected = specNext(before, event);
            try {
              status = transitionPayment(before, event);
            } catch (error) {
              expect(error).toBeInstanceOf(IllegalTransitionError);
              expect(expected).toBeUndefined();
              expect(status).toBe(before);
              continue;
            }
            expect(expected).toBeDefined();
            expect(status).toBe(expected);
            expect(SPEC_TERMINAL).not.toContain(before);
            expect(SPEC_STATUSES).toContain(status);
          }
          expect(SPEC_STATUSES).toContain(status);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("paymentPathTo", () => {
  it("walks the machine from what is recorded to what the chain shows", () => {
    expect(paymentPathTo(null, "detected")).toEqual([]);
    expect(paymentPathTo(null, "confirmed")).toEqual(["included_in_block", "sufficient_confirmations"]);
    expect(paymentPathTo("detected", "confirming")).toEqual(["included_in_block"]);
    expect(paymentPathTo("confirming", "confirming")).toEqual([]);
    expect(paymentPathTo("confirming", "confirmed")).toEqual(["sufficient_confirmations"]);
    expect(paymentPathTo("confirming", "detected")).toEqual(["block_orphaned", "back_to_mempool"]);
    expect(paymentPathTo("orphaned", "detected")).toEqual(["back_to_mempool"]);
    expect(paymentPathTo("orphaned", "confirming")).toEqual(["back_to_mempool", "included_in_block"]);
    expect(paymentPathTo("orphaned", "confirmed")).toEqual(["back_to_mempool", "included_in_block", "sufficient_confirmations"]);
  });

  it("final statuses do not move", () => {
    expect(paymentPathTo("confirmed", "confirmed")).toEqual([]);
    expect(paymentPathTo("confirmed", "detected")).toBeNull();
    expect(paymentPathTo("failed", "confirming")).toBeNull();
  });
});
