import { Badge, type BadgeTone } from "@/components/ui/badge";
import { formatDecimalUnitsTrimmed, getAsset } from "@/lib/domain";
import type { TimelineEntry } from "@/lib/invoices/dashboard-detail";

const when = (d: Date) => `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;

const DELIVERY_TONE: Record<string, BadgeTone> = { succeeded: "green", sent: "green", failed: "red", pending: "sky", delivering: "indigo" };
const PAYMENT_TONE: Record<string, BadgeTone> = { confirmed: "green", confirming: "indigo", detected: "sky", orphaned: "amber", failed: "red" };

/** "invoice.cancelled" → "Invoice cancelled". */
function humanEvent(event: string): string {
  const text = event.replace(/[._]/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function shortHash(hash: string): string {
  return hash.length > 20 ? `${hash.slice(0, 10)}…${hash.slice(-8)}` : hash;
}

function Dot({ kind }: { kind: TimelineEntry["kind"] }) {
  const color = { audit: "bg-zinc-400", payment: "bg-emerald-500", webhook: "bg-indigo-500", notification: "bg-sky-500" }[kind];
  return <span aria-hidden className={`absolute -left-[1.3rem] top-1.5 size-2.5 rounded-full ring-4 ring-white dark:ring-zinc-900 ${color}`} />;
}

function Body({ entry }: { entry: TimelineEntry }) {
  switch (entry.kind) {
    case "audit": {
      const reason = typeof entry.data.reason === "string" && entry.data.reason ? entry.data.reason : null;
      return (
        <>
          <p className="font-medium">{humanEvent(entry.event)}</p>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            by {entry.actorType.replace("_", " ")}
            {typeof entry.data.from === "string" ? ` · was ${entry.data.from}` : ""}
            {reason ? ` · “${reason}”` : ""}
          </p>
        </>
      );
    }
    case "payment": {
      const amount = `${formatDecimalUnitsTrimmed(entry.amount, getAsset(entry.asset).decimals)} ${entry.asset}`;
      return (
        <>
          <p className="flex flex-wrap items-center gap-2 font-medium">
            {entry.phase === "detected" ? `Payment of ${amount} detected` : `Payment of ${amount} confirmed`}
            <Badge tone={PAYMENT_TONE[entry.status] ?? "neutral"}>{entry.status}</Badge>
          </p>
          <p className="break-all text-xs text-zinc-500 dark:text-zinc-400">
            <span className="font-mono" title={entry.txHash}>{shortHash(entry.txHash)}</span> on {entry.network} · confirmations{" "}
            <span className="tabular-nums">
              {Math.min(entry.confirmations, entry.requiredConfirmations)}/{entry.requiredConfirmations}
            </span>
          </p>
        </>
      );
    }
    case "webhook":
      return (
        <>
          <p className="flex flex-wrap items-center gap-2 font-medium">
            Webhook {entry.eventType}
            <Badge tone={DELIVERY_TONE[entry.status] ?? "neutral"}>{entry.status}</Badge>
          </p>
          <p className="break-all text-xs text-zinc-500 dark:text-zinc-400">
            to {entry.endpointUrl} · {entry.attemptCount} attempt{entry.attemptCount === 1 ? "" : "s"}
            {entry.lastStatusCode !== null ? ` · last HTTP ${entry.lastStatusCode}` : ""}
          </p>
          {entry.attempts.length > 0 && (
            <details className="mt-1 text-xs">
              <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">Attempts</summary>
              <ol className="mt-1 space-y-0.5 text-zinc-600 dark:text-zinc-400">
                {entry.attempts.map((a, i) => (
                  <li key={i} className="tabular-nums">
                    {when(a.at)} · {a.statusCode !== null ? `HTTP ${a.statusCode}` : "no response"}
                    {a.latencyMs !== null ? ` · ${a.latencyMs} ms` : ""}
                    {a.error ? ` · ${a.error}` : ""}
                  </li>
                ))}
              </ol>
            </details>
          )}
        </>
      );
    case "notification":
      return (
        <>
          <p className="flex flex-wrap items-center gap-2 font-medium">
            Email “{entry.subject}”
            <Badge tone={DELIVERY_TONE[entry.status] ?? "neutral"}>{entry.status}</Badge>
          </p>
          <p className="break-all text-xs text-zinc-500 dark:text-zinc-400">
            to {entry.recipient} · {entry.attempts} attempt{entry.attempts === 1 ? "" : "s"}
            {entry.sentAt ? ` · sent ${when(entry.sentAt)}` : ""}
            {entry.lastError ? ` · ${entry.lastError}` : ""}
          </p>
        </>
      );
  }
}

/** The invoice's history, oldest first: audit entries, payments, webhook deliveries and emails. */
export function InvoiceTimeline({ entries }: { entries: TimelineEntry[] }) {
  if (entries.length === 0) {
    return <p className="rounded-xl border border-dashed border-zinc-300 p-6 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">Nothing has happened to this invoice yet.</p>;
  }
  return (
    <ol className="relative ml-3 space-y-4 border-l border-zinc-200 pl-5 dark:border-zinc-800" data-testid="invoice-timeline">
      {entries.map((entry) => (
        <li key={`${entry.kind}:${entry.id}`} className="relative text-sm" data-kind={entry.kind}>
          <Dot kind={entry.kind} />
          <time dateTime={entry.at.toISOString()} className="block text-xs tabular-nums text-zinc-500 dark:text-zinc-400">
            {when(entry.at)}
          </time>
          <Body entry={entry} />
        </li>
      ))}
    </ol>
  );
}
