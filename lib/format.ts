import { formatMoney, type FiatCurrency, type Money } from "@/lib/domain";

/** "$1,234.50" from minor units, exactly: the decimal string is formatted, never a float. */
export function formatFiat(amount: Money & { asset: FiatCurrency }, locale = "en-US"): string {
  const fmt = new Intl.NumberFormat(locale, { style: "currency", currency: amount.asset });
  // Intl formats a decimal string exactly (no conversion to a binary float).
  return fmt.format(formatMoney(amount) as unknown as number);
}

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
/** 1_200_000 → "1.2M", for quota counts (which are counts, not money). */
export function formatCount(n: number): string {
  return compact.format(n);
}

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
export function formatRelativeTime(date: Date, now = new Date()): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  // Round the magnitude, then choose the unit, so 59.5 minutes reads "in 1 hour", not "in 60 minutes",
  // and the past and future round alike.
  const sign = Math.sign(seconds) || 1;
  const abs = Math.abs(seconds);
  const minutes = Math.round(abs / 60);
  const hours = Math.round(abs / 3600);
  if (abs < 60) return relative.format(seconds, "second");
  if (minutes < 60) return relative.format(sign * minutes, "minute");
  if (hours < 24) return relative.format(sign * hours, "hour");
  return relative.format(sign * Math.round(abs / 86_400), "day");
}
