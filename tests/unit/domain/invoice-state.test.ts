import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  INITIAL_INVOICE_STATUS,
  INVOICE_EVENTS,
  INVOICE_STATUSES,
  INVOICE_TRANSITION_EDGES,
  IllegalTransitionError,
  allowedInvoiceEvents,
  canTransitionInvoice,
  isInvoiceStatus,
  isTerminalInvoiceStatus,
  transitionInvoice,
  type InvoiceEvent,
  type InvoiceStatus,
} from "@/lib/domain";

// Copied by hand from the spec's "Invoice Status Transitions" diagram, independently of the
// implementation's table, so these tests fail if the table drifts from the spec.
const SPEC_STATUSES = ["pending", "partial", "confirming", "paid", "expired", "cancelled", "refunded"];
const SPEC_EVENTS = [
  "partial_payment",
  "full_payment_detected",
  "full_payment_complete",
  "payment_confirmed",
  "timeout",
  "cancel",
  "refund",
  // Not in the diagram: a reorg or a dropped transaction takes a payment back (issue 4).
  "payment_reverted",
  "all_payments_reverted",
];
const SPEC_EDGES: ReadonlyArray<readonly [string, string, string]> = [
  ["pending", "partial_payment", "partial"],
  ["pending", "full_payment_detected", "confirming"],
  ["pending", "timeout", "expired"],
  ["pending", "cancel", "cancelled"],
  ["partial", "full_payment_complete", "confirming"],
  ["partial", "timeout", "expired"],
  ["partial", "cancel", "cancelled"],
  ["confirming", "payment_confirmed", "paid"],
  ["confirming", "timeout", "expired"],
  ["confirming", "cancel", "cancelled"],
  ["paid", "refund", "refunded"],
  ["partial", "all_payments_reverted", "pending"],
  ["confirming", "payment_reverted", "partial"],
  ["confirming", "all_payments_reverted", "pending"],
];
const SPEC_TERMINAL = ["expired", "cancelled", "refunded"];

const specNext = (from: string, event: string): string | undefined =>
  SPEC_EDGES.find(([f, e]) => f === from && e === event)?.[2];

describe("invoice state machine", () => {
  it("has exactly the spec's statuses and events, starting at pending", () => {
    expect([...INVOICE_STATUSES].sort()).toEqual([...SPEC_STATUSES].sort());
    expect([...INVOICE_EVENTS].sort()).toEqual([...SPEC_EVENTS].sort());
    expect(INITIAL_INVOICE_STATUS).toBe("pending");
  });

  it("its transition table is exactly the spec's edge list", () => {
    const actual = INVOICE_TRANSITION_EDGES.map((e) => `${e.from} -${e.event}-> ${e.to}`).sort();
    const expected = SPEC_EDGES.map(([f, e, t]) => `${f} -${e}-> ${t}`).sort();
    expect(actual).toEqual(expected);
  });

  const pairs = SPEC_STATUSES.flatMap((s) => SPEC_EVENTS.map((e) => [s, e] as const));
  it.each(pairs)("(%s, %s) matches the spec", (status, event) => {
    const from = status as InvoiceStatus;
    const on = event as InvoiceEvent;
    const expected = specNext(status, event);
    expect(canTransitionInvoice(from, on)).toBe(expected !== undefined);
    if (expected !== undefined) {
      expect(transitionInvoice(from, on)).toBe(expected);
    } else {
      expect(() => transitionInvoice(from, on)).toThrow(IllegalTransitionError);
      try {
        transitionInvoice(from, on);
      } catch (error) {
        expect(error).toMatchObject({ machine: "invoice", from: status, event, code: "invoice.illegal_transition" });
      }
    }
  });

  it.each(SPEC_STATUSES)("terminal-ness of %s", (status) => {
    const s = status as InvoiceStatus;
    expect(isTerminalInvoiceStatus(s)).toBe(SPEC_TERMINAL.includes(status));
    expect(allowedInvoiceEvents(s).length === 0).toBe(SPEC_TERMINAL.includes(status));
  });

  it("paid only allows refund", () => {
    expect(allowedInvoiceEvents("paid")).toEqual(["refund"]);
    expect(isTerminalInvoiceStatus("paid")).toBe(false);
  });

  it("unknown statuses/events from storage never match inherited properties", () => {
    for (const [s, e] of [
      ["constructor", "cancel"],
      ["pending", "constructor"],
      ["pending", "__proto__"],
      ["toString", "toString"],
    ]) {
      expect(() => transitionInvoice(s as InvoiceStatus, e as InvoiceEvent)).toThrow(IllegalTransitionError);
    }
    expect(isInvoiceStatus("constructor")).toBe(false);
  });

  it("property: no sequence of events reaches an illegal state", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(SPEC_STATUSES as InvoiceStatus[])),
        fc.array(fc.constantFrom(...(SPEC_EVENTS as InvoiceEvent[])), { maxLength: 40 }),
        (start, events) => {
          let status: InvoiceStatus = start;
          for (const event of events) {
            const before = status;
            const expected = specNext(before, event);
            try {
              status = transitionInvoice(before, event);
            } catch (error) {
              expect(error).toBeInstanceOf(IllegalTransitionError);
              expect(expected).toBeUndefined(); // only non-edges may throw
              expect(status).toBe(before);
              continue;
            }
            // every successful step is an edge of the spec's diagram (never a silent no-op)
            expect(expected).toBeDefined();
            expect(status).toBe(expected);
            expect(SPEC_TERMINAL).not.toContain(before); // terminal statuses never change
            expect(SPEC_STATUSES).toContain(status);
          }
          expect(SPEC_STATUSES).toContain(status);
        },
      ),
      { numRuns: 500 },
    );
  });
});
