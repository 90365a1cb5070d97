// A fiat→crypto exchange rate locked onto an invoice.
//
// CONVENTION: `rate` is the price of ONE WHOLE crypto unit expressed in the fiat currency,
// as a decimal string. { from: "USD", to: "BTC", rate: "97000.12" } means 1 BTC = 97 000.12 USD.
// (This is how every price feed quotes it, so no inversion — and no inversion rounding — is needed.)
import {
  isCrypto,
  isFiat,
  minorUnitsPerUnit,
  type CryptoCurrency,
  type FiatCurrency,
} from "./assets";
import { parseDecimalUnits } from "./decimal";
import { CurrencyMismatchError, DomainError, ExpiredRateError, InvalidAmountError } from "./errors";
import { money, type Money } from "./money";
import { divideRounded } from "./rounding";

/** Feeds quote up to 18 fractional digits; more would be noise, not precision. */
export const RATE_MAX_DECIMALS = 18;

export interface ExchangeRate {
  readonly from: FiatCurrency;
  readonly to: CryptoCurrency;
  /** Fiat price of 1 whole `to` unit, e.g. "97000.12" (USD per BTC). Positive, ≤ 18 decimals. */
  readonly rate: string;
  readonly source: string;
  readonly lockedAt: Date;
  readonly expiresAt: Date;
}

/** The rate as an exact fraction: rate = numerator / denominator. */
export interface RateFraction {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

function invalidRate(message: string, details: Record<string, unknown>): DomainError {
  return new DomainError("exchange_rate.invalid", message, details);
}

function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

export function rateToFraction(rate: string): RateFraction {
  const parsed = parseDecimalUnits(rate, RATE_MAX_DECIMALS);
  if (!parsed.ok) {
    throw invalidRate(`Invalid exchange rate "${String(rate)}": ${parsed.reason}`, {
      rate: String(rate),
      reason: parsed.reason,
    });
  }
  if (parsed.units <= 0n) {
    throw invalidRate(`Exchange rate must be positive, got "${rate}"`, { rate });
  }
  // Scale by the digits actually written so "50000" stays 50000/1, not 5·10^22/10^18.
  const padding = 10n ** BigInt(RATE_MAX_DECIMALS - parsed.fractionDigits);
  return { numerator: parsed.units / padding, denominator: 10n ** BigInt(parsed.fractionDigits) };
}

/** Structural validation (everything except "not expired yet", which depends on `now`). */
export function createExchangeRate(input: ExchangeRate): ExchangeRate {
  const { from, to, rate, source, lockedAt, expiresAt } = input;
  if (!isFiat(from)) throw invalidRate(`"${from}" is not a fiat currency`, { from });
  if (!isCrypto(to)) throw invalidRate(`"${to}" is not a crypto currency`, { to });
  rateToFraction(rate);
  if (typeof source !== "string" || source.trim() === "") {
    throw invalidRate("Exchange rate source is required", { source: String(source) });
  }
  if (!isValidDate(lockedAt) || !isValidDate(expiresAt)) {
    throw invalidRate("lockedAt and expiresAt must be valid dates", {});
  }
  if (expiresAt.getTime() <= lockedAt.getTime()) {
    throw invalidRate("expiresAt must be after lockedAt", {
      lockedAt: lockedAt.toISOString(),
      expiresAt: expiresAt.toISOString(),
    });
  }
  // Copy the dates: Date is mutable and this value object must not be.
  return Object.freeze({
    from,
    to,
    rate,
    source,
    lockedAt: new Date(lockedAt.getTime()),
    expiresAt: new Date(expiresAt.getTime()),
  });
}

/** A rate is expired from the instant `expiresAt` is reached (the boundary is exclusive). */
export function isRateExpired(rate: ExchangeRate, now: Date): boolean {
  return now.getTime() >= rate.expiresAt.getTime();
}

/** Re-validates the structure (rates may come from storage) and refuses an expired rate. */
export function assertRateValid(rate: ExchangeRate, now: Date): void {
  createExchangeRate(rate);
  if (isRateExpired(rate, now)) throw new ExpiredRateError(rate.expiresAt, now);
}

/**
 * Amount of crypto the customer must send for `fiat`, rounded UP to the crypto's smallest
 * unit so the merchant is never short:
 *   cryptoMinor = ceil(fiatMinor · 10^cryptoDecimals · denominator / (10^fiatDecimals · numerator))
 * Refuses an expired rate: quoting a customer on a stale price is the failure we lock rates against.
 */
export function convertFiatToCrypto(fiat: Money, rate: ExchangeRate, now: Date): Money {
  assertRateValid(rate, now);
  if (fiat.asset !== rate.from) throw new CurrencyMismatchError(fiat.asset, rate.from);
  if (fiat.amount < 0n) {
    throw new InvalidAmountError("Cannot convert a negative amount", { amount: fiat.amount.toString() });
  }
  const { numerator, denominator } = rateToFraction(rate.rate);
  const cryptoMinor = divideRounded(
    fiat.amount * minorUnitsPerUnit(rate.to) * denominator,
    minorUnitsPerUnit(rate.from) * numerator,
    "up",
  );
  return money(cryptoMinor, rate.to);
}

/**
 * Fiat value of `crypto` at `rate`, rounded DOWN to the fiat minor unit. For display and
 * analytics only, so an expired (historical) rate is accepted.
 */
export function convertCryptoToFiat(crypto: Money, rate: ExchangeRate): Money {
  createExchangeRate(rate);
  if (crypto.asset !== rate.to) throw new CurrencyMismatchError(crypto.asset, rate.to);
  const { numerator, denominator } = rateToFraction(rate.rate);
  const fiatMinor = divideRounded(
    crypto.amount * minorUnitsPerUnit(rate.from) * numerator,
    minorUnitsPerUnit(rate.to) * denominator,
    "down",
  );
  return money(fiatMinor, rate.from);
}
