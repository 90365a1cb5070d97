// Invoice lifecycle, exactly the spec's "Invoice Status Transitions" diagram:
//
//   pending    --partial_payment-------> partial
//   pending    --full_payment_detected--> confirming
//   partial    --full_payment_complete--> confirming
//   confirming --payment_confirmed------> paid
//   pending | partial | confirming --timeout--> expired
//   pending | partial | confirming --cancel---> cancelled
//   paid       --refund-----------------> refunded
//
// expired, cancelled and refunded are terminal; paid only allows refund.
import { IllegalTransitionError } from "./errors";
import {
  freezeTransitionTable,
  listAllowedEvents,
  listTransitionEdges,
  lookupTransition,
  type TransitionTable,
} from "./transition-table";

export const INVOICE_STATUSES = [
  "pending",
  "partial",
  "confirming",
  "paid",
  "expired",
  "cancelled",
  "refunded",
] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const INVOICE_EVENTS = [
  "partial_payment",
  "full_payment_detected",
  "full_payment_complete",
  "payment_confirmed",
  "timeout",
  "cancel",
  "refund",
] as const;
export type InvoiceEvent = (typeof INVOICE_EVENTS)[number];

export const INITIAL_INVOICE_STATUS: InvoiceStatus = "pending";

export const INVOICE_TRANSITIONS: TransitionTable<InvoiceStatus, InvoiceEvent> = freezeTransitionTable<InvoiceStatus, InvoiceEvent>({
  pending: {
    partial_payment: "partial",
    full_payment_detected: "confirming",
    timeout: "expired",
    cancel: "cancelled",
  },
  partial: {
    full_payment_complete: "confirming",
    timeout: "expired",
    cancel: "cancelled",
  },
  confirming: {
    payment_confirmed: "paid",
    timeout: "expired",
    cancel: "cancelled",
  },
  paid: { refund: "refunded" },
  expired: {},
  cancelled: {},
  refunded: {},
});

export const INVOICE_TRANSITION_EDGES = listTransitionEdges(INVOICE_TRANSITIONS);

export function isInvoiceStatus(value: unknown): value is InvoiceStatus {
  return typeof value === "string" && (INVOICE_STATUSES as readonly string[]).includes(value);
}

export function isInvoiceEvent(value: unknown): value is InvoiceEvent {
  return typeof value === "string" && (INVOICE_EVENTS as readonly string[]).includes(value);
}

export function canTransitionInvoice(status: InvoiceStatus, event: InvoiceEvent): boolean {
  return lookupTransition(INVOICE_TRANSITIONS, status, event) !== undefined;
}

/** The next status, or IllegalTransitionError — never a silent no-op. */
export function transitionInvoice(status: InvoiceStatus, event: InvoiceEvent): InvoiceStatus {
  const next = lookupTransition(INVOICE_TRANSITIONS, status, event);
  if (next === undefined) {
    throw new IllegalTransitionError({ machine: "invoice", from: status, event });
  }
  return next;
}

export function allowedInvoiceEvents(status: InvoiceStatus): readonly InvoiceEvent[] {
  return listAllowedEvents(INVOICE_TRANSITIONS, status);
}

/** No event leaves a terminal status (expired, cancelled, refunded). */
export function isTerminalInvoiceStatus(status: InvoiceStatus): boolean {
  return allowedInvoiceEvents(status).length === 0;
}
