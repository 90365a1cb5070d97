/**
 * The merchant-facing side of the job loop: relays the outbox (webhook deliveries and, when given,
 * other consumers such as notifications) and works the delivery queue, every `intervalMs`. Run by
 * the app in-process (like the chain watcher) and by `npm run worker`.
 */
import type { Db } from "@/db";
import { dispatchOutbox, type OutboxConsumer } from "@/lib/events/dispatch";
import { deliverDueWebhooks, type DeliveryOptions, type DeliveryRoundReport } from "@/lib/webhooks/deliver";
import { configuredMailer } from "@/lib/mail/transport";
import { planNotificationsForEvents } from "@/lib/notifications/plan";
import { sendDueNotifications } from "@/lib/notifications/send";
import { planWebhookDeliveries } from "@/lib/webhooks/plan";
import { startLoop, type Loop } from "./loop";

/** How often the app and the worker relay the outbox and send due webhooks. */
export const DELIVERY_INTERVAL_MS = 1_000;

/**
 * The outbox consumers and follow-up work besides webhooks that every runner of the loop uses:
 * notification emails are planned from the outbox in the relay's transaction, and sent after the
 * webhooks when SMTP is configured (without it they wait, and the dashboard says so).
 */
export function deliveryJobs(db: Db): Pick<DeliveryWorkerOptions, "consumers" | "after"> {
  return {
    consumers: [planNotificationsForEvents],
    after: async () => {
      const mailer = configuredMailer();
      if (!mailer) return;
      const report = await sendDueNotifications(db, mailer);
      return report.sent || report.retrying || report.failed ? { notifications: report } : undefined;
    },
  };
}

export type DeliveryTick = { events: number; deliveries: DeliveryRoundReport; extra?: Record<string, unknown> } | { error: string };

export type DeliveryWorkerOptions = {
  intervalMs: number;
  /** Further outbox consumers, run in the relay's transaction after the webhook planner. */
  consumers?: OutboxConsumer[];
  /** Work to run after the deliveries of each tick (sending due notification emails, say). */
  after?: () => Promise<Record<string, unknown> | void>;
  delivery?: DeliveryOptions;
  onTick?: (tick: DeliveryTick) => void;
};

/** One round: relay every waiting event (in batches), then send what is due. */
export async function runDeliveryRound(db: Db, options: Omit<DeliveryWorkerOptions, "intervalMs" | "onTick"> = {}): Promise<DeliveryTick> {
  const consumers: OutboxConsumer[] = [planWebhookDeliveries, ...(options.consumers ?? [])];
  let events = 0;
  for (;;) {
    const batch = await dispatchOutbox(db, consumers);
    events += batch.events;
    if (batch.events < 200) break;
  }
  const deliveries = await deliverDueWebhooks(db, options.delivery);
  const extra = (await options.after?.()) ?? undefined;
  return { events, deliveries, ...(extra ? { extra } : {}) };
}

export type DeliveryWorker = Loop;

export function startDeliveryWorker(db: Db, options: DeliveryWorkerOptions): DeliveryWorker {
  return startLoop(options.intervalMs, async () => {
    try {
      options.onTick?.(await runDeliveryRound(db, options));
    } catch (error) {
      options.onTick?.({ error: error instanceof Error ? error.message : String(error) });
    }
  });
}

/** A log line for each tick that did something, and each error once until it changes. */
export function logDeliveryTick(log: (line: string) => void = console.log) {
  let lastError: string | null = null;
  return (tick: DeliveryTick) => {
    if ("error" in tick) {
      if (tick.error !== lastError) log(`[deliveries] ${tick.error}`);
      lastError = tick.error;
      return;
    }
    lastError = null;
    const d = tick.deliveries;
    const mail = tick.extra?.notifications as { sent: number; retrying: number; failed: number } | undefined;
    // Relaying alone is routine (every event passes through); a line is written when something was sent.
    if (d.claimed || mail) {
      log(
        `[deliveries] webhooks: ${d.succeeded} delivered, ${d.retrying} to retry, ${d.failed} failed` +
          (d.endpointsFailed ? `, ${d.endpointsFailed} endpoint(s) marked failed` : "") +
          (mail ? `; emails: ${mail.sent} sent, ${mail.retrying} to retry, ${mail.failed} failed` : ""),
      );
    }
  };
}
