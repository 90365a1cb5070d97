import { formatDecimalUnitsTrimmed, formatMoney, getAsset, money, type CryptoCurrency, type FiatCurrency } from "@/lib/domain";
import type { AnalyticsBucket } from "./merchant-analytics";

// Display formats of the analytics page. Amounts go to Intl as exact decimal strings, never as
// floats (Intl.NumberFormat formats a numeric string without converting it to a binary number).

const DAY_LABEL = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric" });
const MONTH_LABEL = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", year: "numeric" });
const MONTH_ONLY = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short" });

/** A bucket's name for tables and tooltips: "Mar 2", "Week of Mar 2", "Mar 2026". */
export function bucketLabel(start: Date, bucket: AnalyticsBucket): string {
  if (bucket === "month") return MONTH_LABEL.format(start);
  return bucket === "week" ? `Week of ${DAY_LABEL.format(start)}` : DAY_LABEL.format(start);
}

/** A bucket's short name under a chart axis: "Mar 2", "Mar". */
export function bucketTick(start: Date, bucket: AnalyticsBucket): string {
  return bucket === "month" ? MONTH_ONLY.format(start) : DAY_LABEL.format(start);
}

/** "45 s", "4 min 12 s", "2 h 5 min", "3 d 4 h": two units at most. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const join = (a: number, ua: string, b: number, ub: string) => (b > 0 ? `${a} ${ua} ${b} ${ub}` : `${a} ${ua}`);
  if (s < 3600) return join(Math.floor(s / 60), "min", s % 60, "s");
  if (s < 86_400) return join(Math.floor(s / 3600), "h", Math.floor((s % 3600) / 60), "min");
  return join(Math.floor(s / 86_400), "d", Math.floor((s % 86_400) / 3600), "h");
}

const PERCENT = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });
export function formatRate(rate: number): string {
  return PERCENT.format(rate);
}

/** Axis labels: "$20", "$0.40", "$1.2M": whole units without cents where they are zero. */
export function formatFiatAxis(amount: bigint, currency: FiatCurrency): string {
  const decimal = formatMoney(money(amount, currency));
  const whole = amount % 100n === 0n;
  const compact = amount >= 100_000_00n;
  const fmt = new Intl.NumberFormat("en-US", {
    style: "currency",
    currency,
    notation: compact ? "compact" : "standard",
    minimumFractionDigits: whole || compact ? 0 : 2,
    maximumFractionDigits: compact ? 1 : whole ? 0 : 2,
  });
  return fmt.format(decimal as unknown as number);
}

/** "0.0072 BTC": the asset's smallest units as a trimmed decimal with its code. */
export function formatCrypto(amount: bigint, asset: CryptoCurrency): string {
  return `${formatDecimalUnitsTrimmed(amount, getAsset(asset).decimals)} ${asset}`;
}

const RANGE_DAY = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric", year: "numeric" });
/** "Nov 3, 2026 – Dec 2, 2026 (UTC)" for the half-open range [from, to). */
export function formatRangeUtc(from: Date, to: Date): string {
  return `${RANGE_DAY.format(from)} – ${RANGE_DAY.format(new Date(to.getTime() - 1))} (UTC)`;
}
