import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db";
import { WebhookActionForm } from "@/components/merchant/webhook-action-form";
import { DELIVERY_TONES } from "@/components/merchant/webhook-delivery-table";
import { Badge } from "@/components/ui/badge";
import { requireMerchant } from "@/lib/auth/current-merchant";
import { findDelivery } from "@/lib/webhooks/log";
import { redeliverAction } from "../../actions";

export const metadata: Metadata = { title: "Webhook delivery" };

function prettyJson(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

export default async function WebhookDeliveryPage({ params }: { params: Promise<{ deliveryId: string }> }) {
  const { deliveryId } = await params;
  const merchant = await requireMerchant(`/merchant/webhooks/deliveries/${deliveryId}`);
  const delivery = await findDelivery(await getDb(), merchant.id, deliveryId);
  if (!delivery) notFound();
  return (
    <div className="space-y-8">
      <div className="space-y-2">
        <Link href={`/merchant/webhooks/${delivery.endpointId}`} className="text-sm text-zinc-600 hover:underline dark:text-zinc-400">← Endpoint</Link>
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="font-mono text-lg font-semibold">{delivery.eventType}</h1>
          <Badge tone={DELIVERY_TONES[delivery.status]}>{delivery.status}</Badge>
        </div>
        <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
          <dt className="text-zinc-500">Event id</dt>
          <dd className="break-all font-mono text-xs">{delivery.eventId}</dd>
          <dt className="text-zinc-500">Endpoint</dt>
          <dd className="break-all font-mono text-xs">{delivery.endpointUrl}</dd>
          {delivery.invoiceId && (
            <>
              <dt className="text-zinc-500">Invoice</dt>
              <dd className="break-all font-mono text-xs">
                <Link href={`/merchant/invoices/${delivery.invoiceId}`} className="text-indigo-700 hover:underline dark:text-indigo-300">{delivery.invoiceId}</Link>
              </dd>
            </>
          )}
          {delivery.status === "pending" && delivery.attemptCount > 0 && (
            <>
              <dt className="text-zinc-500">Next attempt</dt>
              <dd><time dateTime={delivery.nextAttemptAt.toISOString()}>{delivery.nextAttemptAt.toISOString().replace("T", " ").slice(0, 19)} UTC</time></dd>
            </>
          )}
        </dl>
      </div>

      <section aria-labelledby="attempts" className="space-y-3">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <h2 id="attempts" className="font-semibold">Attempts ({delivery.attempts.length})</h2>
          {delivery.status !== "delivering" && <WebhookActionForm action={redeliverAction} fields={{ deliveryId }} label="Redeliver" pendingLabel="Sending…" />}
        </div>
        {delivery.attempts.length === 0 ? (
          <p className="rounded-xl border border-dashed border-zinc-300 p-6 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">Not attempted yet.</p>
        ) : (
          <ol className="space-y-3" data-testid="attempts">
            {delivery.attempts.map((a, i) => (
              <li key={a.id} className="space-y-2 rounded-xl border border-zinc-200 bg-white p-4 text-sm dark:border-zinc-800 dark:bg-zinc-900">
                <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                  <span className="font-medium">#{i + 1}</span>
                  <time dateTime={a.attemptedAt.toISOString()} className="text-zinc-600 dark:text-zinc-400">{a.attemptedAt.toISOString().replace("T", " ").slice(0, 19)} UTC</time>
                  {a.statusCode !== null ? (
                    <Badge tone={a.statusCode >= 200 && a.statusCode < 300 ? "green" : "red"}>HTTP {a.statusCode}</Badge>
                  ) : (
                    <Badge tone="red">no response</Badge>
                  )}
                  {a.latencyMs !== null && <span className="tabular-nums text-zinc-500">{a.latencyMs} ms</span>}
                </div>
                {a.error && <p className="break-words text-rose-700 dark:text-rose-300">{a.error}</p>}
                {a.responseBody && (
                  <pre className="max-h-40 overflow-auto whitespace-pre-wrap break-all rounded-lg bg-zinc-100 p-2 font-mono text-xs dark:bg-zinc-950">{a.responseBody}</pre>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="body" className="space-y-2">
        <h2 id="body" className="font-semibold">Request body</h2>
        <pre className="overflow-x-auto rounded-xl bg-zinc-950 p-4 text-xs leading-relaxed text-zinc-100 dark:ring-1 dark:ring-zinc-800">{prettyJson(delivery.body)}</pre>
      </section>
    </div>
  );
}
