import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db";
import { WebhookDeliveryTable } from "@/components/merchant/webhook-delivery-table";
import { WebhookEndpointForm } from "@/components/merchant/webhook-endpoint-form";
import { SignatureSnippet } from "@/components/merchant/webhook-signature-snippet";
import { Badge } from "@/components/ui/badge";
import { requireMerchant } from "@/lib/auth/current-merchant";
import { PLAN_LIMITS } from "@/lib/domain";
import { getSystemConfig } from "@/lib/system-config";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/endpoint-input";
import { listWebhookEndpoints } from "@/lib/webhooks/endpoints";
import { DELIVERY_STATUSES, listDeliveries, type DeliveryStatus } from "@/lib/webhooks/log";
import { createWebhookEndpointAction } from "./actions";

export const metadata: Metadata = { title: "Webhooks" };

const ENDPOINT_TONES = { active: "green", disabled: "neutral", failed: "red" } as const;

export default async function WebhooksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const merchant = await requireMerchant("/merchant/webhooks");
  const params = await searchParams;
  const status = DELIVERY_STATUSES.find((s) => s === params.status) as DeliveryStatus | undefined;
  const db = await getDb();
  const [endpoints, config, log] = await Promise.all([
    listWebhookEndpoints(db, merchant.id),
    getSystemConfig(db),
    listDeliveries(db, merchant.id, { status }, { limit: 25 }),
  ]);
  const limit = PLAN_LIMITS[merchant.planType].webhookEndpoints;
  const atLimit = limit !== null && endpoints.length >= limit;
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Webhooks</h1>
        <p className="mt-1 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
          Your server hears about every invoice and payment as it happens. Each delivery is a signed JSON POST; failed ones are retried with backoff, and
          every attempt is kept here.
        </p>
      </div>

      <section aria-labelledby="endpoints" className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="endpoints" className="font-semibold">Endpoints</h2>
          <span className="text-sm text-zinc-500 dark:text-zinc-400">
            {endpoints.length} of {limit ?? "unlimited"} on the {merchant.planType} plan
          </span>
        </div>
        {endpoints.length === 0 ? (
          <p className="rounded-xl border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
            No endpoints yet. Add one below to start receiving events.
          </p>
        ) : (
          <ul className="space-y-3">
            {endpoints.map((e) => (
              <li key={e.id}>
                <Link
                  href={`/merchant/webhooks/${e.id}`}
                  className="block space-y-2 rounded-xl border border-zinc-200 bg-white p-4 text-sm hover:border-indigo-300 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-indigo-500/50"
                >
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="min-w-0 flex-1 break-all font-mono text-xs font-medium">{e.url}</span>
                    <Badge tone={ENDPOINT_TONES[e.status]}>{e.status}</Badge>
                  </div>
                  <p className="text-zinc-600 dark:text-zinc-400">
                    {e.events.length} event{e.events.length === 1 ? "" : "s"} · {e.maxRetries} retries, {e.retryBackoff} · {e.timeoutSeconds} s timeout · secret …{e.secretLast4}
                    {e.consecutiveFailures > 0 && <span className="text-rose-600 dark:text-rose-400"> · {e.consecutiveFailures} failed attempts in a row</span>}
                  </p>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 className="font-semibold">Add an endpoint</h2>
        <WebhookEndpointForm
          action={createWebhookEndpointAction}
          eventTypes={WEBHOOK_EVENT_TYPES}
          allowHttpToLocalhost={config.securitySettings.allowHttpWebhooksToLocalhost}
          submitLabel="Add endpoint"
          limitMessage={atLimit ? `The ${merchant.planType} plan allows ${limit} endpoint${limit === 1 ? "" : "s"}. Delete one or upgrade the plan to add another.` : null}
        />
      </section>

      <section aria-labelledby="deliveries" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="deliveries" className="font-semibold">Recent deliveries</h2>
          <nav aria-label="Filter deliveries by status" className="flex flex-wrap gap-1 text-sm">
            {[undefined, ...DELIVERY_STATUSES].map((s) => (
              <Link
                key={s ?? "all"}
                href={s ? `/merchant/webhooks?status=${s}` : "/merchant/webhooks"}
                aria-current={s === status ? "page" : undefined}
                className="rounded-lg px-2.5 py-1 text-zinc-600 hover:bg-zinc-100 aria-[current=page]:bg-indigo-50 aria-[current=page]:font-medium aria-[current=page]:text-indigo-700 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:aria-[current=page]:bg-indigo-500/10 dark:aria-[current=page]:text-indigo-300"
              >
                {s ?? "all"}
              </Link>
            ))}
          </nav>
        </div>
        <WebhookDeliveryTable deliveries={log.items} showEndpoint />
      </section>

      <SignatureSnippet />
    </div>
  );
}
