import type { Metadata } from "next";
import { PageNav } from "@/components/ui/page-nav";
import Link from "next/link";
import { formatVolumes, MerchantPlanBadge, MerchantStatusBadge } from "@/components/admin/merchant-status-badge";
import { Field, primaryButtonClass, secondaryButtonClass, SelectField } from "@/components/ui/form";
import { getDb } from "@/db";
import { requireAdmin } from "@/lib/auth/current-admin";
import { formatRelativeTime } from "@/lib/format";
import { ADMIN_MERCHANTS_PAGE_SIZE, listAdminMerchants, merchantListHref, parseAdminMerchantFilters } from "@/lib/merchants/admin-queries";

export const metadata: Metadata = { title: "Merchants · Admin", robots: { index: false } };

export default async function AdminMerchantsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin("/admin/merchants");
  const filters = parseAdminMerchantFilters(await searchParams);
  const { rows, total } = await listAdminMerchants(await getDb(), filters);
  const pages = Math.max(1, Math.ceil(total / ADMIN_MERCHANTS_PAGE_SIZE));
  const filtered = Boolean(filters.q || filters.status || filters.plan);
  const now = new Date();

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Merchants</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400" data-testid="merchants-total">
          {total === 1 ? "1 merchant" : `${total.toLocaleString("en-US")} merchants`}{filtered ? " match" : ""}
        </p>
      </div>

      <form method="get" role="search" aria-label="Filter merchants" className="grid grid-cols-2 gap-3 rounded-xl border border-zinc-200 bg-white p-4 sm:grid-cols-4 dark:border-zinc-800 dark:bg-zinc-900">
        <Field name="q" label="Search" type="search" placeholder="Name, email or id" defaultValue={filters.q ?? ""} className="col-span-2" maxLength={100} />
        <SelectField
          name="status"
          label="Status"
          defaultValue={filters.status ?? ""}
          options={[{ value: "", label: "Any" }, { value: "active", label: "Active" }, { value: "pending_verification", label: "Pending verification" }, { value: "suspended", label: "Suspended" }, { value: "closed", label: "Closed" }]}
        />
        <SelectField name="plan" label="Plan" defaultValue={filters.plan ?? ""} options={[{ value: "", label: "Any" }, { value: "free", label: "Free" }, { value: "pro", label: "Pro" }, { value: "enterprise", label: "Enterprise" }]} />
        <div className="col-span-2 flex gap-2 sm:col-span-4">
          <button type="submit" className={primaryButtonClass}>Apply</button>
          {filtered && <Link href="/admin/merchants" className={secondaryButtonClass}>Clear</Link>}
        </div>
      </form>

      {rows.length === 0 ? (
        <div className="rounded-xl border border-dashed border-zinc-300 p-10 text-center dark:border-zinc-700">
          <p className="font-medium">{filtered ? "No merchant matches these filters." : "No merchants yet."}</p>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            {filtered ? "Clear a filter to see more." : "Merchants sign up at /merchant/sign-up and appear here awaiting verification."}
          </p>
        </div>
      ) : (
        <ul className="divide-y divide-zinc-200 overflow-hidden rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900" data-testid="admin-merchants">
          {rows.map((m) => (
            <li key={m.id} className="grid gap-2 px-4 py-3 text-sm sm:grid-cols-[1fr_auto_12rem] sm:items-center sm:gap-4">
              <div className="min-w-0">
                <Link href={`/admin/merchants/${m.id}`} className="font-medium break-words text-indigo-700 hover:underline dark:text-indigo-300">{m.businessName}</Link>
                <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">{m.contactEmail} · joined {formatRelativeTime(m.createdAt, now)}</p>
              </div>
              <div className="flex flex-wrap items-center gap-1.5">
                <MerchantStatusBadge status={m.status} />
                <MerchantPlanBadge plan={m.planType} />
              </div>
              <div className="flex items-center justify-between gap-4 sm:block sm:text-right">
                <p className="tabular-nums">{m.invoiceCount.toLocaleString("en-US")} invoice{m.invoiceCount === 1 ? "" : "s"}</p>
                <p className="text-xs text-zinc-500 tabular-nums dark:text-zinc-400" title="Paid live invoices">{formatVolumes(m.paidVolume)}</p>
              </div>
            </li>
          ))}
        </ul>
      )}

      <PageNav page={filters.page} pages={pages} href={(n) => merchantListHref(filters, n)} />
    </div>
  );
}
