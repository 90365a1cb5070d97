import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db";
import { AnalyticsCharts } from "@/components/merchant/analytics-charts";
import { AnalyticsControls } from "@/components/merchant/analytics-controls";
import { AnalyticsReceived } from "@/components/merchant/analytics-received";
import { AnalyticsStatusBreakdown } from "@/components/merchant/analytics-status-breakdown";
import { AnalyticsTiles } from "@/components/merchant/analytics-tiles";
import { formatRangeUtc } from "@/lib/analytics/format";
import { merchantInvoiceModes } from "@/lib/analytics/invoice-modes";
import { computeMerchantAnalytics } from "@/lib/analytics/merchant-analytics";
import { analyticsHref, analyticsPeriodRange, ANALYTICS_PERIOD_LABELS, parseAnalyticsParams } from "@/lib/analytics/periods";
import { requireMerchant } from "@/lib/auth/current-merchant";

export const metadata: Metadata = { title: "Analytics" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AnalyticsPage({ searchParams }: { searchParams: SearchParams }) {
  const merchant = await requireMerchant("/merchant/analytics");
  const { period, mode, notice } = parseAnalyticsParams(await searchParams);
  const range = analyticsPeriodRange(period);
  const db = await getDb();
  const [modes, report] = await Promise.all([
    merchantInvoiceModes(db, merchant.id),
    computeMerchantAnalytics(db, merchant.id, range, { livemode: mode === "live" }),
  ]);
  const hasInvoices = mode === "live" ? modes.live : modes.test;
  const otherMode = mode === "live" ? "test" : "live";
  const otherHas = mode === "live" ? modes.test : modes.live;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Analytics</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            {mode === "live" ? "Live" : "Test"} invoices, {ANALYTICS_PERIOD_LABELS[period].long}:{" "}
            <span className="whitespace-nowrap">{formatRangeUtc(range.from, range.to)}</span>
          </p>
        </div>
        <AnalyticsControls period={period} mode={mode} />
      </div>

      {notice && (
        <p role="status" className="rounded-xl border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-100">
          {notice}
        </p>
      )}

      {!hasInvoices ? (
        <div className="rounded-xl border border-dashed border-zinc-300 px-6 py-12 text-center dark:border-zinc-700" data-testid="analytics-empty">
          <h2 className="font-semibold">No {mode} invoices yet</h2>
          <p className="mx-auto mt-2 max-w-md text-sm text-zinc-600 dark:text-zinc-400">
            Revenue, conversion and payment times appear here once you create invoices
            {mode === "live" ? " with a live API key or payment link" : " with a test API key or payment link"}.
          </p>
          <div className="mt-4 flex flex-wrap justify-center gap-3 text-sm font-medium">
            {otherHas && (
              <Link href={analyticsHref({ period, mode: otherMode })} className="text-indigo-600 hover:underline dark:text-indigo-400">
                See your {otherMode} invoices
              </Link>
            )}
            <Link href="/merchant/payment-links" className="text-indigo-600 hover:underline dark:text-indigo-400">Create a payment link</Link>
            <Link href="/docs/api" className="text-indigo-600 hover:underline dark:text-indigo-400">Read the API docs</Link>
          </div>
        </div>
      ) : (
        <>
          <AnalyticsTiles metrics={report.metrics} />
          <AnalyticsCharts series={report.timeSeries} bucket={range.bucket} />
          <div className="grid gap-4 lg:grid-cols-2">
            <AnalyticsStatusBreakdown byStatus={report.metrics.invoicesByStatus} total={report.metrics.invoicesCreated} />
            <AnalyticsReceived metrics={report.metrics} />
          </div>
          <details className="rounded-xl border border-zinc-200 bg-white p-4 text-sm sm:p-5 dark:border-zinc-800 dark:bg-zinc-900">
            <summary className="cursor-pointer font-medium">How these figures are counted</summary>
            <ul className="mt-3 list-disc space-y-1.5 pl-5 text-zinc-600 dark:text-zinc-400">
              <li>All dates are UTC; days start at midnight UTC, weeks on Monday.</li>
              <li>
                Revenue is the invoiced amount of the invoices paid in the period, counted when they were paid, per currency. Refunded
                invoices and money that arrived after an invoice expired are not revenue.
              </li>
              <li>Invoice counts and statuses cover the invoices created in the period.</li>
              <li>
                Conversion is the share of the period&apos;s invoices that were paid, among those that are closed (paid, refunded,
                expired or cancelled); open invoices are not counted yet.
              </li>
              <li>Time to pay runs from an invoice&apos;s creation to its payment being confirmed.</li>
            </ul>
          </details>
        </>
      )}
    </div>
  );
}
