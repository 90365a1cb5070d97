// PaymentReconciliationService: given an invoice and every payment made to its address, decide
// the invoice's status, its exception flag and the amount received. Pure: the payment service
// loads the rows, calls `reconcileInvoice`, and writes what it returns under a status guard.
//
// Rules (spec "Business Rules" and issue 4):
// - Counted payments are those still alive on chain (detected, confirming, confirmed) in the
//   invoice's asset. Orphaned and failed ones count for nothing until they come back.
// - Counted total vs the required amount, through the invoice's PaymentTolerance
//   (classifyPaymentAmount): nothing → pending; short beyond the underpayment allowance → partial
//   (the remaining amount is shown); full, within tolerance, or overpaid → confirming, and paid
//   once the CONFIRMED payments alone settle it.
// - A payment arrives when it was first seen or mined, whichever is earlier: a payment mined
//   before the deadline and noticed later (the watcher was down) is on time.
// - Deadline: the invoice's expiry; an invoice that had received part of its amount by then gets
//   the grace period for partial payments on top. A payment after the deadline is recorded and
//   the invoice expires flagged "paid_late" — money is never silently ignored.
// - An invoice that already left the open statuses (paid, expired, cancelled, refunded) keeps its
//   status; money arriving then only updates the amount received and raises the exception flag.
// - An on-time payment whose block was replaced (orphaned) holds off the timeout until it is
//   mined again or fails.
import { IllegalTransitionError } from "./errors";
import { transitionInvoice, type InvoiceEvent, type InvoiceStatus } from "./invoice-state";
import { money, type Money } from "./money";
import { classifyPaymentAmount, type PaymentClassification, type PaymentTolerance } from "./payment-tolerance";
import type { PaymentStatus } from "./payment-state";

export const INVOICE_EXCEPTIONS = ["none", "underpaid", "overpaid", "paid_late"] as const;
export type InvoiceException = (typeof INVOICE_EXCEPTIONS)[number];

export interface ReconcilePayment {
  readonly amount: bigint;
  readonly status: PaymentStatus;
  /** min(first seen, block time): when the money reached the address. */
  readonly arrivedAt: Date;
}

export interface ReconcileInput {
  readonly status: InvoiceStatus;
  readonly exception: InvoiceException;
  /** The crypto amount the invoice asks for, in the asset payments are counted in. */
  readonly required: Money;
  readonly tolerance: PaymentTolerance;
  readonly expiresAt: Date;
  readonly partialGraceMinutes: number;
  /** Payments in the invoice's asset only. */
  readonly payments: readonly ReconcilePayment[];
  readonly now: Date;
}

export interface Reconciliation {
  readonly status: InvoiceStatus;
  /** The machine events that lead from the current status to `status`, in order (may be empty). */
  readonly events: readonly InvoiceEvent[];
  readonly exception: InvoiceException;
  /** Sum of the counted payments. */
  readonly amountReceived: bigint;
  /** Counted total against the required amount (remaining = shortfall, excess). */
  readonly classification: PaymentClassification;
  /** When the invoice's deadline is (expiry, plus the grace period if it had been partly paid). */
  readonly deadline: Date;
  /** True when this reconciliation moved the invoice to paid. */
  readonly becamePaid: boolean;
  /** True when this reconciliation moved the invoice to expired. */
  readonly becameExpired: boolean;
}

const COUNTED: ReadonlySet<PaymentStatus> = new Set(["detected", "confirming", "confirmed"]);
const OPEN: ReadonlySet<InvoiceStatus> = new Set(["pending", "partial", "confirming"]);

export function isCountedPayment(status: PaymentStatus): boolean {
  return COUNTED.has(status);
}

/** Events along the invoice machine from an open status to another status. */
const PATHS: Record<string, readonly InvoiceEvent[]> = {
  "pending>partial": ["partial_payment"],
  "pending>confirming": ["full_payment_detected"],
  "pending>paid": ["full_payment_detected", "payment_confirmed"],
  "partial>confirming": ["full_payment_complete"],
  "partial>paid": ["full_payment_complete", "payment_confirmed"],
  "partial>pending": ["all_payments_reverted"],
  "confirming>paid": ["payment_confirmed"],
  "confirming>partial": ["payment_reverted"],
  "confirming>pending": ["all_payments_reverted"],
};

