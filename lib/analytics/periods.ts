import type { AnalyticsBucket, AnalyticsRange } from "./merchant-analytics";

// The periods the analytics page offers, as UTC ranges ending with the current bucket, so the
// last point on a chart is "today" (or "this month") and every bucket but the first is whole.

export const ANALYTICS_PERIODS = ["7d", "30d", "90d", "12m"] as const;
export type AnalyticsPeriod = (typeof ANALYTICS_PERIODS)[number];
export const DEFAULT_ANALYTICS_PERIOD: AnalyticsPeriod = "30d";

export const ANALYTICS_PERIOD_LABELS: Record<AnalyticsPeriod, { short: string; long: string }> = {
  "7d": { short: "7 days", long: "the last 7 days" },
  "30d": { short: "30 days", long: "the last 30 days" },
  "90d": { short: "90 days", long: "the last 90 days" },
  "12m": { short: "12 months", long: "the last 12 months" },
};

export const ANALYTICS_MODES = ["live", "test"] as const;
export type AnalyticsMode = (typeof ANALYTICS_MODES)[number];

const DAY_MS = 86_400_000;

function startOfUtcDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

/** The range a period covers at `now`: whole UTC days (today included) or whole calendar months. */
export function analyticsPeriodRange(period: AnalyticsPeriod, now = new Date()): AnalyticsRange {
  if (period === "12m") {
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1));
    return { from, to, bucket: "month" };
  }
  const days = period === "7d" ? 7 : period === "30d" ? 30 : 90;
  // Ninety daily bars are too thin on a phone: weeks instead (the first week is partial).
  const bucket: AnalyticsBucket = period === "90d" ? "week" : "day";
  const to = new Date(startOfUtcDay(now).getTime() + DAY_MS);
  return { from: new Date(to.getTime() - days * DAY_MS), to, bucket };
}

export type AnalyticsParams = { period: AnalyticsPeriod; mode: AnalyticsMode; notice: string | null };

/** ?period= and ?mode= from the URL; anything unknown falls back to the default with a notice. */
export function parseAnalyticsParams(params: Record<string, string | string[] | undefined>): AnalyticsParams {
  const rawPeriod = first(params.period);
  const rawMode = first(params.mode);
  const notices: string[] = [];
  let period = DEFAULT_ANALYTICS_PERIOD;
  if (rawPeriod !== undefined) {
    if ((ANALYTICS_PERIODS as readonly string[]).includes(rawPeriod)) period = rawPeriod as AnalyticsPeriod;
    else notices.push(`Unknown period "${truncate(rawPeriod)}": showing ${ANALYTICS_PERIOD_LABELS[period].long}.`);
  }
  let mode: AnalyticsMode = "live";
  if (rawMode !== undefined) {
    if ((ANALYTICS_MODES as readonly string[]).includes(rawMode)) mode = rawMode as AnalyticsMode;
    else notices.push(`Unknown mode "${truncate(rawMode)}": showing live invoices.`);
  }
  return { period, mode, notice: notices.length > 0 ? notices.join(" ") : null };
}

export function analyticsHref(params: { period: AnalyticsPeriod; mode: AnalyticsMode }): string {
  const query = new URLSearchParams();
  if (params.period !== DEFAULT_ANALYTICS_PERIOD) query.set("period", params.period);
  if (params.mode !== "live") query.set("mode", params.mode);
  const s = query.toString();
  return s ? `/merchant/analytics?${s}` : "/merchant/analytics";
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function truncate(value: string): string {
  return value.length > 20 ? `${value.slice(0, 20)}…` : value;
}
