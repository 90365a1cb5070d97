import { formatRate } from "@/lib/analytics/format";
import { INVOICE_STATUSES, type InvoiceStatus } from "@/lib/domain";

const STATUS_STYLE: Record<InvoiceStatus, { bar: string; label: string }> = {
  pending: { bar: "bg-sky-500 dark:bg-sky-400", label: "Pending" },
  partial: { bar: "bg-amber-500 dark:bg-amber-400", label: "Partly paid" },
  confirming: { bar: "bg-indigo-500 dark:bg-indigo-400", label: "Confirming" },
  paid: { bar: "bg-emerald-500 dark:bg-emerald-400", label: "Paid" },
  expired: { bar: "bg-zinc-400 dark:bg-zinc-500", label: "Expired" },
  cancelled: { bar: "bg-zinc-300 dark:bg-zinc-600", label: "Cancelled" },
  refunded: { bar: "bg-rose-500 dark:bg-rose-400", label: "Refunded" },
};

/** Invoices created in the period by their status now: a proportional bar and the counts. */
export function AnalyticsStatusBreakdown({ byStatus, total }: { byStatus: Record<InvoiceStatus, number>; total: number }) {
  return (
    <section aria-labelledby="by-status" className="rounded-xl border border-zinc-200 bg-white p-4 sm:p-5 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="by-status" className="font-semibold">Invoices by status</h2>
      <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">Invoices created in the period, by their status now.</p>
      {total === 0 ? (
        <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">No invoices were created in this period.</p>
      ) : (
        <>
          <div aria-hidden className="mt-4 flex h-3 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800">
            {INVOICE_STATUSES.filter((s) => byStatus[s] > 0).map((s) => (
              <div key={s} className={STATUS_STYLE[s].bar} style={{ width: `${(byStatus[s] / total) * 100}%` }} />
            ))}
          </div>
          <ul className="mt-4 grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2" data-testid="status-list">
            {INVOICE_STATUSES.map((s) => (
              <li key={s} className="flex items-center justify-between gap-3" data-status={s}>
                <span className="flex items-center gap-2">
                  <span aria-hidden className={`size-2.5 rounded-sm ${STATUS_STYLE[s].bar}`} />
                  {STATUS_STYLE[s].label}
                </span>
                <span className="tabular-nums text-zinc-600 dark:text-zinc-300">
                  <span className="font-medium text-zinc-900 dark:text-zinc-100">{byStatus[s].toLocaleString("en-US")}</span>
                  <span className="ml-2 inline-block w-12 text-right text-xs text-zinc-500 dark:text-zinc-400">{formatRate(byStatus[s] / total)}</span>
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
