import type { Metadata } from "next";
import { PageNav } from "@/components/ui/page-nav";
import Link from "next/link";
import { AccountStatusBadge } from "@/components/admin/account-status-badge";
import { QuotaLevelBadge } from "@/components/store/quota-level-badge";
import { Badge } from "@/components/ui/badge";
import { Field, primaryButtonClass, secondaryButtonClass, SelectField } from "@/components/ui/form";
import { getDb } from "@/db";
import { ADMIN_ACCOUNTS_PAGE_SIZE, listAdminAccounts, parseAdminAccountFilters, type AdminAccountFilters } from "@/lib/accounts/admin-queries";
import { requireAdmin } from "@/lib/auth/current-admin";
import { money } from "@/lib/domain";
import { formatFiat, formatRelativeTime } from "@/lib/format";

export const metadata: Metadata = { title: "Accounts · Admin", robots: { index: false } };

function pageHref(filters: AdminAccountFilters, page: number): string {
  const params = new URLSearchParams();
  for (const key of ["q", "status", "level", "flag"] as const) if (filters[key]) params.set(key, filters[key]!);
  if (page > 1) params.set("page", String(page));
  const qs = params.toString();
  return qs ? `/admin/accounts?${qs}` : "/admin/accounts";
}

export default async function AdminAccountsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin("/admin/accounts");
  const filters = parseAdminAccountFilters(await searchParams);
  const { rows, total } = await listAdminAccounts(await getDb(), filters);
  const pages = Math.max(1, Math.ceil(total / ADMIN_ACCOUNTS_PAGE_SIZE));
  const filtered = Boolean(filters.q || filters.status || filters.level || filters.flag);
  const now = new Date();

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Accounts</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400" data-testid="accounts-total">
            {total === 1 ? "1 account" : `${total.toLocaleString("en-US")} accounts`}{filtered ? " match" : ""}
          </p>
        </div>
        <Link href="/admin/accounts/new" className={primaryButtonClass}>New account</Link>
      </div>

      <form method="get" role="search" aria-label="Filter accounts" className="grid grid-cols-2 gap-3 rounded-xl border border-zinc-200 bg-white p-4 sm:grid-cols-5 dark:border-zinc-800 dark:bg-zinc-900">
        <Field name="q" label="Search" type="search" placeholder="Name or id" defaultValue={filters.q ?? ""} className="col-span-2" maxLength={100} />
        <SelectField name="status" label="Status" defaultValue={filters.status ?? ""} options={[{ value: "", label: "Any" }, { value: "AVAILABLE", label: "Available" }, { value: "MAINTENANCE", label: "Maintenance" }, { value: "SOLD", label: "Sold" }]} />
        <SelectField name="level" label="Quota level" defaultValue={filters.level ?? ""} options={[{ value: "", label: "Any" }, { value: "HIGH", label: "High" }, { value: "MEDIUM", label: "Medium" }, { value: "LOW", label: "Low" }]} />
        <SelectField name="flag" label="Needs attention" defaultValue={filters.flag ?? ""} options={[{ value: "", label: "Any" }, { value: "review", label: "Flagged for review" }, { value: "error", label: "Quota refresh failed" }]} />
        <div className="col-span-2 flex gap-2 sm:col-span-5">
          <button type="submit" className={primaryButtonClass}>Apply</button>
          {filtered && <Link href="/admin/accounts" className={secondaryButtonClass}>Clear</Link>}
        </div>
      </form>

      {rows.length === 0 ? (
        <div className="rounded-xl border border-dashed border-zinc-300 p-10 text-center dark:border-zinc-700">
          <p className="font-medium">{filtered ? "No account matches these filters." : "No accounts yet."}</p>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            {filtered ? "Clear a filter to see more." : "Create the first one with its AWS credentials; its quotas are read from AWS."}
          </p>
        </div>
      ) : (
        <ul className="divide-y divide-zinc-200 overflow-hidden rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900" data-testid="admin-accounts">
          {rows.map((a) => (
            <li key={a.id} className="grid gap-2 px-4 py-3 text-sm sm:grid-cols-[1fr_auto_auto] sm:items-center sm:gap-4">
              <div className="min-w-0">
                <Link href={`/admin/accounts/${a.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">{a.displayName}</Link>
                <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">
                  {a.name} · {a.accessKeyLast4 ? <>key …<span className="font-mono">{a.accessKeyLast4}</span></> : "no credentials"}
                </p>
              </div>
              <div className="flex flex-wrap items-center gap-1.5">
                <AccountStatusBadge status={a.status} reserved={a.reserved} />
                <QuotaLevelBadge level={a.quotaLevel} />
                {a.needsReview && <Badge tone="amber">Review</Badge>}
                {a.quotaError && <Badge tone="red">Refresh failed</Badge>}
              </div>
              <div className="flex items-center justify-between gap-4 sm:block sm:text-right">
                <p className="font-medium tabular-nums">{formatFiat(money(a.priceMinor, a.priceCurrency) as never)}</p>
                <p className="text-xs text-zinc-500 dark:text-zinc-400">
                  {a.quotaUpdatedAt ? `quotas ${formatRelativeTime(a.quotaUpdatedAt, now)}` : "quotas never read"}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}

      <PageNav page={filters.page} pages={pages} href={(n) => pageHref(filters, n)} />
    </div>
  );
}
