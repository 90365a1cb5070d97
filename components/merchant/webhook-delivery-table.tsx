import Link from "next/link";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { formatRelativeTime } from "@/lib/format";
import type { DeliverySummary } from "@/lib/webhooks/log";

export const DELIVERY_TONES: Record<DeliverySummary["status"], BadgeTone> = { pending: "amber", delivering: "sky", succeeded: "green", failed: "red" };

/** The delivery log: newest first, each row linking to its attempts. */
export function WebhookDeliveryTable({ deliveries, showEndpoint, now = new Date() }: { deliveries: DeliverySummary[]; showEndpoint?: boolean; now?: Date }) {
  if (deliveries.length === 0) {
    return (
      <p className="rounded-xl border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
        No deliveries yet. Events you subscribe to appear here as they happen; send a test event to try the endpoint.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full min-w-[36rem] text-left text-sm" data-testid="delivery-log">
        <thead className="border-b border-zinc-200 text-xs uppercase tracking-wide text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-4 py-2.5 font-medium">Event</th>
            {showEndpoint && <th scope="col" className="px-4 py-2.5 font-medium">Endpoint</th>}
            <th scope="col" className="px-4 py-2.5 font-medium">Status</th>
            <th scope="col" className="px-4 py-2.5 font-medium">Attempts</th>
            <th scope="col" className="px-4 py-2.5 font-medium">Created</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {deliveries.map((d) => (
            <tr key={d.id} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
              <td className="px-4 py-2.5">
                <Link href={`/merchant/webhooks/deliveries/${d.id}`} className="font-mono text-xs font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                  {d.eventType}
                </Link>
              </td>
              {showEndpoint && <td className="max-w-[16rem] truncate px-4 py-2.5 font-mono text-xs text-zinc-600 dark:text-zinc-400">{d.endpointUrl}</td>}
              <td className="px-4 py-2.5">
                <span className="inline-flex items-center gap-2">
                  <Badge tone={DELIVERY_TONES[d.status]}>{d.status}</Badge>
                  {d.lastStatusCode !== null && <span className="font-mono text-xs text-zinc-500">HTTP {d.lastStatusCode}</span>}
                </span>
              </td>
              <td className="px-4 py-2.5 tabular-nums">
                {d.attemptCount}
                {d.status === "pending" && d.attemptCount > 0 && <span className="ml-1 text-xs text-zinc-500">· next {formatRelativeTime(d.nextAttemptAt, now)}</span>}
              </td>
              <td className="whitespace-nowrap px-4 py-2.5 text-zinc-600 dark:text-zinc-400">
                <time dateTime={d.createdAt.toISOString()} title={d.createdAt.toISOString()}>{formatRelativeTime(d.createdAt, now)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
