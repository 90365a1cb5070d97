import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import type { CustomerHistoryEntry } from "@/lib/customers/dashboard";
import { money } from "@/lib/domain";
import { formatFiat } from "@/lib/format";

const TONES = { paid: "green", cancelled: "neutral", expired: "amber" } as const;
const date = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** The customer's append-only payment history: read-only rows, no edit or delete controls by design. */
export function CustomerHistoryTable({ entries, total }: { entries: CustomerHistoryEntry[]; total: number }) {
  if (entries.length === 0) {
    return (
      <p className="rounded-xl border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400" data-testid="history-empty">
        {total > 0 ? "No entries on this page." : "No finished invoices yet. An entry is added when one of their invoices is paid, cancelled or expires."}
      </p>
    );
  }
  return (
    <ul className="divide-y divide-zinc-200 overflow-hidden rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900" data-testid="customer-history">
      {entries.map((e) => (
        <li key={e.id} className="grid gap-1 px-4 py-3 text-sm sm:grid-cols-[1fr_auto_auto] sm:items-center sm:gap-6">
          <div className="min-w-0">
            <Link href={`/merchant/invoices/${e.invoiceId}`} className="block truncate font-medium text-indigo-700 hover:underline dark:text-indigo-300">
              {e.invoiceTitle}
            </Link>
            <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">
              {e.invoiceReference ? `${e.invoiceReference} · ` : ""}created {date.format(e.createdAt)} UTC
              {e.paidAt ? ` · paid ${date.format(e.paidAt)} UTC` : ""}
            </p>
          </div>
          <div>
            <Badge tone={TONES[e.status]}>{e.status}</Badge>
          </div>
          <p className="font-medium tabular-nums sm:text-right">{formatFiat(money(e.amountMinor, e.currency) as never)}</p>
        </li>
      ))}
    </ul>
  );
}
