import type { Executor } from "@/db";
import { notificationDeliveries } from "@/db/schema";
import { settings } from "@/lib/config";
import { EVENT_LABELS, notificationEventOf } from "./catalog";
import { loadEventContext, type NotifiableEvent } from "./context";
import { renderSubject } from "./render";
import { templatesForEvent } from "./templates";

export type PlanOptions = {
  /** Base of the checkout links (default APP_URL). */
  appUrl?: string;
  /** When the deliveries become due (default: now). */
  now?: Date;
};

/**
 * Turns one outbox event into pending NotificationDeliveries: one per active template of the event
 * and recipient with an address (the invoice's customer, if it has an email; the merchant's
 * notification address). Call it inside the outbox dispatcher's transaction, so an event is
 * planned exactly when it is marked dispatched. Running it again for the same event inserts
 * nothing (unique event, template, address). Returns how many deliveries it planned; events that
 * send no notification (other types, a closed merchant) plan none.
 */
export async function planNotifications(tx: Executor, event: NotifiableEvent, options: PlanOptions = {}): Promise<number> {
  const kind = notificationEventOf(event.eventType);
  if (!kind) return 0;
  // Seen again after a reorganisation: the customer was told the first time.
  if (kind === "payment_detected" && event.payload.redetected === true) return 0;
  const context = await loadEventContext(tx, event, options.appUrl ?? settings().APP_URL);
  if (!context || context.merchantStatus === "closed") return 0;

  const templates = await templatesForEvent(tx, context.merchantId, kind);
  const now = options.now ?? new Date();
  const rows = templates.flatMap((t) => {
    const to = t.recipient === "customer" ? context.customerEmail : context.merchantEmail;
    if (!t.isActive || !to) return [];
    return [
      {
        templateId: t.id,
        merchantId: context.merchantId,
        eventId: event.id,
        recipientAddress: to,
        // What the row shows until it is sent; the sender renders the subject again then.
        subject: renderSubject(t.subject, context.values) || EVENT_LABELS[kind],
        nextAttemptAt: now,
      },
    ];
  });
  if (rows.length === 0) return 0;
  const inserted = await tx
    .insert(notificationDeliveries)
    .values(rows)
    .onConflictDoNothing({ target: [notificationDeliveries.eventId, notificationDeliveries.templateId, notificationDeliveries.recipientAddress] })
    .returning({ id: notificationDeliveries.id });
  return inserted.length;
}

/**
 * planNotifications for each event of a relay batch, in order: the shape of an outbox consumer
 * (lib/events/dispatch.ts). Returns how many deliveries were planned.
 */
export async function planNotificationsForEvents(tx: Executor, events: readonly NotifiableEvent[], options: PlanOptions = {}): Promise<number> {
  const appUrl = options.appUrl ?? settings().APP_URL;
  let planned = 0;
  for (const event of events) planned += await planNotifications(tx, event, { ...options, appUrl });
  return planned;
}
