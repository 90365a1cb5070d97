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

/**
 * The events that take a payment from `from` (null: not recorded yet, i.e. about to be inserted
 * as detected) to what the chain now shows: `to` is detected (waiting in the mempool), confirming
 * (in a block) or confirmed (enough confirmations). Each step goes through `transitionPayment`.
 * Returns null when the payment cannot move there (confirmed and failed are final).
 */
export function paymentPathTo(from: PaymentStatus | null, to: "detected" | "confirming" | "confirmed"): PaymentEvent[] | null {
  const steps: Record<PaymentStatus, PaymentEvent[]> = {
    detected: [],
    confirming: ["included_in_block"],
    confirmed: ["included_in_block", "sufficient_confirmations"],
    orphaned: [],
    failed: [],
  };
  let start: PaymentStatus = from ?? INITIAL_PAYMENT_STATUS;
  let path: PaymentEvent[] = [];
  if (start === "orphaned") {
    path = ["back_to_mempool"];
    start = "detected";
  } else if (start === "confirming" && to === "detected") {
    // Seen waiting again although we hold it in a block: that block was replaced.
    path = ["block_orphaned", "back_to_mempool"];
    start = "detected";
  }
  if (start === "confirmed" || start === "failed") return start === to ? [] : null;
  const fromIndex = steps[start].length;
  path = path.concat(steps[to].slice(fromIndex));
  let status: PaymentStatus = from ?? INITIAL_PAYMENT_STATUS;
  for (const event of path) status = transitionPayment(status, event);
  if (status !== to) return null;
  return path;
}
