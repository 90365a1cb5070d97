// Marketplace account stock status. Rule (target-driven, from → to):
//
//   AVAILABLE   → MAINTENANCE   take off sale to fix/re-check
//   MAINTENANCE → AVAILABLE     back on sale
//   AVAILABLE   → SOLD          a sale; only an account that is on sale can be sold
//   MAINTENANCE → SOLD          REFUSED: an account under maintenance isn't verified, so it
//                               must be made AVAILABLE again before it can be sold
//   SOLD        → MAINTENANCE   only as an explicit admin "relist" ({ relist: true }), so a
//                               returned account is checked before it can be resold
//
// SOLD is otherwise final; SOLD → AVAILABLE is never direct. Same-status "transitions"
// throw too, so a lost update can't hide behind a silent no-op.
import { IllegalTransitionError } from "./errors";

export const AccountStatus = {
  AVAILABLE: "AVAILABLE",
  MAINTENANCE: "MAINTENANCE",
  SOLD: "SOLD",
} as const;
export type AccountStatus = (typeof AccountStatus)[keyof typeof AccountStatus];

export const ACCOUNT_STATUSES: readonly AccountStatus[] = Object.freeze([
  "AVAILABLE",
  "MAINTENANCE",
  "SOLD",
]);

export interface AccountTransition {
  readonly from: AccountStatus;
  readonly to: AccountStatus;
  /** True when the edge needs the explicit admin relist flag. */
  readonly requiresRelist: boolean;
}

export const ACCOUNT_TRANSITIONS: readonly AccountTransition[] = Object.freeze([
  Object.freeze({ from: "AVAILABLE", to: "MAINTENANCE", requiresRelist: false }),
  Object.freeze({ from: "MAINTENANCE", to: "AVAILABLE", requiresRelist: false }),
  Object.freeze({ from: "AVAILABLE", to: "SOLD", requiresRelist: false }),
  Object.freeze({ from: "SOLD", to: "MAINTENANCE", requiresRelist: true }),
] as const);

export interface AccountTransitionOptions {
  /** Admin intent to put a SOLD account back into stock (via MAINTENANCE). */
  readonly relist?: boolean;
}

export function isAccountStatus(value: unknown): value is AccountStatus {
  return typeof value === "string" && (ACCOUNT_STATUSES as readonly string[]).includes(value);
}

export function canTransitionAccountStatus(
  from: AccountStatus,
  to: AccountStatus,
  options: AccountTransitionOptions = {},
): boolean {
  const edge = ACCOUNT_TRANSITIONS.find((t) => t.from === from && t.to === to);
  return edge !== undefined && (!edge.requiresRelist || options.relist === true);
}

export function transitionAccountStatus(
  from: AccountStatus,
  to: AccountStatus,
  options: AccountTransitionOptions = {},
): AccountStatus {
  if (!canTransitionAccountStatus(from, to, options)) {
    throw new IllegalTransitionError({ machine: "account", from, to });
  }
  return to;
}

/** The admin relist: SOLD → MAINTENANCE. Throws for any other current status. */
export function relistAccount(from: AccountStatus): AccountStatus {
  // Only a SOLD account can be relisted; AVAILABLE → MAINTENANCE is an ordinary transition.
  if (from !== "SOLD") throw new IllegalTransitionError({ machine: "account", from, to: "MAINTENANCE" });
  return transitionAccountStatus(from, "MAINTENANCE", { relist: true });
}

/** Only AVAILABLE accounts can be bought (AccountListing.stockAvailable). */
export function isInStock(status: AccountStatus): boolean {
  return status === "AVAILABLE";
}
