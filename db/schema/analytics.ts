import { sql } from "drizzle-orm";
import { check, jsonb, pgTable, primaryKey, timestamp, uuid } from "drizzle-orm/pg-core";
import { merchants } from "./merchants";

/** Analytics & Reporting context: generated MerchantAnalytics reports, kept for reuse and audit. */

export type AnalyticsMetrics = {
  revenueByCurrency: Record<string, string>;
  invoicesByStatus: Record<string, number>;
  conversionRate: number;
  averageSecondsToPay: number | null;
};
export type AnalyticsDataPoint = { timestamp: string; invoices: number; paid: number; revenueMinor: Record<string, string> };

export const merchantAnalytics = pgTable(
  "merchant_analytics",
  {
    merchantId: uuid("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    periodStart: timestamp("period_start", { withTimezone: true }).notNull(),
    periodEnd: timestamp("period_end", { withTimezone: true }).notNull(),
    metrics: jsonb("metrics").$type<AnalyticsMetrics>().notNull(),
    timeSeriesData: jsonb("time_series_data").$type<AnalyticsDataPoint[]>().notNull().default([]),
    generatedAt: timestamp("generated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.periodStart, t.periodEnd] }),
    check("merchant_analytics_period_order", sql`${t.periodStart} < ${t.periodEnd}`),
  ],
);