function pathBetween(from: InvoiceStatus, to: InvoiceStatus): InvoiceEvent[] {
  if (from === to) return [];
  const path = PATHS[`${from}>${to}`];
  if (!path) throw new IllegalTransitionError({ machine: "invoice", from, to });
  // Walk it through the one transition function, so a path can never bypass the machine.
  let status = from;
  for (const event of path) status = transitionInvoice(status, event);
  return [...path];
}

function sum(payments: readonly ReconcilePayment[]): bigint {
  return payments.reduce((total, p) => total + p.amount, 0n);
}

export function reconcileInvoice(input: ReconcileInput): Reconciliation {
  const counted = input.payments.filter((p) => COUNTED.has(p.status));
  const amountReceived = sum(counted);
  const asset = input.required.asset;
  const classification = classifyPaymentAmount(input.required, money(amountReceived, asset), input.tolerance);

  const graceMs = input.partialGraceMinutes * 60_000;
  const onTimeAtExpiry = counted.filter((p) => p.arrivedAt.getTime() <= input.expiresAt.getTime());
  const deadline = new Date(input.expiresAt.getTime() + (onTimeAtExpiry.length > 0 ? graceMs : 0));
  const late = counted.filter((p) => p.arrivedAt.getTime() > deadline.getTime());

  const base = { amountReceived, classification, deadline };

  if (!OPEN.has(input.status)) {
    // Closed: the status stays; money arriving now is recorded and flagged for the merchant.
    let exception = input.exception;
    if (input.status === "paid" || input.status === "refunded") {
      if (classification.kind === "overpaid" && exception === "none") exception = "overpaid";
    } else if (input.status === "expired") {
      // Only money after the deadline is late; an invoice expired underpaid keeps that flag.
      if (late.length > 0) exception = "paid_late";
    } else if (amountReceived > 0n && exception === "none") {
      exception = "paid_late"; // cancelled, and money arrived anyway
    }
    return { ...base, status: input.status, events: [], exception, becamePaid: false, becameExpired: false };
  }

  const onTime = counted.filter((p) => p.arrivedAt.getTime() <= deadline.getTime());
  const onTimeClass = classifyPaymentAmount(input.required, money(sum(onTime), asset), input.tolerance);
  const settledOnTime = onTimeClass.kind === "full" || onTimeClass.kind === "overpaid";

  // A payment that arrived on time and whose block was just replaced is not decided yet: it may be
  // mined again in the new chain. The invoice does not time out under it.
  const undecided = input.payments.some((p) => p.status === "orphaned" && p.arrivedAt.getTime() <= deadline.getTime());
  if (!settledOnTime && !undecided && (late.length > 0 || input.now.getTime() > deadline.getTime())) {
    // The deadline passed without the amount: timeout. Late money is kept on record.
    const path = [transitionTimeout(input.status)];
    const exception: InvoiceException = late.length > 0 ? "paid_late" : amountReceived > 0n ? "underpaid" : "none";
    return { ...base, status: "expired", events: path, exception, becamePaid: false, becameExpired: true };
  }

  const confirmed = counted.filter((p) => p.status === "confirmed");
  const confirmedClass = classifyPaymentAmount(input.required, money(sum(confirmed), asset), input.tolerance);
  let target: InvoiceStatus;
  if (confirmedClass.kind === "full" || confirmedClass.kind === "overpaid") target = "paid";
  else if (classification.kind === "full" || classification.kind === "overpaid") target = "confirming";
  else if (classification.kind === "partial") target = "partial";
  else target = "pending";

  const exception: InvoiceException = classification.kind === "overpaid" ? "overpaid" : "none";
  return {
    ...base,
    status: target,
    events: pathBetween(input.status, target),
    exception,
    becamePaid: target === "paid",
    becameExpired: false,
  };
}

function transitionTimeout(status: InvoiceStatus): InvoiceEvent {
  transitionInvoice(status, "timeout");
  return "timeout";
}
