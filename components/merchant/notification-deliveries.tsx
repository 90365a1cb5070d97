import { Badge, type BadgeTone } from "@/components/ui/badge";
import { formatRelativeTime } from "@/lib/format";
import { EVENT_LABELS, isNotificationEvent } from "@/lib/notifications/catalog";
import type { DeliveryListItem } from "@/lib/notifications/deliveries";

/** The merchant's recent notification emails: a table on wide screens, cards on a phone. */

const STATUS_TONE: Record<DeliveryListItem["status"], BadgeTone> = { sent: "green", pending: "amber", failed: "red" };

function statusNote(d: DeliveryListItem, now: Date): string | null {
  if (d.status !== "pending") return null;
  return d.attempts === 0 ? "queued" : `retry ${formatRelativeTime(d.nextAttemptAt, now)}`;
}

function When({ d, now }: { d: DeliveryListItem; now: Date }) {
  const at = d.sentAt ?? d.createdAt;
  return (
    <time dateTime={at.toISOString()} title={at.toISOString()} className="whitespace-nowrap">
      {formatRelativeTime(at, now)}
    </time>
  );
}

function Status({ d, now }: { d: DeliveryListItem; now: Date }) {
  const note = statusNote(d, now);
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <Badge tone={STATUS_TONE[d.status]}>{d.status}</Badge>
      {note && <span className="text-xs text-zinc-500 dark:text-zinc-400">{note}</span>}
    </span>
  );
}

const eventLabel = (d: DeliveryListItem) => (d.eventType && isNotificationEvent(d.eventType) ? EVENT_LABELS[d.eventType] : "Notification");

export function NotificationDeliveries({ deliveries, now = new Date() }: { deliveries: DeliveryListItem[]; now?: Date }) {
  if (deliveries.length === 0) {
    return (
      <div className="rounded-xl border border-dashed border-zinc-300 p-8 text-center dark:border-zinc-700" data-testid="deliveries-empty">
        <p className="font-medium">No emails sent yet.</p>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          They appear here as invoices are created, paid or expire, with each attempt&apos;s outcome.
        </p>
      </div>
    );
  }
  return (
    <div data-testid="deliveries">
      <ul className="divide-y divide-zinc-200 overflow-hidden rounded-xl border border-zinc-200 bg-white text-sm sm:hidden dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
        {deliveries.map((d) => (
          <li key={d.id} className="space-y-1 px-4 py-3">
            <div className="flex items-center justify-between gap-2">
              <Status d={d} now={now} />
              <span className="text-xs text-zinc-500 dark:text-zinc-400"><When d={d} now={now} /></span>
            </div>
            <p className="break-words font-medium">{d.subject}</p>
            <p className="text-xs text-zinc-600 [overflow-wrap:anywhere] dark:text-zinc-400">
              {eventLabel(d)} · to {d.recipientAddress} · {d.attempts} {d.attempts === 1 ? "attempt" : "attempts"}
            </p>
            {d.lastError && <p className="break-words text-xs text-rose-700 dark:text-rose-300">{d.lastError}</p>}
          </li>
        ))}
      </ul>
      <div className="hidden overflow-x-auto rounded-xl border border-zinc-200 bg-white sm:block dark:border-zinc-800 dark:bg-zinc-900">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-zinc-200 text-xs uppercase tracking-wide text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">Time</th>
              <th scope="col" className="px-4 py-2 font-medium">Recipient</th>
              <th scope="col" className="px-4 py-2 font-medium">Subject</th>
              <th scope="col" className="px-4 py-2 font-medium">Status</th>
              <th scope="col" className="px-4 py-2 text-right font-medium">Attempts</th>
              <th scope="col" className="px-4 py-2 font-medium">Last error</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {deliveries.map((d) => (
              <tr key={d.id} className="align-top">
                <td className="px-4 py-2.5 text-zinc-600 dark:text-zinc-400"><When d={d} now={now} /></td>
                <td className="min-w-40 max-w-60 px-4 py-2.5 [overflow-wrap:anywhere]">{d.recipientAddress}</td>
                <td className="min-w-56 px-4 py-2.5">
                  <span className="block break-words">{d.subject}</span>
                  <span className="text-xs text-zinc-500 dark:text-zinc-400">{eventLabel(d)}</span>
                </td>
                <td className="px-4 py-2.5"><Status d={d} now={now} /></td>
                <td className="px-4 py-2.5 text-right tabular-nums">{d.attempts}</td>
                <td className="max-w-64 break-words px-4 py-2.5 text-xs text-rose-700 dark:text-rose-300">{d.lastError ?? <span className="text-zinc-400">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
