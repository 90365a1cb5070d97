import type { Metadata } from "next";
import { PageNav } from "@/components/ui/page-nav";
import Link from "next/link";
import { CustomerStatusBadge } from "@/components/merchant/customer-status-badge";
import { CustomerTotalsLine } from "@/components/merchant/customer-totals";
import { Field, primaryButtonClass, secondaryButtonClass, SelectField } from "@/components/ui/form";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/current-merchant";
import { CUSTOMERS_PAGE_SIZE, listMerchantCustomers, parseCustomerFilters, type CustomerFilters } from "@/lib/customers/dashboard";
import { formatRelativeTime } from "@/lib/format";

export const metadata: Metadata = { title: "Customers" };

function pageHref(filters: CustomerFilters, page: number): string {
  const params = new URLSearchParams();
  if (filters.q) params.set("q", filters.q);
  if (filters.status) params.set("status", filters.status);
  if (page > 1) params.set("page", String(page));
  const qs = params.toString();
  return qs ? `/merchant/customers?${qs}` : "/merchant/customers";
}

export default async function CustomersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const merchant = await requireMerchant("/merchant/customers");
  const filters = parseCustomerFilters(await searchParams);
  const { rows, total } = await listMerchantCustomers(await getDb(), merchant.id, filters);
  const pages = Math.max(1, Math.ceil(total / CUSTOMERS_PAGE_SIZE));
  const filtered = Boolean(filters.q || filters.status);
  const now = new Date();

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Customers</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400" data-testid="customers-total">
          {total === 1 ? "1 customer" : `${total.toLocaleString("en-US")} customers`}
          {filtered ? " match." : ". A customer is created when an invoice names their email."}
        </p>
      </div>

      <form method="get" role="search" aria-label="Filter customers" className="grid grid-cols-2 gap-3 rounded-xl border border-zinc-200 bg-white p-4 sm:grid-cols-4 dark:border-zinc-800 dark:bg-zinc-900">
        <Field name="q" label="Search" type="search" placeholder="Email or name" defaultValue={filters.q ?? ""} className="col-span-2 sm:col-span-3" maxLength={100} />
        <SelectField
          name="status"
          label="Status"
          className="col-span-2 sm:col-span-1"
          defaultValue={filters.status ?? ""}
          options={[{ value: "", label: "Any" }, { value: "active", label: "Active" }, { value: "blocked", label: "Blocked" }, { value: "inactive", label: "Inactive" }]}
        />
        <div className="col-span-2 flex gap-2 sm:col-span-4">
          <button type="submit" className={primaryButtonClass}>Apply</button>
          {filtered && <Link href="/merchant/customers" className={secondaryButtonClass}>Clear</Link>}
        </div>
      </form>

      {rows.length === 0 ? (
        <div className="rounded-xl border border-dashed border-zinc-300 p-10 text-center dark:border-zinc-700" data-testid="customers-empty">
          <p className="font-medium">{total > 0 ? "No customers on this page." : filtered ? "No customer matches these filters." : "No customers yet."}</p>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            {total > 0 ? (
              <Link href={pageHref(filters, 1)} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">Back to the first page</Link>
            ) : filtered ? (
              "Clear a filter to see more."
            ) : (
              "Pass customer_email when you create an invoice, or create customers through the API (POST /api/v1/customers)."
            )}
          </p>
        </div>
      ) : (
        <ul className="divide-y divide-zinc-200 overflow-hidden rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900" data-testid="customer-list">
          {rows.map((c) => (
            <li key={c.id} className="grid gap-2 px-4 py-3 text-sm sm:grid-cols-[1fr_auto_auto] sm:items-center sm:gap-6">
              <div className="min-w-0">
                <Link href={`/merchant/customers/${c.id}`} className="block truncate font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                  {c.name ?? c.email}
                </Link>
                <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">
                  {c.name ? `${c.email} · ` : ""}
                  {c.lastSeenAt ? `seen ${formatRelativeTime(c.lastSeenAt, now)}` : `added ${formatRelativeTime(c.createdAt, now)}`}
                </p>
              </div>
              <div>
                <CustomerStatusBadge status={c.status} />
              </div>
              <div className="sm:text-right">
                <CustomerTotalsLine totals={c.totals} />
              </div>
            </li>
          ))}
        </ul>
      )}

      <PageNav page={filters.page} pages={pages} href={(n) => pageHref(filters, n)} />
    </div>
  );
}
