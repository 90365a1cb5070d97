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
  const abs = Math.abs(seconds);
  if (abs < 60) return relative.format(seconds, "second");
  if (abs < 3600) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), "hour");
  return relative.format(Math.round(seconds / 86_400), "day");
}
