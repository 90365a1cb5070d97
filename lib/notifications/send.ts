import { and, asc, eq, lte, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { notificationDeliveries, notificationTemplates, outboxEvents } from "@/db/schema";
import { settings } from "@/lib/config";
import { MailError, type Mailer } from "@/lib/mail/transport";
import { EVENT_LABELS } from "./catalog";
import { loadEventContext } from "./context";
import { renderMessage, type RenderedMessage } from "./render";

/**
 * Sends due NotificationDeliveries. Each row is claimed in its own short transaction (FOR UPDATE
 * SKIP LOCKED, so concurrent senders take different rows): the claim counts the attempt and pushes
 * next_attempt_at a lease ahead. The mail is sent outside any transaction; the outcome is then
 * written only if the row is still the claimed attempt. A sender that dies mid-send leaves the row
 * pending, due again when the lease ends: a crash may send a message twice, never lose one.
 */

export const MAX_NOTIFICATION_ATTEMPTS = 5;
/** Wait after failed attempt n (1-based) before attempt n + 1. */
export const RETRY_BACKOFF_MINUTES = [1, 5, 15, 60];
/** Longer than one send can take (the SMTP transport gives up within 40 s). */
export const CLAIM_LEASE_MS = 5 * 60_000;
export const INTERRUPTED_ERROR = "Sending was interrupted (the sender stopped before it finished)";

export type SendOptions = { now?: Date; limit?: number; appUrl?: string };
export type SendReport = { sent: number; retrying: number; failed: number };

type Claimed = typeof notificationDeliveries.$inferSelect;

const MINUTE = 60_000;

/** When attempt `attempts + 1` may run, after `attempts` failed ones. */
export function nextAttemptAfter(now: Date, attempts: number): Date {
  const minutes: number = RETRY_BACKOFF_MINUTES[Math.max(1, Math.min(attempts, RETRY_BACKOFF_MINUTES.length)) - 1]!;
  return new Date(now.getTime() + minutes * MINUTE);
}

async function claimNext(db: Db, now: Date, report: SendReport): Promise<Claimed | null> {
  return db.transaction(async (tx) => {
    for (;;) {
      const [due] = await tx
        .select({ id: notificationDeliveries.id, attempts: notificationDeliveries.attempts })
        .from(notificationDeliveries)
        .where(and(eq(notificationDeliveries.status, "pending"), lte(notificationDeliveries.nextAttemptAt, now)))
        .orderBy(asc(notificationDeliveries.nextAttemptAt), asc(notificationDeliveries.id))
        .limit(1)
        .for("update", { skipLocked: true });
      if (!due) return null;
      if (due.attempts >= MAX_NOTIFICATION_ATTEMPTS) {
        // Its last attempt was claimed and never finished: no attempt is left.
        await tx
          .update(notificationDeliveries)
          .set({ status: "failed", lastError: sql`coalesce(${notificationDeliveries.lastError}, ${INTERRUPTED_ERROR})` })
          .where(eq(notificationDeliveries.id, due.id));
        report.failed++;
        continue;
      }
      // Guarded on the attempt seen as well as locked: a claim can only ever be taken once.
      const [row] = await tx
        .update(notificationDeliveries)
        .set({ attempts: due.attempts + 1, nextAttemptAt: new Date(now.getTime() + CLAIM_LEASE_MS) })
        .where(and(eq(notificationDeliveries.id, due.id), eq(notificationDeliveries.status, "pending"), eq(notificationDeliveries.attempts, due.attempts)))
        .returning();
      if (row) return row;
    }
  });
}

/** The message of a claimed row, or why it cannot be sent at all. */
async function prepare(db: Db, row: Claimed, appUrl: string): Promise<{ refused: string } | { message: RenderedMessage }> {
  const [found] = await db
    .select({ template: notificationTemplates, event: outboxEvents })
    .from(notificationDeliveries)
    .leftJoin(notificationTemplates, eq(notificationTemplates.id, notificationDeliveries.templateId))
    .leftJoin(outboxEvents, eq(outboxEvents.id, notificationDeliveries.eventId))
    .where(eq(notificationDeliveries.id, row.id));
  if (!found?.template || !found.event) return { refused: "Not sent: its template or event no longer exists" };
  if (!found.template.isActive) return { refused: "Not sent: the template was switched off before sending" };
  const context = await loadEventContext(db, found.event, appUrl);
  if (!context) return { refused: "Not sent: the invoice or merchant it was about no longer exists" };
  const message = renderMessage({ subject: found.template.subject, body: found.template.bodyTemplate }, context.values);
  return { message: { ...message, subject: message.subject || EVENT_LABELS[context.event] } };
}

function failureText(error: unknown): string {
  return error instanceof MailError ? error.message : `Sending failed (${error instanceof Error ? error.name : "unknown error"})`;
}

/** The message id the mailer reports, when it reports one. */
function messageIdOf(result: unknown): string | null {
  const id = (result as { messageId?: unknown } | undefined)?.messageId;
  return typeof id === "string" ? id.slice(0, 500) : null;
}

/**
 * Claims and sends up to `limit` due deliveries, one at a time. A failed attempt is retried after
 * 1, 5, 15 and 60 minutes; after MAX_NOTIFICATION_ATTEMPTS the row is failed. Logs nothing: the
 * outcome, with the SMTP server's error, is on the row.
 */
export async function sendDueNotifications(db: Db, mailer: Mailer, options: SendOptions = {}): Promise<SendReport> {
  // Without a fixed `now` (tests), each claim and outcome is timed when it happens.
  const clock = () => options.now ?? new Date();
  const limit = options.limit ?? 50;
  const appUrl = options.appUrl ?? settings().APP_URL;
  const report: SendReport = { sent: 0, retrying: 0, failed: 0 };
  for (let i = 0; i < limit; i++) {
    const row = await claimNext(db, clock(), report);
    if (!row) break;
    // Only this attempt may write the outcome (a lease that ran out lets another sender retry).
    const mine = and(eq(notificationDeliveries.id, row.id), eq(notificationDeliveries.status, "pending"), eq(notificationDeliveries.attempts, row.attempts));
    let outcome: { messageId: string | null; subject: string } | { error: string; final?: boolean };
    try {
      const prepared = await prepare(db, row, appUrl);
      if ("refused" in prepared) {
        outcome = { error: prepared.refused, final: true };
      } else {
        const result: unknown = await mailer.send({ to: row.recipientAddress, ...prepared.message });
        outcome = { messageId: messageIdOf(result), subject: prepared.message.subject };
      }
    } catch (error) {
      outcome = { error: failureText(error) };
    }
    const now = clock();
    if ("messageId" in outcome) {
      await db
        .update(notificationDeliveries)
        .set({ status: "sent", sentAt: now, providerMessageId: outcome.messageId, subject: outcome.subject, lastError: null })
        .where(mine);
      report.sent++;
    } else if (outcome.final || row.attempts >= MAX_NOTIFICATION_ATTEMPTS) {
      await db.update(notificationDeliveries).set({ status: "failed", lastError: outcome.error }).where(mine);
      report.failed++;
    } else {
      await db
        .update(notificationDeliveries)
        .set({ lastError: outcome.error, nextAttemptAt: nextAttemptAfter(now, row.attempts) })
        .where(mine);
      report.retrying++;
    }
  }
  return report;
}
