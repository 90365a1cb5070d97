import { formatCrypto } from "@/lib/analytics/format";
import type { AnalyticsMetricsReport } from "@/lib/analytics/merchant-analytics";
import { CRYPTO_CURRENCIES } from "@/lib/domain";

/** Crypto asked for vs received on the paid invoices, and the invoices that need a look. */
export function AnalyticsReceived({ metrics }: { metrics: AnalyticsMetricsReport }) {
  const assets = CRYPTO_CURRENCIES.filter((a) => metrics.invoicedByAsset[a] !== undefined || metrics.receivedByAsset[a] !== undefined);
  const { exceptions } = metrics;
  const flagged = [
    { key: "overpaid", label: "Overpaid", count: exceptions.overpaid, hint: "settled by your overpayment action" },
    { key: "underpaid", label: "Underpaid", count: exceptions.underpaid, hint: "expired short of the amount" },
    { key: "paid_late", label: "Paid late", count: exceptions.paid_late, hint: "money after the deadline, not counted as revenue" },
  ];
  return (
    <section aria-labelledby="received" className="rounded-xl border border-zinc-200 bg-white p-4 sm:p-5 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="received" className="font-semibold">Received vs invoiced</h2>
      <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">Crypto on the invoices paid in the period: what buyers were asked for and what arrived.</p>
      {assets.length === 0 ? (
        <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">No invoices were paid in this period.</p>
      ) : (
        <div className="mt-3 overflow-x-auto">
          <table className="w-full text-left text-sm tabular-nums" data-testid="received-table">
            <thead className="text-xs text-zinc-500 dark:text-zinc-400">
              <tr>
                <th scope="col" className="py-1.5 pr-3 font-medium">Asset</th>
                <th scope="col" className="py-1.5 pr-3 text-right font-medium">Invoiced</th>
                <th scope="col" className="py-1.5 text-right font-medium">Received</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {assets.map((a) => (
                <tr key={a}>
                  <th scope="row" className="py-1.5 pr-3 font-medium">{a}</th>
                  <td className="py-1.5 pr-3 text-right">{formatCrypto(metrics.invoicedByAsset[a] ?? 0n, a)}</td>
                  <td className="py-1.5 text-right">{formatCrypto(metrics.receivedByAsset[a] ?? 0n, a)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3 className="mt-5 text-sm font-semibold">Exceptions</h3>
      <ul className="mt-2 space-y-1.5 text-sm" data-testid="exception-list">
        {flagged.map((f) => (
          <li key={f.key} className="flex items-baseline justify-between gap-3">
            <span>
              {f.label} <span className="text-xs text-zinc-500 dark:text-zinc-400">· {f.hint}</span>
            </span>
            <span className="font-medium tabular-nums">{f.count.toLocaleString("en-US")}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
