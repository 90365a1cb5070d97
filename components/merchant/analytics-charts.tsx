import { BarChart } from "@/components/charts/bar-chart";
import { bucketLabel, bucketTick, formatFiatAxis } from "@/lib/analytics/format";
import type { AnalyticsBucket, AnalyticsPoint } from "@/lib/analytics/merchant-analytics";
import { FIAT_CURRENCIES, money } from "@/lib/domain";
import { formatFiat } from "@/lib/format";

const BUCKET_NOUN: Record<AnalyticsBucket, string> = { day: "day", week: "week", month: "month" };

/** Revenue (one chart per fiat currency earned) and invoices per bucket. */
export function AnalyticsCharts({ series, bucket }: { series: readonly AnalyticsPoint[]; bucket: AnalyticsBucket }) {
  const labels = series.map((p) => bucketLabel(p.start, bucket));
  const ticks = series.map((p) => bucketTick(p.start, bucket));
  const span = labels.length > 0 ? `${labels[0]} to ${labels[labels.length - 1]}` : "";
  const currencies = FIAT_CURRENCIES.filter((c) => series.some((p) => p.revenue[c] !== undefined));
  const created = series.map((p) => BigInt(p.invoices));
  const paid = series.map((p) => BigInt(p.paid));
  const totalCreated = series.reduce((n, p) => n + p.invoices, 0);
  const totalPaid = series.reduce((n, p) => n + p.paid, 0);
  const noun = BUCKET_NOUN[bucket];

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {currencies.length === 0 ? (
        <section aria-labelledby="revenue-empty" className="flex flex-col rounded-xl border border-zinc-200 bg-white p-4 sm:p-5 dark:border-zinc-800 dark:bg-zinc-900">
          <h2 id="revenue-empty" className="font-semibold">Revenue per {noun}</h2>
          <p className="grid flex-1 place-items-center py-10 text-center text-sm text-zinc-600 dark:text-zinc-400">
            No invoices were paid in this period.
          </p>
        </section>
      ) : (
        currencies.map((c) => {
          const values = series.map((p) => p.revenue[c] ?? 0n);
          const total = values.reduce((a, b) => a + b, 0n);
          return (
            <BarChart
              key={c}
              id={`revenue-${c.toLowerCase()}`}
              title={currencies.length > 1 ? `Revenue per ${noun} · ${c}` : `Revenue per ${noun}`}
              summary={`Revenue in ${c} per ${noun}, ${span}: ${formatFiat(money(total, c) as never)} in total.`}
              labels={labels}
              ticks={ticks}
              series={[{ name: `Revenue (${c})`, values, tone: "emerald" }]}
              formatValue={(v) => formatFiatAxis(v, c)}
              formatDetail={(v) => formatFiat(money(v, c) as never)}
            />
          );
        })
      )}
      <BarChart
        id="invoices"
        title={`Invoices per ${noun}`}
        summary={`Invoices per ${noun}, ${span}: ${totalCreated} created, ${totalPaid} paid.`}
        labels={labels}
        ticks={ticks}
        series={[
          { name: "Created", values: created, tone: "indigo" },
          { name: "Paid", values: paid, tone: "emerald" },
        ]}
        formatValue={(v) => v.toLocaleString("en-US")}
        // Full width when it would otherwise sit alone beside an empty cell.
        className={Math.max(1, currencies.length) % 2 === 0 ? "lg:col-span-2" : ""}
      />
    </div>
  );
}
