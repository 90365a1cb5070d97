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
import { defineEventStateMachine, freezeTransitionTable, type TransitionTable } from "./transition-table";

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

const machine = defineEventStateMachine("payment", PAYMENT_STATUSES, PAYMENT_EVENTS, PAYMENT_TRANSITIONS);

export const PAYMENT_TRANSITION_EDGES = machine.edges;
export const isPaymentStatus = machine.isStatus;
export const isPaymentEvent = machine.isEvent;
export const canTransitionPayment = machine.can;
/** The next status, or IllegalTransitionError — never a silent no-op. */
export const transitionPayment = machine.transition;
export const allowedPaymentEvents = machine.allowedEvents;
/** confirmed and failed: no event leaves them. */
export const isTerminalPaymentStatus = machine.isTerminal;
