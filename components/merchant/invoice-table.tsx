import Link from "next/link";
import { InvoiceStatusBadge } from "@/components/merchant/invoice-status-badge";
import { formatFiat } from "@/lib/format";
import { formatDecimalUnitsTrimmed, getAsset, money } from "@/lib/domain";
import type { DashboardInvoiceRow } from "@/lib/invoices/dashboard-list";
import type { InvoiceSort } from "@/lib/invoices/dashboard-params";

type Props = {
  rows: DashboardInvoiceRow[];
  sort: InvoiceSort;
  dir: "asc" | "desc";
  /** The list URL sorted by `sort` (in the direction a click should give). */
  sortHref: (sort: InvoiceSort) => string;
};

const when = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
const total = (r: DashboardInvoiceRow) => formatFiat(money(r.totalMinor, r.fiatCurrency) as never);
const cryptoAmount = (r: DashboardInvoiceRow) => `${formatDecimalUnitsTrimmed(r.cryptoAmount, getAsset(r.cryptoCurrency).decimals)} ${r.cryptoCurrency}`;

function SortLink({ label, sort, current, dir, href, className }: { label: string; sort: InvoiceSort; current: InvoiceSort; dir: "asc" | "desc"; href: string; className?: string }) {
  const active = sort === current;
  return (
    <Link
      href={href}
      className={`inline-flex items-center gap-1 hover:text-zinc-900 dark:hover:text-zinc-100 ${className ?? ""}`}
      aria-label={`Sort by ${label.toLowerCase()}${active ? (dir === "desc" ? ", currently descending" : ", currently ascending") : ""}`}
    >
      {label}
      <span aria-hidden className={active ? "text-indigo-600 dark:text-indigo-400" : "text-zinc-300 dark:text-zinc-600"}>
        {active ? (dir === "desc" ? "↓" : "↑") : "↕"}
      </span>
    </Link>
  );
}

/** The invoice list: a table from the small breakpoint up, stacked cards below it. */
export function InvoiceTable({ rows, sort, dir, sortHref }: Props) {
  return (
    <div className="overflow-hidden rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="hidden w-full text-left text-sm sm:table" data-testid="invoice-table">
        <thead className="border-b border-zinc-200 bg-zinc-50 text-xs font-medium uppercase tracking-wide text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900/60 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-4 py-2.5">Invoice</th>
            <th scope="col" className="hidden px-4 py-2.5 md:table-cell">Customer</th>
            <th scope="col" className="px-4 py-2.5">
              <SortLink label="Created" sort="created" current={sort} dir={dir} href={sortHref("created")} />
            </th>
            <th scope="col" className="px-4 py-2.5">
              <SortLink label="Status" sort="status" current={sort} dir={dir} href={sortHref("status")} />
            </th>
            <th scope="col" className="px-4 py-2.5 text-right">
              <SortLink label="Total" sort="total" current={sort} dir={dir} href={sortHref("total")} className="justify-end" />
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {rows.map((r) => (
            <tr key={r.id} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/40">
              <td className="max-w-72 px-4 py-3">
                <Link href={`/merchant/invoices/${r.id}`} className="block truncate font-medium text-indigo-600 hover:underline dark:text-indigo-400">
                  {r.title}
                </Link>
                <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">
                  {r.reference ? `${r.reference} · ` : ""}
                  <span className="font-mono">{r.id.slice(0, 8)}</span>
                </p>
              </td>
              <td className="hidden max-w-56 truncate px-4 py-3 text-zinc-600 md:table-cell dark:text-zinc-300">{r.customerEmail ?? <span className="text-zinc-400">—</span>}</td>
              <td className="whitespace-nowrap px-4 py-3 text-zinc-600 dark:text-zinc-300">{when(r.createdAt)}</td>
              <td className="px-4 py-3">
                <InvoiceStatusBadge status={r.status} exception={r.exception === "none" ? undefined : r.exception} />
              </td>
              <td className="whitespace-nowrap px-4 py-3 text-right">
                <span className="font-medium tabular-nums">{total(r)}</span>
                <p className="text-xs tabular-nums text-zinc-500 dark:text-zinc-400">{cryptoAmount(r)}</p>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="divide-y divide-zinc-200 sm:hidden dark:divide-zinc-800" data-testid="invoice-cards">
        {rows.map((r) => (
          <li key={r.id}>
            <Link href={`/merchant/invoices/${r.id}`} className="block space-y-1.5 px-4 py-3 text-sm active:bg-zinc-50 dark:active:bg-zinc-800/40">
              <div className="flex items-start justify-between gap-3">
                <span className="min-w-0 truncate font-medium text-indigo-600 dark:text-indigo-400">{r.title}</span>
                <span className="shrink-0 font-medium tabular-nums">{total(r)}</span>
              </div>
              <div className="flex items-center justify-between gap-3">
                <InvoiceStatusBadge status={r.status} exception={r.exception === "none" ? undefined : r.exception} />
                <span className="text-xs tabular-nums text-zinc-500 dark:text-zinc-400">{cryptoAmount(r)}</span>
              </div>
              <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">
                {when(r.createdAt)}
                {r.reference ? ` · ${r.reference}` : ""}
                {r.customerEmail ? ` · ${r.customerEmail}` : ""}
              </p>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
