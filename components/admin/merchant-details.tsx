import { Badge } from "@/components/ui/badge";
import { InvoiceStatusBadge } from "@/components/merchant/invoice-status-badge";
import { money } from "@/lib/domain";
import { formatFiat, formatRelativeTime } from "@/lib/format";
import type { AdminMerchant } from "@/lib/merchants/admin-queries";

/** Read-only parts of the admin's merchant page. Keys appear by their display prefix only. */

function Empty({ children }: { children: React.ReactNode }) {
  return <p className="rounded-lg border border-dashed border-zinc-300 p-6 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">{children}</p>;
}

export function MerchantInvoices({ rows, now }: { rows: AdminMerchant["recentInvoices"]; now: Date }) {
  if (rows.length === 0) return <Empty>No invoices yet.</Empty>;
  return (
    <ul className="-my-2 divide-y divide-zinc-100 text-sm dark:divide-zinc-800" data-testid="merchant-invoices">
      {rows.map((inv) => (
        <li key={inv.id} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 py-2">
          <div className="min-w-0">
            <p className="truncate font-medium">{inv.title}</p>
            <p className="text-xs text-zinc-500 dark:text-zinc-400">
              <span className="font-mono">{inv.id.slice(0, 8)}</span> · {inv.cryptoCurrency} · {formatRelativeTime(inv.createdAt, now)}
            </p>
          </div>
          <div className="flex items-center gap-2">
            {!inv.livemode && <Badge tone="amber">test</Badge>}
            <InvoiceStatusBadge status={inv.status} />
            <span className="tabular-nums">{formatFiat(money(inv.totalMinor, inv.fiatCurrency) as never)}</span>
          </div>
        </li>
      ))}
    </ul>
  );
}

export function MerchantKeys({ rows, now }: { rows: AdminMerchant["apiKeys"]; now: Date }) {
  if (rows.length === 0) return <Empty>No API keys.</Empty>;
  return (
    <ul className="-my-2 divide-y divide-zinc-100 text-sm dark:divide-zinc-800" data-testid="merchant-keys">
      {rows.map((key) => {
        const expired = key.status === "active" && key.expiresAt !== null && key.expiresAt <= now;
        const status = expired ? "expired" : key.status;
        return (
          <li key={key.id} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 py-2">
            <div className="min-w-0">
              <p className="truncate font-medium">{key.name ?? "Unnamed key"}</p>
              <p className="text-xs text-zinc-500 dark:text-zinc-400">
                <span className="font-mono">{key.keyPrefix}…</span> · {key.lastUsedAt ? `used ${formatRelativeTime(key.lastUsedAt, now)}` : "never used"}
              </p>
            </div>
            <div className="flex items-center gap-2">
              <Badge tone={key.keyType === "live" ? "indigo" : "amber"}>{key.keyType}</Badge>
              <Badge tone={status === "active" ? "green" : "neutral"}>{status}</Badge>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

const EVENT_LABEL: Record<string, string> = {
  "merchant.created": "Signed up",
  "merchant.verified": "Verified",
  "merchant.suspended": "Suspended",
  "merchant.reactivated": "Reactivated",
  "merchant.closed": "Closed",
  "merchant.plan_changed": "Plan changed",
};

function describe(row: AdminMerchant["history"][number]): string {
  const d = row.data as Record<string, unknown>;
  if (row.event === "merchant.plan_changed") return `${String(d.from)} → ${String(d.to)}`;
  if (typeof d.reason === "string") return d.reason;
  return "";
}

export function MerchantHistory({ rows, now }: { rows: AdminMerchant["history"]; now: Date }) {
  if (rows.length === 0) return <Empty>Nothing recorded yet.</Empty>;
  return (
    <ol className="-my-2 divide-y divide-zinc-100 text-sm dark:divide-zinc-800" data-testid="merchant-history">
      {rows.map((row) => (
        <li key={row.id} className="py-2">
          <div className="flex flex-wrap items-baseline justify-between gap-x-4">
            <span className="font-medium">{EVENT_LABEL[row.event] ?? row.event}</span>
            <time dateTime={row.createdAt.toISOString()} className="text-xs text-zinc-500 dark:text-zinc-400">{formatRelativeTime(row.createdAt, now)}</time>
          </div>
          <p className="text-xs break-words text-zinc-600 dark:text-zinc-400">
            {row.actorType === "admin" ? `by ${row.adminUsername ?? "an admin"}` : `by the ${row.actorType}`}
            {describe(row) ? ` · ${describe(row)}` : ""}
          </p>
        </li>
      ))}
    </ol>
  );
}
