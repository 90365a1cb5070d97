import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db";
import { WebhookActionForm } from "@/components/merchant/webhook-action-form";
import { WebhookDeliveryTable } from "@/components/merchant/webhook-delivery-table";
import { WebhookEndpointForm } from "@/components/merchant/webhook-endpoint-form";
import { Badge } from "@/components/ui/badge";
import { secondaryButtonClass } from "@/components/ui/form";
import { requireMerchant } from "@/lib/auth/current-merchant";
import { getSystemConfig } from "@/lib/system-config";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/endpoint-input";
import { findWebhookEndpoint } from "@/lib/webhooks/endpoints";
import { listDeliveries } from "@/lib/webhooks/log";
import { deleteWebhookEndpointAction, rotateWebhookSecretAction, sendTestEventAction, setWebhookEndpointEnabledAction, updateWebhookEndpointAction } from "../actions";

export const metadata: Metadata = { title: "Webhook endpoint" };

const TONES = { active: "green", disabled: "neutral", failed: "red" } as const;

/** The `before` cursor of the delivery log: "<ISO time>_<uuid>". */
function parseCursor(value: string | string[] | undefined): { createdAt: Date; id: string } | undefined {
  if (typeof value !== "string") return undefined;
  const [at, id] = value.split("_");
  const createdAt = new Date(at ?? "");
  return Number.isNaN(createdAt.getTime()) || !id ? undefined : { createdAt, id };
}

export default async function WebhookEndpointPage({
  params,
  searchParams,
}: {
  params: Promise<{ endpointId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { endpointId } = await params;
  const merchant = await requireMerchant(`/merchant/webhooks/${endpointId}`);
  const db = await getDb();
  const endpoint = await findWebhookEndpoint(db, merchant.id, endpointId);
  if (!endpoint) notFound();
  const before = parseCursor((await searchParams).before);
  const [config, log] = await Promise.all([getSystemConfig(db), listDeliveries(db, merchant.id, { endpointId }, { limit: 20, before })]);
  return (
    <div className="space-y-8">
      <div className="space-y-2">
        <Link href="/merchant/webhooks" className="text-sm text-zinc-600 hover:underline dark:text-zinc-400">← Webhooks</Link>
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="min-w-0 break-all font-mono text-lg font-semibold">{endpoint.url}</h1>
          <Badge tone={TONES[endpoint.status]}>{endpoint.status}</Badge>
        </div>
        {endpoint.status === "failed" && (
          <p role="alert" className="rounded-lg border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800 dark:border-rose-500/30 dark:bg-rose-500/10 dark:text-rose-200">
            Deliveries kept failing, so this endpoint was turned off and you were emailed. Fix the receiver, then enable it: its waiting deliveries go out again.
          </p>
        )}
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Signing secret …{endpoint.secretLast4}</p>
      </div>

      <section className="grid gap-4 sm:grid-cols-3">
        <div className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          <h2 className="text-sm font-semibold">Send a test event</h2>
          <p className="mb-3 mt-1 text-sm text-zinc-600 dark:text-zinc-400">A signed WebhookTest event, sent now.</p>
          {endpoint.status === "active" ? (
            <WebhookActionForm action={sendTestEventAction} fields={{ endpointId }} label="Send test event" pendingLabel="Sending…" primary />
          ) : (
            <p className="text-sm text-zinc-500">Enable the endpoint first.</p>
          )}
        </div>
        <div className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          <h2 className="text-sm font-semibold">{endpoint.status === "active" ? "Pause deliveries" : "Resume deliveries"}</h2>
          <p className="mb-3 mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            {endpoint.status === "active" ? "New events are not sent while disabled." : "Waiting deliveries are sent again."}
          </p>
          <form action={setWebhookEndpointEnabledAction}>
            <input type="hidden" name="endpointId" value={endpointId} />
            <input type="hidden" name="enabled" value={String(endpoint.status !== "active")} />
            <button type="submit" className={secondaryButtonClass}>{endpoint.status === "active" ? "Disable" : "Enable"}</button>
          </form>
        </div>
        <div className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          <h2 className="text-sm font-semibold">Rotate the secret</h2>
          <p className="mb-3 mt-1 text-sm text-zinc-600 dark:text-zinc-400">The old secret stops working at once.</p>
          <WebhookActionForm action={rotateWebhookSecretAction} fields={{ endpointId }} label="Rotate secret" pendingLabel="Rotating…" />
        </div>
      </section>

      <section aria-labelledby="log" className="space-y-3">
        <h2 id="log" className="font-semibold">Delivery log</h2>
        <WebhookDeliveryTable deliveries={log.items} />
        <div className="flex gap-3 text-sm">
          {before && <Link href={`/merchant/webhooks/${endpointId}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">Newest</Link>}
          {log.next && (
            <Link href={`/merchant/webhooks/${endpointId}?before=${log.next.createdAt.toISOString()}_${log.next.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
              Older →
            </Link>
          )}
        </div>
      </section>

      <section className="rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 className="font-semibold">Settings</h2>
        <WebhookEndpointForm
          action={updateWebhookEndpointAction}
          eventTypes={WEBHOOK_EVENT_TYPES}
          initial={{
            id: endpoint.id,
            url: endpoint.url,
            events: endpoint.events,
            maxRetries: endpoint.maxRetries,
            retryBackoff: endpoint.retryBackoff,
            timeoutSeconds: endpoint.timeoutSeconds,
            allowedIps: endpoint.allowedIps,
          }}
          allowHttpToLocalhost={config.securitySettings.allowHttpWebhooksToLocalhost}
          submitLabel="Save changes"
        />
      </section>

      <section className="rounded-xl border border-rose-200 bg-white p-5 dark:border-rose-500/30 dark:bg-zinc-900">
        <h2 className="font-semibold">Delete this endpoint</h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Its delivery log is deleted with it. Events keep happening; they are just not sent here.</p>
        <details className="mt-3">
          <summary className="inline-flex min-h-10 cursor-pointer items-center rounded-lg border border-rose-300 px-3 text-sm font-medium text-rose-700 hover:bg-rose-50 dark:border-rose-500/40 dark:text-rose-300 dark:hover:bg-rose-500/10">
            Delete…
          </summary>
          <form action={deleteWebhookEndpointAction} className="mt-3 flex flex-wrap items-center gap-3">
            <input type="hidden" name="endpointId" value={endpointId} />
            <span className="text-sm">This cannot be undone.</span>
            <button type="submit" className="inline-flex min-h-10 items-center rounded-lg bg-rose-600 px-4 text-sm font-semibold text-white hover:bg-rose-500">
              Delete endpoint
            </button>
          </form>
        </details>
      </section>
    </div>
  );
}
