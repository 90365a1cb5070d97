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
//
// Beyond the diagram, two edges undo a payment that the chain took back (a reorg orphaned its
// block, or a mempool transaction was dropped or replaced) before the invoice was paid:
//   partial | confirming --all_payments_reverted--> pending
//   confirming           --payment_reverted------> partial
// Without them a reorged invoice would stay "confirming" on money it no longer has.
import { defineEventStateMachine, freezeTransitionTable, type TransitionTable } from "./transition-table";

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
  "payment_reverted",
  "all_payments_reverted",
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
    all_payments_reverted: "pending",
  },
  confirming: {
    payment_confirmed: "paid",
    timeout: "expired",
    cancel: "cancelled",
    payment_reverted: "partial",
    all_payments_reverted: "pending",
  },
  paid: { refund: "refunded" },
  expired: {},
  cancelled: {},
  refunded: {},
});

const machine = defineEventStateMachine("invoice", INVOICE_STATUSES, INVOICE_EVENTS, INVOICE_TRANSITIONS);

export const INVOICE_TRANSITION_EDGES = machine.edges;
export const isInvoiceStatus = machine.isStatus;
export const isInvoiceEvent = machine.isEvent;
export const canTransitionInvoice = machine.can;
/** The next status, or IllegalTransitionError — never a silent no-op. */
export const transitionInvoice = machine.transition;
export const allowedInvoiceEvents = machine.allowedEvents;
/** No event leaves a terminal status (expired, cancelled, refunded). */
export const isTerminalInvoiceStatus = machine.isTerminal;
