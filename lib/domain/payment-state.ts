// On-chain payment lifecycle, exactly the spec's "Payment Status Transitions" diagram:
//
//   detected   --included_in_block-------> confirming
//   detected   --transaction_failed------> failed
//   confirming --sufficient_confirmations> confirmed
//   confirming --block_orphaned----------> orphaned
//   confirming --transaction_reverted----> failed
//   orphaned   --back_to_mempool---------> detected
//   orphaned   --transaction_dropped-----> failed
//
// confirmed and failed are final.
import { IllegalTransitionError } from "./errors";
import {
  freezeTransitionTable,
  listAllowedEvents,
  listTransitionEdges,
  lookupTransition,
  type TransitionTable,
} from "./transition-table";

export const PAYMENT_STATUSES = ["detected", "confirming", "confirmed", "orphaned", "failed"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const PAYMENT_EVENTS = [
  "included_in_block",
  "transaction_failed",
  "sufficient_confirmations",
  "block_orphaned",
  "transaction_reverted",
  "back_to_mempool",
  "transaction_dropped",
] as const;
export type PaymentEvent = (typeof PAYMENT_EVENTS)[number];

export const INITIAL_PAYMENT_STATUS: PaymentStatus = "detected";

export const PAYMENT_TRANSITIONS: TransitionTable<PaymentStatus, PaymentEvent> = freezeTransitionTable<PaymentStatus, PaymentEvent>({
  detected: {
    included_in_block: "confirming",
    transaction_failed: "failed",
  },
  confirming: {
    sufficient_confirmations: "confirmed",
    block_orphaned: "orphaned",
    transaction_reverted: "failed",
  },
  orphaned: {
    back_to_mempool: "detected",
    transaction_dropped: "failed",
  },
  confirmed: {},
  failed: {},
});

export const PAYMENT_TRANSITION_EDGES = listTransitionEdges(PAYMENT_TRANSITIONS);

export function isPaymentStatus(value: unknown): value is PaymentStatus {
  return typeof value === "string" && (PAYMENT_STATUSES as readonly string[]).includes(value);
}

export function isPaymentEvent(value: unknown): value is PaymentEvent {
  return typeof value === "string" && (PAYMENT_EVENTS as readonly string[]).includes(value);
}

export function canTransitionPayment(status: PaymentStatus, event: PaymentEvent): boolean {
  return lookupTransition(PAYMENT_TRANSITIONS, status, event) !== undefined;
}

/** The next status, or IllegalTransitionError — never a silent no-op. */
export function transitionPayment(status: PaymentStatus, event: PaymentEvent): PaymentStatus {
  const next = lookupTransition(PAYMENT_TRANSITIONS, status, event);
  if (next === undefined) {
    throw new IllegalTransitionError({ machine: "payment", from: status, event });
  }
  return next;
}

export function allowedPaymentEvents(status: PaymentStatus): readonly PaymentEvent[] {
  return listAllowedEvents(PAYMENT_TRANSITIONS, status);
}

/** confirmed and failed: no event leaves them. */
export function isTerminalPaymentStatus(status: PaymentStatus): boolean {
  return allowedPaymentEvents(status).length === 0;
}
