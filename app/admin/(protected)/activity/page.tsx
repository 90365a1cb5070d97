import type { Metadata } from "next";
import Link from "next/link";
import { ActivityList, humanizeEventType } from "@/components/admin/activity-list";
import { primaryButtonClass, secondaryButtonClass, SelectField } from "@/components/ui/form";
import { getDb } from "@/db";
import { ACTIVITY_EVENT_TYPES, listActivity, parseActivityFilters } from "@/lib/accounts/admin-queries";
import { requireAdmin } from "@/lib/auth/current-admin";

export const metadata: Metadata = { title: "Activity · Admin", robots: { index: false } };

export default async function ActivityPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin("/admin/activity");
  const filters = parseActivityFilters(await searchParams);
  const { rows, nextBefore } = await listActivity(await getDb(), filters);
  const keep = new URLSearchParams();
  if (filters.type) keep.set("type", filters.type);
  if (filters.accountId) keep.set("account", filters.accountId);
  const olderHref = nextBefore ? `/admin/activity?${new URLSearchParams([...keep, ["before", String(nextBefore)]])}` : null;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Activity</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Account changes, quota refreshes and sign-ins, newest first, with who made them.</p>
      </div>
      <form method="get" className="flex flex-wrap items-end gap-3 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        {filters.accountId && <input type="hidden" name="account" value={filters.accountId} />}
        <SelectField
          name="type"
          label="Event"
          className="min-w-56"
          defaultValue={filters.type ?? ""}
          options={[{ value: "", label: "All events" }, ...ACTIVITY_EVENT_TYPES.map((t) => ({ value: t, label: humanizeEventType(t) }))]}
        />
        <button type="submit" className={primaryButtonClass}>Apply</button>
        {(filters.type || filters.accountId) && <Link href="/admin/activity" className={secondaryButtonClass}>Show everything</Link>}
      </form>
      <ActivityList rows={rows} />
      {olderHref && (
        <div className="flex justify-center">
          <Link href={olderHref} className={secondaryButtonClass}>Older</Link>
        </div>
      )}
    </div>
  );
}
