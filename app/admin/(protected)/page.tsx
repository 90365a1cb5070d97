import type { Metadata } from "next";
import { humanizeEventType } from "@/components/admin/activity-list";
import { Badge } from "@/components/ui/badge";
import { getDb } from "@/db";
import { getAdminOverview } from "@/db/queries/admin-overview";
import { requireAdmin } from "@/lib/auth/current-admin";
import { formatRelativeTime } from "@/lib/format";

export const metadata: Metadata = { title: "Admin", robots: { index: false } };

const INVOICE_STATUSES = ["pending", "partial", "confirming", "paid", "expired", "cancelled", "refunded"] as const;

function Stat({ label, value, hint }: { label: string; value: number; hint?: string }) {
  return (
    <div className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <dt className="text-sm text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums">{value}</dd>
      {hint && <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{hint}</p>}
    </div>
  );
}

export default async function AdminDashboard() {
  const admin = await requireAdmin("/admin");
  const overview = await getAdminOverview(await getDb());
  const { accountsByStatus: a } = overview;
  const now = new Date();

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Dashboard</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Signed in as {admin.username}.</p>
      </div>

      <section aria-labelledby="accounts-heading">
        <h2 id="accounts-heading" className="mb-3 text-sm font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">Accounts</h2>
        <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
          <Stat label="Available" value={a.AVAILABLE} />
          <Stat label="Maintenance" value={a.MAINTENANCE} />
          <Stat label="Sold" value={a.SOLD} />
          <Stat label="Need review" value={overview.accountsNeedingReview} hint="Applied quotas read as zero" />
        </dl>
      </section>

      <section aria-labelledby="invoices-heading">
        <h2 id="invoices-heading" className="mb-3 text-sm font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">Invoices</h2>
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7 max-sm:[&>*:last-child:nth-child(odd)]:col-span-2">
          {INVOICE_STATUSES.map((s) => (
            <Stat key={s} label={s[0]!.toUpperCase() + s.slice(1)} value={overview.invoicesByStatus[s] ?? 0} />
          ))}
        </dl>
      </section>

      <section aria-labelledby="activity-heading">
        <h2 id="activity-heading" className="mb-3 text-sm font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">Recent activity</h2>
        {overview.recentEvents.length === 0 ? (
          <p className="rounded-xl border border-dashed border-zinc-300 p-6 text-center text-sm text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">
            Nothing has happened yet.
          </p>
        ) : (
          <ul className="divide-y divide-zinc-200 overflow-hidden rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
            {overview.recentEvents.map((e) => (
              <li key={e.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm">
                <span className="flex min-w-0 items-center gap-2">
                  <Badge tone="neutral">{e.aggregateType[0]!.toUpperCase() + e.aggregateType.slice(1)}</Badge>
                  <span className="font-medium">{humanizeEventType(e.eventType)}</span>
                  <span className="hidden truncate font-mono text-xs text-zinc-500 sm:inline dark:text-zinc-400">{e.aggregateId.slice(0, 8)}</span>
                </span>
                <time dateTime={e.occurredAt.toISOString()} className="text-xs text-zinc-500 dark:text-zinc-400">
                  {formatRelativeTime(e.occurredAt, now)}
                </time>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
