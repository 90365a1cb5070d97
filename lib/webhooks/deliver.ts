import { and, eq, inArray, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db";
import { invoices, outboxEvents, webhookDeliveries, webhookDeliveryAttempts, webhookEndpoints } from "@/db/schema";
import { recordAudit, SYSTEM_AUDIT } from "@/lib/audit";
import type { KeyEncryptionKey } from "@/lib/crypto/envelope";
import { recordEvent } from "@/lib/events/outbox";
import { getSystemConfig } from "@/lib/system-config";
import { parseCidrList } from "./destination-policy";
import { openWebhookSecret } from "./endpoints";
import { nextStep, type NextStep } from "./retry-policy";
import { sendWebhook, type Resolver, type SendResult } from "./send";
import { SIGNATURE_HEADER, signWebhook } from "./signature";

/**
 * The delivery queue: webhook_deliveries rows worked with FOR UPDATE SKIP LOCKED, so any number of
 * workers (app instances, `npm run worker`) share it without sending one delivery twice at once.
 *
 * A claim marks the row `delivering` and moves its next_attempt_at to the end of a lease (the
 * endpoint's timeout plus a margin) in its own short transaction; the POST happens outside any
 * transaction; the outcome, the attempt row and the next step are written together afterwards. A
 * worker killed mid-delivery leaves the row `delivering` with an expired lease, and the next round
 * claims it again: every event is delivered at least once, and receivers de-duplicate on the event
 * id (the body's `id` and the CryptoCheckout-Event-Id header).
 */

export const LEASE_MARGIN_SECONDS = 30;
/** A delivery that ends failed marks its endpoint failed once this many attempts in a row have failed. */
export const FAILURE_STREAK_LIMIT = 10;
export const USER_AGENT = "CryptoCheckout-Webhooks/1.0";

export type DeliveryOptions = {
  limit?: number;
  concurrency?: number;
  /** Only these deliveries (a redelivery or a test event sent from the dashboard, delivered at once). */
  deliveryIds?: string[];
  /** Added to the endpoint's timeout to make the claim's lease (default LEASE_MARGIN_SECONDS). */
  leaseMarginSeconds?: number;
  now?: () => Date;
  random?: () => number;
  resolve?: Resolver;
  keks?: KeyEncryptionKey[];
};

export type DeliveryRoundReport = { claimed: number; succeeded: number; retrying: number; failed: number; endpointsFailed: number };

/**
 * The exact body POSTed for an event: what the signature covers. `livemode` is the invoice's mode
 * for invoice and payment events, null for events that belong to no invoice.
 */
export function webhookBody(event: { id: string; eventType: string; occurredAt: Date; payload: Record<string, unknown> }, livemode: boolean | null = null): string {
  return JSON.stringify({ id: event.id, type: event.eventType, created: Math.floor(event.occurredAt.getTime() / 1000), livemode, data: event.payload });
}

async function claim(db: Db, now: Date, limit: number, marginSeconds: number, ids?: string[]): Promise<string[]> {
  const only = ids ? sql`and d.id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})` : sql``;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update webhook_deliveries d
           set status = 'delivering',
               next_attempt_at = ${now.toISOString()}::timestamptz + make_interval(secs => e.timeout_seconds + ${marginSeconds})
          from webhook_endpoints e
         where e.id = d.endpoint_id
           and d.id in (
             select d2.id from webhook_deliveries d2
               join webhook_endpoints e2 on e2.id = d2.endpoint_id
              where d2.status in ('pending', 'delivering')
                and d2.next_attempt_at <= ${now.toISOString()}::timestamptz
                and e2.status = 'active' ${only}
              order by d2.next_attempt_at
              limit ${limit}
                for update of d2 skip locked)
        returning d.id`,
  );
  return rows.map((r) => r.id);
}

export async function deliverDueWebhooks(db: Db, options: DeliveryOptions = {}): Promise<DeliveryRoundReport> {
  const now = options.now ?? (() => new Date());
  const report: DeliveryRoundReport = { claimed: 0, succeeded: 0, retrying: 0, failed: 0, endpointsFailed: 0 };
  if (options.deliveryIds && options.deliveryIds.length === 0) return report;
  const ids = await claim(db, now(), options.limit ?? 50, options.leaseMarginSeconds ?? LEASE_MARGIN_SECONDS, options.deliveryIds);
  report.claimed = ids.length;
  if (ids.length === 0) return report;

  const rows = await db
    .select({
      id: webhookDeliveries.id,
      attemptCount: webhookDeliveries.attemptCount,
      livemode: invoices.livemode,
      event: { id: outboxEvents.id, eventType: outboxEvents.eventType, occurredAt: outboxEvents.occurredAt, payload: outboxEvents.payload },
      endpoint: {
        id: webhookEndpoints.id,
        merchantId: webhookEndpoints.merchantId,
        url: webhookEndpoints.url,
        secretCiphertext: webhookEndpoints.secretCiphertext,
        maxRetries: webhookEndpoints.maxRetries,
        retryBackoff: webhookEndpoints.retryBackoff,
        timeoutSeconds: webhookEndpoints.timeoutSeconds,
        allowedIps: webhookEndpoints.allowedIps,
      },
    })
    .from(webhookDeliveries)
    .innerJoin(outboxEvents, eq(outboxEvents.id, webhookDeliveries.eventId))
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .leftJoin(invoices, eq(invoices.id, webhookDeliveries.invoiceId))
    .where(inArray(webhookDeliveries.id, ids));
  const { securitySettings } = await getSystemConfig(db);

  const queue = [...rows];
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      const parsedIps = parseCidrList(row.endpoint.allowedIps);
      const body = webhookBody(row.event, row.livemode);
      const timestamp = Math.floor(now().getTime() / 1000);
      let result: SendResult;
      try {
        const secret = openWebhookSecret(row.endpoint.id, row.endpoint.secretCiphertext, options.keks);
        result = await sendWebhook(
          {
            url: row.endpoint.url,
            body,
            timeoutMs: row.endpoint.timeoutSeconds * 1000,
            headers: {
              "content-type": "application/json",
              "user-agent": USER_AGENT,
              [SIGNATURE_HEADER]: signWebhook(secret, body, timestamp),
              "CryptoCheckout-Event-Id": row.event.id,
              "CryptoCheckout-Event-Type": row.event.eventType,
              "CryptoCheckout-Delivery-Id": row.id,
            },
          },
          { allowPrivateTargets: securitySettings.allowPrivateWebhookTargets, allowedIps: parsedIps.ok ? parsedIps.value : null },
          options.resolve,
        );
      } catch (error) {
        // The secret could not be opened (a key missing from ENCRYPTION_PREVIOUS_KEYS): nothing was sent.
        result = { kind: "refused", error: `Not sent: ${error instanceof Error ? error.message : String(error)}`, address: null };
      }
      const outcome = await recordOutcome(db, row, result, now(), options.random);
      report[outcome.result]++;
      if (outcome.endpointFailed) report.endpointsFailed++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, rows.length) }, worker));
  return report;
}

type ClaimedRow = {
  id: string;
  attemptCount: number;
  endpoint: { id: string; merchantId: string; url: string; maxRetries: number; retryBackoff: "linear" | "exponential" };
};

async function recordOutcome(
  db: Db,
  row: ClaimedRow,
  result: SendResult,
  now: Date,
  random?: () => number,
): Promise<{ result: "succeeded" | "retrying" | "failed"; endpointFailed: boolean }> {
  const attempt = row.attemptCount + 1;
  const step: NextStep = result.kind === "refused" ? { action: "failed", reason: "not_retryable" } : nextStep(result.outcome, attempt, row.endpoint, now, random);
  const error = result.error;
  return db.transaction(async (tx) => {
    await tx.insert(webhookDeliveryAttempts).values({
      deliveryId: row.id,
      attemptedAt: now,
      statusCode: result.kind === "sent" ? result.statusCode : null,
      latencyMs: result.kind === "sent" ? result.latencyMs : null,
      responseBody: result.kind === "sent" ? result.responseBody : null,
      error,
    });
    const lastStatusCode = result.kind === "sent" ? result.statusCode : null;
    await tx
      .update(webhookDeliveries)
      .set(
        step.action === "retry"
          ? { status: "pending", attemptCount: attempt, lastStatusCode, nextAttemptAt: step.at }
          : { status: step.action, attemptCount: attempt, lastStatusCode, completedAt: now },
      )
      .where(and(eq(webhookDeliveries.id, row.id), eq(webhookDeliveries.status, "delivering")));

    if (step.action === "succeeded") {
      await tx.update(webhookEndpoints).set({ consecutiveFailures: 0 }).where(eq(webhookEndpoints.id, row.endpoint.id));
      return { result: "succeeded" as const, endpointFailed: false };
    }
    const [endpoint] = await tx
      .update(webhookEndpoints)
      .set({ consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1` })
      .where(eq(webhookEndpoints.id, row.endpoint.id))
      .returning({ streak: webhookEndpoints.consecutiveFailures, status: webhookEndpoints.status });
    const result_ = step.action === "retry" ? ("retrying" as const) : ("failed" as const);
    if (!endpoint || endpoint.status !== "active" || step.action !== "failed") return { result: result_, endpointFailed: false };
    // "Keeps failing": a delivery used every retry with no success on this endpoint in between, or
    // a long run of refusals (4xx, refused destinations) that retrying cannot mend.
    const keepsFailing = step.reason === "retries_exhausted" ? endpoint.streak >= row.endpoint.maxRetries + 1 : endpoint.streak >= FAILURE_STREAK_LIMIT;
    if (!keepsFailing) return { result: result_, endpointFailed: false };
    await tx.update(webhookEndpoints).set({ status: "failed", updatedAt: now }).where(eq(webhookEndpoints.id, row.endpoint.id));
    const payload = { endpointId: row.endpoint.id, url: row.endpoint.url, consecutiveFailures: endpoint.streak, lastError: error ?? `HTTP ${lastStatusCode}` };
    await recordEvent(tx, {
      aggregateType: "merchant",
      aggregateId: row.endpoint.merchantId,
      merchantId: row.endpoint.merchantId,
      eventType: "WebhookEndpointFailed",
      actor: { type: "system" },
      payload,
      occurredAt: now,
    });
    await recordAudit(tx, { merchantId: row.endpoint.merchantId, event: "webhook_endpoint.failed", data: payload, at: now }, SYSTEM_AUDIT);
    return { result: result_, endpointFailed: true };
  });
}
