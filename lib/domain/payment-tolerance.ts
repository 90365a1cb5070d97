// How far a received amount may deviate from the required amount and still settle the invoice.
//
// The spec's UnderpaymentThreshold (0–1.00) and OverpaymentThreshold (0–100.00) are
// PERCENTAGES. We store them as integer basis points (1 bp = 0.01 %) so checks stay exact:
//   underpayment: 0..100 bps   (0 % – 1.00 %)
//   overpayment:  0..10 000 bps (0 % – 100.00 %)
import { parseDecimalUnits } from "./decimal";
import { DomainError, InvalidAmountError } from "./errors";
import {
  assertSameAsset,
  isZero,
  money,
  percentOf,
  zeroMoney,
  type Money,
} from "./money";

export const OVERPAYMENT_ACTIONS = ["credit", "refund", "donate"] as const;
export type OverpaymentAction = (typeof OVERPAYMENT_ACTIONS)[number];

export const MAX_UNDERPAYMENT_BPS = 100n;
export const MAX_OVERPAYMENT_BPS = 10_000n;

export interface PaymentTolerance {
  /** A shortfall up to this share of the required amount still counts as paid in full. */
  readonly underpaymentThresholdBps: bigint;
  /** An excess up to this share is simply accepted; beyond it `overpaymentAction` applies. */
  readonly overpaymentThresholdBps: bigint;
  readonly overpaymentAction: OverpaymentAction;
}

export interface PaymentToleranceInput {
  /** Integer basis points; a number is accepted for convenience but must be a safe integer. */
  readonly underpaymentThresholdBps: bigint | number;
  readonly overpaymentThresholdBps: bigint | number;
  readonly overpaymentAction: OverpaymentAction;
}

function toBps(field: string, value: bigint | number, max: bigint): bigint {
  const bps =
    typeof value === "bigint" ? value : Number.isSafeInteger(value) ? BigInt(value) : undefined;
  if (bps === undefined || bps < 0n || bps > max) {
    throw new DomainError(
      "tolerance.out_of_range",
      `${field} must be an integer between 0 and ${max} basis points, got ${String(value)}`,
      { field, value: String(value), min: "0", max: max.toString() },
    );
  }
  return bps;
}

export function createPaymentTolerance(input: PaymentToleranceInput): PaymentTolerance {
  const underpaymentThresholdBps = toBps(
    "underpaymentThresholdBps",
    input.underpaymentThresholdBps,
    MAX_UNDERPAYMENT_BPS,
  );
  const overpaymentThresholdBps = toBps(
    "overpaymentThresholdBps",
    input.overpaymentThresholdBps,
    MAX_OVERPAYMENT_BPS,
  );
  if (!(OVERPAYMENT_ACTIONS as readonly string[]).includes(input.overpaymentAction)) {
    throw new DomainError(
      "tolerance.invalid_action",
      `overpaymentAction must be one of ${OVERPAYMENT_ACTIONS.join(", ")}`,
      { field: "overpaymentAction", value: String(input.overpaymentAction) },
    );
  }
  return Object.freeze({
    underpaymentThresholdBps,
    overpaymentThresholdBps,
    overpaymentAction: input.overpaymentAction,
  });
}

/** 0.5 % under (absorbs wallet fee rounding), 1 % over, excess kept as merchant credit. */
export const DEFAULT_PAYMENT_TOLERANCE: PaymentTolerance = createPaymentTolerance({
  underpaymentThresholdBps: 50n,
  overpaymentThresholdBps: 100n,
  overpaymentAction: "credit",
});

/** Exact percent string → basis points: "0.50" → 50n, "1" → 100n. Refuses sub-bp precision. */
export function parsePercentToBps(percent: string): bigint {
  const parsed = parseDecimalUnits(percent, 2);
  if (!parsed.ok) {
    throw new DomainError(
      "tolerance.invalid_percent",
      `Invalid percentage "${String(percent)}": ${parsed.reason}`,
      { value: String(percent), reason: parsed.reason },
    );
  }
  return parsed.units;
}

/** Basis points → percent string with 2 decimals: 50n → "0.50". */
export function formatBpsAsPercent(bps: bigint): string {
  const sign = bps < 0n ? "-" : "";
  const abs = bps < 0n ? -bps : bps;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}

/**
 * none     – nothing received
 * partial  – shortfall beyond the underpayment allowance
 * full     – exact, or within both allowances
 * overpaid – excess beyond the overpayment allowance (the invoice is still settled;
 *            the excess is handled by `overpaymentAction`)
 */
export type PaymentAmountKind = "none" | "partial" | "full" | "overpaid";

export interface PaymentClassification {
  readonly kind: PaymentAmountKind;
  /** max(required − received, 0) */
  readonly shortfall: Money;
  /** max(received − required, 0) */
  readonly excess: Money;
  /** True iff the deviation (including none) is inside both thresholds, i.e. kind === "full". */
  readonly withinTolerance: boolean;
}

export function classifyPaymentAmount(
  required: Money,
  received: Money,
  tolerance: PaymentTolerance,
): PaymentClassification {
  assertSameAsset(required, received);
  const { underpaymentThresholdBps, overpaymentThresholdBps } = createPaymentTolerance(tolerance);
  if (required.amount <= 0n) {
    throw new InvalidAmountError("Required amount must be positive", {
      required: required.amount.toString(),
    });
  }
  if (received.amount < 0n) {
    throw new InvalidAmountError("Received amount must not be negative", {
      received: received.amount.toString(),
    });
  }
  const diff = received.amount - required.amount;
  const shortfall = diff < 0n ? money(-diff, required.asset) : zeroMoney(required.asset);
  const excess = diff > 0n ? money(diff, required.asset) : zeroMoney(required.asset);
  // Allowances round DOWN: the tolerance never grants more than the configured share.
  const underAllowance = percentOf(required, underpaymentThresholdBps, "down");
  const overAllowance = percentOf(required, overpaymentThresholdBps, "down");

  let kind: PaymentAmountKind;
  if (isZero(received)) kind = "none";
  else if (shortfall.amount > underAllowance.amount) kind = "partial";
  else if (excess.amount > overAllowance.amount) kind = "overpaid";
  else kind = "full";

  return Object.freeze({ kind, shortfall, excess, withinTolerance: kind === "full" });
}

/** Full and overpaid both settle the invoice; none and partial leave it open. */
export function settlesInvoice(classification: PaymentClassification): boolean {
  return classification.kind === "full" || classification.kind === "overpaid";
}
