// Money is an integer count of the asset's minor unit (cents, satoshis, wei) plus the
// asset code. Amounts are bigint end to end: floats can't represent 0.1 USD or 1 wei.
import { getAsset, type AssetCode } from "./assets";
import { formatDecimalUnits, formatDecimalUnitsTrimmed, parseDecimalUnits } from "./decimal";
import { CurrencyMismatchError, InvalidAmountError } from "./errors";
import { divideRounded, type Rounding } from "./rounding";

export interface Money {
  /** Minor units; may be negative only as an intermediate result (e.g. a difference). */
  readonly amount: bigint;
  readonly asset: AssetCode;
}

/** 1 basis point = 0.01 %; 10 000 bps = 100 %. */
export const BASIS_POINTS_PER_WHOLE = 10_000n;

export function money(amount: bigint, asset: AssetCode): Money {
  // Runtime check too: a JSON number or string sneaking in here would silently lose precision.
  if (typeof amount !== "bigint") {
    throw new InvalidAmountError("Money amount must be a bigint count of minor units", {
      amount: String(amount),
      asset,
    });
  }
  getAsset(asset);
  return Object.freeze({ amount, asset });
}

export function zeroMoney(asset: AssetCode): Money {
  return money(0n, asset);
}

export interface ParseMoneyOptions {
  /** Negative amounts are refused unless explicitly allowed (e.g. for adjustments). */
  readonly allowNegative?: boolean;
}

/** Exact: parseMoney("12.34", "USD") → 1234n cents. Never rounds; refuses what it can't represent. */
export function parseMoney(input: string, asset: AssetCode, options: ParseMoneyOptions = {}): Money {
  const { decimals } = getAsset(asset);
  const parsed = parseDecimalUnits(input, decimals, options);
  if (!parsed.ok) {
    throw new InvalidAmountError(`Invalid ${asset} amount "${String(input)}": ${parsed.reason}`, {
      input: String(input),
      asset,
      reason: parsed.reason,
      maxDecimals: decimals,
    });
  }
  return money(parsed.units, asset);
}

/** Decimal string with exactly the asset's decimals: 1230n USD → "12.30". */
export function formatMoney(m: Money): string {
  return formatDecimalUnits(m.amount, getAsset(m.asset).decimals);
}

/** Decimal string without trailing zeros: 1230n USD → "12.3", 1n ETH → "0.000000000000000001". */
export function formatMoneyTrimmed(m: Money): string {
  return formatDecimalUnitsTrimmed(m.amount, getAsset(m.asset).decimals);
}

export function assertSameAsset(a: Money, b: Money): void {
  if (a.asset !== b.asset) throw new CurrencyMismatchError(a.asset, b.asset);
}

export function addMoney(a: Money, b: Money): Money {
  assertSameAsset(a, b);
  return money(a.amount + b.amount, a.asset);
}

export function subtractMoney(a: Money, b: Money): Money {
  assertSameAsset(a, b);
  return money(a.amount - b.amount, a.asset);
}

export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  assertSameAsset(a, b);
  if (a.amount < b.amount) return -1;
  return a.amount > b.amount ? 1 : 0;
}

/** Same asset and amount; unlike compareMoney, different assets are simply unequal. */
export function equalsMoney(a: Money, b: Money): boolean {
  return a.asset === b.asset && a.amount === b.amount;
}

export function isZero(m: Money): boolean {
  return m.amount === 0n;
}

export function isPositive(m: Money): boolean {
  return m.amount > 0n;
}

export function isNegative(m: Money): boolean {
  return m.amount < 0n;
}

export function maxMoney(a: Money, b: Money): Money {
  return compareMoney(a, b) >= 0 ? a : b;
}

export function minMoney(a: Money, b: Money): Money {
  return compareMoney(a, b) <= 0 ? a : b;
}

/** Sum of `list`, all of which must be in `asset`; an empty list sums to zero. */
export function sumMoney(list: readonly Money[], asset: AssetCode): Money {
  let total = zeroMoney(asset);
  for (const item of list) total = addMoney(total, item);
  return total;
}

export function multiplyMoney(m: Money, quantity: bigint): Money {
  if (typeof quantity !== "bigint") {
    throw new InvalidAmountError("Quantity must be a bigint", { quantity: String(quantity) });
  }
  return money(m.amount * quantity, m.asset);
}

/** m × basisPoints / 10 000, rounded as asked (e.g. 250 bps of 10.00 USD = 0.25 USD). */
export function percentOf(m: Money, basisPoints: bigint, rounding: Rounding): Money {
  if (typeof basisPoints !== "bigint" || basisPoints < 0n) {
    throw new InvalidAmountError("Basis points must be a non-negative bigint", {
      basisPoints: String(basisPoints),
    });
  }
  return money(divideRounded(m.amount * basisPoints, BASIS_POINTS_PER_WHOLE, rounding), m.asset);
}

export function assertPositiveMoney(m: Money, field = "amount"): void {
  if (!isPositive(m)) {
    throw new InvalidAmountError(`${field} must be positive, got ${formatMoney(m)} ${m.asset}`, {
      field,
      amount: formatMoney(m),
      asset: m.asset,
    });
  }
}

export function assertNonNegativeMoney(m: Money, field = "amount"): void {
  if (isNegative(m)) {
    throw new InvalidAmountError(`${field} must not be negative, got ${formatMoney(m)} ${m.asset}`, {
      field,
      amount: formatMoney(m),
      asset: m.asset,
    });
  }
}
