import Link from "next/link";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { ActivityRow } from "@/lib/accounts/admin-queries";
import { formatRelativeTime } from "@/lib/format";

const TONE: Record<string, BadgeTone> = {
  AccountCreated: "indigo",
  AccountModified: "sky",
  AccountStatusChanged: "amber",
  AccountReserved: "sky",
  AccountOrderUnfulfillable: "red",
  QuotaUpdated: "green",
  QuotaRefreshFailed: "red",
  AdminLoggedIn: "neutral",
};

/** "AccountStatusChanged" → "Account status changed". */
export function humanizeEventType(eventType: string): string {
  const words = eventType.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return words[0]!.toUpperCase() + words.slice(1);
}

const FIELD_LABELS: Record<string, string> = {
  displayName: "display name",
  priceMinor: "price",
  priceCurrency: "currency",
  awsCredentials: "AWS credentials",
};

/** One line on what the event did, from its payload (which never holds a secret). */
function describe(row: ActivityRow): string | null {
  const p = row.payload;
  switch (row.eventType) {
    case "AccountModified":
      return Array.isArray(p.changes) ? `Changed ${p.changes.map((c) => FIELD_LABELS[String(c)] ?? String(c)).join(", ")}` : null;
    case "AccountStatusChanged":
      return `${String(p.oldStatus).toLowerCase()} → ${String(p.newStatus).toLowerCase()}${p.relist ? " (relisted)" : ""}`;
    case "QuotaUpdated": {
      const quotas = (p.quotaProfile as { modelQuotas?: unknown[] } | undefined)?.modelQuotas;
      return Array.isArray(quotas) ? `${quotas.length} model quota${quotas.length === 1 ? "" : "s"} read` : null;
    }
    case "QuotaRefreshFailed":
      return typeof p.message === "string" ? p.message : null;
    case "AccountReserved":
      return p.reservedUntil ? `Held for a buyer until ${String(p.reservedUntil).slice(11, 16)} UTC` : null;
    case "AccountOrderUnfulfillable":
      return `Paid too late (${String(p.reason)}): refund the buyer`;
    case "AccountCreated":
      return typeof p.name === "string" ? `Created as “${p.name}”` : null;
    default:
      return null;
  }
}

function actorLabel(row: ActivityRow): string {
  if (row.actorType === "admin") return row.adminUsername ?? "a deleted admin";
  if (row.actorType === "system" || row.actorType === null) return "system";
  return row.actorType;
}

export function ActivityList({ rows, now = new Date(), showAccount = true }: { rows: ActivityRow[]; now?: Date; showAccount?: boolean }) {
  if (rows.length === 0) {
    return (
      <p className="rounded-xl border border-dashed border-zinc-300 p-6 text-center text-sm text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">
        No activity yet.
      </p>
    );
  }
  return (
    <ul className="divide-y divide-zinc-200 overflow-hidden rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900" data-testid="activity">
      {rows.map((row) => {
        const detail = describe(row);
        return (
          <li key={row.id} className="flex flex-col gap-1 px-4 py-3 text-sm sm:flex-row sm:items-start sm:justify-between sm:gap-4">
            <div className="min-w-0 space-y-1">
              <div className="flex flex-wrap items-center gap-2">
                <Badge tone={TONE[row.eventType] ?? "neutral"}>{humanizeEventType(row.eventType)}</Badge>
                {showAccount && row.aggregateType === "account" && (
                  <Link href={`/admin/accounts/${row.aggregateId}`} className="truncate font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                    {row.accountName ?? row.aggregateId.slice(0, 8)}
                  </Link>
                )}
              </div>
              {detail && <p className="break-words text-zinc-700 dark:text-zinc-300">{detail}</p>}
            </div>
            <p className="shrink-0 text-xs text-zinc-500 sm:text-right dark:text-zinc-400">
              by <span className="font-medium text-zinc-700 dark:text-zinc-300">{actorLabel(row)}</span>
              <br className="hidden sm:block" />{" "}
              <time dateTime={row.occurredAt.toISOString()} title={row.occurredAt.toISOString()}>{formatRelativeTime(row.occurredAt, now)}</time>
            </p>
          </li>
        );
      })}
    </ul>
  );
}
