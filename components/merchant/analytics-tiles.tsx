import { formatDuration, formatRate } from "@/lib/analytics/format";
import type { AnalyticsMetricsReport } from "@/lib/analytics/merchant-analytics";
import { FIAT_CURRENCIES, money } from "@/lib/domain";
import { formatFiat } from "@/lib/format";

function Tile({ label, children, note, testId }: { label: string; children: React.ReactNode; note: React.ReactNode; testId: string }) {
  return (
    <div className="flex min-w-0 flex-col rounded-xl border border-zinc-200 bg-white p-3.5 sm:p-5 dark:border-zinc-800 dark:bg-zinc-900" data-testid={testId}>
      <dt className="text-sm font-medium text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className="mt-2 flex-1 text-xl font-semibold tracking-tight tabular-nums [overflow-wrap:anywhere] sm:text-2xl">{children}</dd>
      <dd className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{note}</dd>
    </div>
  );
}

/** The four headline figures of a MerchantAnalytics report. */
export function AnalyticsTiles({ metrics }: { metrics: AnalyticsMetricsReport }) {
  const revenue = FIAT_CURRENCIES.flatMap((c) => {
    const amount = metrics.revenueByCurrency[c];
    return amount === undefined ? [] : [{ currency: c, text: formatFiat(money(amount, c) as never) }];
  });
  const open = metrics.invoicesByStatus.pending + metrics.invoicesByStatus.partial + metrics.invoicesByStatus.confirming;
  const { conversion } = metrics;
  return (
    <dl className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4">
      <Tile
        label="Revenue"
        testId="tile-revenue"
        note={metrics.invoicesPaid === 1 ? "From 1 paid invoice" : `From ${metrics.invoicesPaid} paid invoices`}
      >
        {revenue.length === 0 ? (
          <span className="text-zinc-400 dark:text-zinc-500">—</span>
        ) : (
          <ul className="space-y-0.5">
            {revenue.map((r) => (
              <li key={r.currency} className={revenue.length > 1 ? "text-lg sm:text-xl" : undefined}>{r.text}</li>
            ))}
          </ul>
        )}
      </Tile>
      <Tile label="Invoices created" testId="tile-invoices" note={`${metrics.invoicesByStatus.paid} paid · ${open} open`}>
        {metrics.invoicesCreated.toLocaleString("en-US")}
      </Tile>
      <Tile
        label="Conversion"
        testId="tile-conversion"
        note={conversion.settled === 0 ? "No invoice has reached a final state yet" : `${conversion.converted} of ${conversion.settled} closed invoices paid`}
      >
        {conversion.rate === null ? <span className="text-zinc-400 dark:text-zinc-500">—</span> : formatRate(conversion.rate)}
      </Tile>
      <Tile
        label="Average time to pay"
        testId="tile-time-to-pay"
        note={metrics.medianSecondsToPay === null ? "No paid invoices" : `Median ${formatDuration(metrics.medianSecondsToPay)}`}
      >
        {metrics.averageSecondsToPay === null ? <span className="text-zinc-400 dark:text-zinc-500">—</span> : formatDuration(metrics.averageSecondsToPay)}
      </Tile>
    </dl>
  );
}
