// Domain errors carry a stable machine-readable `code` so the API layer can map them to
// HTTP statuses and `{ code, message }` bodies without string-matching messages.

export type DomainErrorDetails = Readonly<Record<string, unknown>>;

export class DomainError extends Error {
  readonly code: string;
  readonly details: DomainErrorDetails | undefined;

  constructor(code: string, message: string, details?: DomainErrorDetails) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.details = details;
  }
}

export type StateMachineName = "invoice" | "payment" | "account";

export interface IllegalTransitionParams {
  readonly machine: StateMachineName;
  readonly from: string;
  /** The event that was refused (invoice, payment machines). */
  readonly event?: string;
  /** The target status that was refused (account machine is target-driven). */
  readonly to?: string;
}

export class IllegalTransitionError extends DomainError {
  readonly machine: StateMachineName;
  readonly from: string;
  readonly event: string | undefined;
  readonly to: string | undefined;

  constructor(params: IllegalTransitionParams) {
    const { machine, from, event, to } = params;
    const via = event !== undefined ? `on event "${event}"` : `to "${to ?? "?"}"`;
    const details: Record<string, unknown> = { machine, from };
    if (event !== undefined) details.event = event;
    if (to !== undefined) details.to = to;
    super(`${machine}.illegal_transition`, `Illegal ${machine} transition from "${from}" ${via}`, details);
    this.name = "IllegalTransitionError";
    this.machine = machine;
    this.from = from;
    this.event = event;
    this.to = to;
  }
}

export class CurrencyMismatchError extends DomainError {
  readonly left: string;
  readonly right: string;

  constructor(left: string, right: string, message?: string) {
    super(
      "money.currency_mismatch",
      message ?? `Cannot combine amounts in ${left} and ${right}`,
      { left, right },
    );
    this.name = "CurrencyMismatchError";
    this.left = left;
    this.right = right;
  }
}

export class InvalidAmountError extends DomainError {
  constructor(message: string, details?: DomainErrorDetails) {
    super("money.invalid_amount", message, details);
    this.name = "InvalidAmountError";
  }
}

export class ExpiredRateError extends DomainError {
  readonly expiresAt: Date;
  readonly now: Date;

  constructor(expiresAt: Date, now: Date) {
    super(
      "exchange_rate.expired",
      `Exchange rate expired at ${expiresAt.toISOString()} (now ${now.toISOString()})`,
      { expiresAt: expiresAt.toISOString(), now: now.toISOString() },
    );
    this.name = "ExpiredRateError";
    this.expiresAt = expiresAt;
    this.now = now;
  }
}

/** A rule that must always hold was broken: a bug or corrupted data, never user input. */
export class InvariantError extends DomainError {
  constructor(message: string, details?: DomainErrorDetails, code = "invariant.violated") {
    super(code, message, details);
    this.name = "InvariantError";
  }
}
