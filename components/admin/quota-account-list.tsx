import Link from "next/link";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { formatRelativeTime } from "@/lib/format";
import type { QuotaAccountRow } from "@/lib/quotas/queries";
import { QuotaRefreshButton } from "./quota-refresh-button";

const STATUS_TONE: Record<string, BadgeTone> = { AVAILABLE: "green", MAINTENANCE: "amber", SOLD: "neutral" };

function When({ label, at, now }: { label: string; at: Date | null; now: Date }) {
  return (
    <span>
      {label}{" "}
      {at ? <time dateTime={at.toISOString()}>{formatRelativeTime(at, now)}</time> : "never"}
    </span>
  );
}

/** Accounts needing attention (flagged for review, or whose last refresh failed), each with a refresh button. */
export function QuotaAccountList({ accounts, now, showError, empty, testId }: { accounts: QuotaAccountRow[]; now: Date; showError: boolean; empty: string; testId: string }) {
  if (accounts.length === 0) {
    return (
      <p className="rounded-xl border border-dashed border-zinc-300 p-6 text-center text-sm text-zinc-500 dark:border-zinc-700 dark:text-zinc-400" data-testid={`${testId}-empty`}>
        {empty}
      </p>
    );
  }
  return (
    <ul className="divide-y divide-zinc-200 overflow-hidden rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900" data-testid={testId}>
      {accounts.map((a) => (
        <li key={a.id} className="flex flex-col gap-3 px-4 py-3 text-sm sm:flex-row sm:items-start sm:justify-between">
          <div className="min-w-0 space-y-1">
            <div className="flex flex-wrap items-center gap-2">
              <Link href={`/admin/accounts/${a.id}`} className="font-medium hover:underline">
                {a.displayName}
              </Link>
              <Badge tone={STATUS_TONE[a.status] ?? "neutral"}>{a.status[0]! + a.status.slice(1).toLowerCase()}</Badge>
            </div>
            <p className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{a.name}</p>
            {showError && a.quotaError && <p className="text-rose-700 dark:text-rose-300">{a.quotaError}</p>}
            <p className="flex flex-wrap gap-x-3 text-xs text-zinc-500 dark:text-zinc-400">
              {showError && <When label="Failed" at={a.quotaErrorAt} now={now} />}
              <When label="Last good read" at={a.quotaUpdatedAt} now={now} />
            </p>
          </div>
          <QuotaRefreshButton accountId={a.id} label="Refresh now" />
        </li>
      ))}
    </ul>
  );
}
