import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db";
import { InvoiceFilters } from "@/components/merchant/invoice-filters";
import { InvoiceTable } from "@/components/merchant/invoice-table";
import { secondaryButtonClass } from "@/components/ui/form";
import { requireMerchant } from "@/lib/auth/current-merchant";
import { hasAnyInvoice, listDashboardInvoices } from "@/lib/invoices/dashboard-list";
import { invoiceQueryString, parseInvoiceListQuery, type InvoiceSort } from "@/lib/invoices/dashboard-params";

export const metadata: Metadata = { title: "Invoices" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function toSearchParams(raw: Record<string, string | string[] | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(raw)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) params.set(k, first);
  }
  return params;
}

export default async function InvoicesPage({ searchParams }: { searchParams: SearchParams }) {
  const merchant = await requireMerchant("/merchant/invoices");
  const { query, errors, values } = parseInvoiceListQuery(toSearchParams(await searchParams));
  const invalid = Object.keys(errors).length > 0;
  const db = await getDb();
  const [page, any] = invalid
    ? [null, true]
    : await Promise.all([listDashboardInvoices(db, merchant.id, query), hasAnyInvoice(db, merchant.id, query.mode)]);
  const filtered = Boolean(query.q || query.status || query.currency || query.from || query.toExclusive || query.customer);
  const href = (patch: Parameters<typeof invoiceQueryString>[1]) => `/merchant/invoices${invoiceQueryString(query, { after: undefined, before: undefined, ...patch })}`;
  // A click on the current sort flips its direction; another sort starts newest/largest first.
  const sortHref = (sort: InvoiceSort) =>
    href({ sort: sort === "created" ? undefined : sort, dir: sort === query.sort && query.dir === "desc" ? "asc" : undefined });
  const exportHref = `/merchant/invoices/export${invoiceQueryString(query, { after: undefined, before: undefined })}`;
  const modeTab = (mode: "live" | "test", label: string) => (
    <Link
      href={mode === "live" ? "/merchant/invoices" : "/merchant/invoices?mode=test"}
      aria-current={query.mode === mode ? "page" : undefined}
      className={`rounded-md px-3 py-1.5 text-sm font-medium ${
        query.mode === mode ? "bg-white shadow-sm dark:bg-zinc-700" : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
      }`}
    >
      {label}
    </Link>
  );

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Invoices</h1>
          <p className="mt-1 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
            Every invoice your API keys and payment links created. Test mode shows the invoices paid on test networks.
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <nav aria-label="Mode" className="inline-flex rounded-lg bg-zinc-100 p-1 dark:bg-zinc-800">
            {modeTab("live", "Live")}
            {modeTab("test", "Test")}
          </nav>
          {!invalid && any && (
            <a href={exportHref} className={secondaryButtonClass} download>
              Export CSV
            </a>
          )}
        </div>
      </div>

      {(invalid || any) && <InvoiceFilters values={values} errors={errors} mode={query.mode} />}

      {invalid ? (
        <div role="alert" className="rounded-xl border border-rose-200 bg-rose-50 p-4 text-sm text-rose-800 dark:border-rose-500/30 dark:bg-rose-500/10 dark:text-rose-200">
          Some filters are not valid: {Object.values(errors).join(" ")} Correct them above and apply again.
        </div>
      ) : !any ? (
        <div className="rounded-xl border border-dashed border-zinc-300 p-10 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400" data-testid="invoices-empty">
          <p className="font-medium text-zinc-900 dark:text-zinc-100">No {query.mode} invoices yet.</p>
          <p className="mt-1">
            Create one with the <Link href="/docs/api" className="text-indigo-600 hover:underline dark:text-indigo-400">API</Link> or share a{" "}
            <Link href="/merchant/payment-links" className="text-indigo-600 hover:underline dark:text-indigo-400">payment link</Link>
            {query.mode === "live" ? (
              <>
                , or look at your <Link href="/merchant/invoices?mode=test" className="text-indigo-600 hover:underline dark:text-indigo-400">test invoices</Link>.
              </>
            ) : (
              "."
            )}
          </p>
        </div>
      ) : page!.rows.length === 0 ? (
        <div className="rounded-xl border border-dashed border-zinc-300 p-10 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400" data-testid="invoices-no-results">
          <p className="font-medium text-zinc-900 dark:text-zinc-100">{filtered ? "No invoices match these filters." : "No more invoices."}</p>
          <p className="mt-1">
            <Link href={query.mode === "test" ? "/merchant/invoices?mode=test" : "/merchant/invoices"} className="text-indigo-600 hover:underline dark:text-indigo-400">
              Clear the filters
            </Link>{" "}
            to see all {query.mode} invoices.
          </p>
        </div>
      ) : (
        <section aria-label="Invoice list" className="space-y-3">
          <InvoiceTable rows={page!.rows} sort={query.sort} dir={query.dir} sortHref={sortHref} />
          <nav aria-label="Pages" className="flex items-center justify-between gap-2 text-sm">
            <span className="text-zinc-500 dark:text-zinc-400">
              {page!.rows.length} invoice{page!.rows.length === 1 ? "" : "s"} on this page
            </span>
            <span className="flex gap-2">
              {query.after || query.before ? (
                <Link href={href({})} className={secondaryButtonClass}>
                  First
                </Link>
              ) : null}
              {page!.prevCursor ? (
                <Link href={href({ before: page!.prevCursor })} className={secondaryButtonClass} rel="prev">
                  ← Previous
                </Link>
              ) : null}
              {page!.nextCursor ? (
                <Link href={href({ after: page!.nextCursor })} className={secondaryButtonClass} rel="next">
                  Next →
                </Link>
              ) : null}
            </span>
          </nav>
        </section>
      )}
    </div>
  );
}
