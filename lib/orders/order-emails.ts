import { and, asc, eq, inArray, isNotNull, isNull, lt, lte, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { accountOrders, accounts } from "@/db/schema";
import { settings } from "@/lib/config";
import { money, type FiatCurrency, type Money } from "@/lib/domain";
import { formatFiat } from "@/lib/format";
import { renderOrderEmail } from "@/lib/mail/order-email";
import { configuredMailer, MailError, type Mailer } from "@/lib/mail/transport";
import { orderLinkSettings, orderPageUrl, type OrderLinkSettings } from "./access-token";

/**
 * The order link, by email, to buyers who gave an address: sent after the payment (the watcher
 * calls this after each tick, outside any transaction), retried on later ticks until it goes
 * through or MAX_EMAIL_ATTEMPTS were made. Attempt n + 1 waits n minutes after attempt n
 * (measured from updated_at, which nothing else changes once an order is paid).
 *
 * Each attempt is claimed first (attempts + 1, guarded on the count seen), so several watchers
 * never send the same attempt twice; a crash between the claim and the send costs one attempt.
 */

export const MAX_EMAIL_ATTEMPTS = 5;
const RETRY_STEP_MINUTES = 1;
export const EMAIL_NOT_CONFIGURED = "Not sent: no mail server is configured (SMTP_URL is not set)";

export type OrderEmailReport = { sent: number; failed: number; notConfigured: number };

export type OrderEmailOptions = {
  /** Default: the mailer SMTP_URL configures (null when unset). */
  mailer?: Mailer | null;
  links?: OrderLinkSettings;
  storeName?: string;
  now?: Date;
  limit?: number;
};

export async function sendPendingOrderEmails(db: Executor, options: OrderEmailOptions = {}): Promise<OrderEmailReport> {
  const now = options.now ?? new Date();
  const report: OrderEmailReport = { sent: 0, failed: 0, notConfigured: 0 };
  const due = await dueOrderEmails(db, now, options.limit ?? 20);
  if (due.length === 0) return report; // the common case: settings are not even read
  const mailer = options.mailer === undefined ? configuredMailer() : options.mailer;
  if (!mailer) {
    report.notConfigured = await recordNotConfigured(db, due.map((d) => d.id), now);
    return report;
  }
  const links = options.links ?? orderLinkSettings();
  const storeName = options.storeName ?? settings().STORE_NAME;
  for (const order of due) {
    if (!(await claimAttempt(db, order.id, order.attempts, now))) continue;
    const message = renderOrderEmail({
      to: order.email,
      storeName,
      accountName: order.accountName,
      priceLabel: formatFiat(order.price),
      orderUrl: orderPageUrl(links, order.id),
    });
    const error = await mailer.send(message).then(
      () => null,
      (e: unknown) => (e instanceof MailError ? e.message : `Sending failed (${e instanceof Error ? e.name : "unknown error"})`),
    );
    await db
      .update(accountOrders)
      .set(error ? { emailError: error } : { emailSentAt: now, emailError: null })
      .where(eq(accountOrders.id, order.id));
    if (error) report.failed++;
    else report.sent++;
  }
  return report;
}

/** Sendable orders whose next attempt is due, oldest payment first. */
async function dueOrderEmails(db: Executor, now: Date, limit: number) {
  const rows = await db
    .select({
      id: accountOrders.id,
      email: accountOrders.buyerEmail,
      attempts: accountOrders.emailAttempts,
      priceMinor: accountOrders.priceMinor,
      priceCurrency: accountOrders.priceCurrency,
      accountName: accounts.displayName,
    })
    .from(accountOrders)
    .innerJoin(accounts, eq(accounts.id, accountOrders.accountId))
    .where(
      and(
        eq(accountOrders.status, "paid"),
        isNotNull(accountOrders.buyerEmail),
        isNull(accountOrders.emailSentAt),
        lt(accountOrders.emailAttempts, MAX_EMAIL_ATTEMPTS),
        lte(
          accountOrders.updatedAt,
          sql`${now.toISOString()}::timestamptz - ${accountOrders.emailAttempts} * ${`${RETRY_STEP_MINUTES} minutes`}::interval`,
        ),
      ),
    )
    .orderBy(asc(accountOrders.paidAt))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    email: r.email!,
    attempts: r.attempts,
    accountName: r.accountName,
    price: money(r.priceMinor, r.priceCurrency) as Money & { asset: FiatCurrency },
  }));
}

/** Takes attempt `seen + 1` of this order's email, unless another sender took it first. */
async function claimAttempt(db: Executor, orderId: string, seen: number, now: Date): Promise<boolean> {
  const [claimed] = await db
    .update(accountOrders)
    .set({ emailAttempts: seen + 1, updatedAt: now })
    .where(and(eq(accountOrders.id, orderId), eq(accountOrders.emailAttempts, seen), isNull(accountOrders.emailSentAt)))
    .returning({ id: accountOrders.id });
  return claimed !== undefined;
}

/** Without a mail server nothing can be sent: say so on the orders, and stop trying. */
async function recordNotConfigured(db: Executor, ids: string[], now: Date): Promise<number> {
  const rows = await db
    .update(accountOrders)
    .set({ emailError: EMAIL_NOT_CONFIGURED, emailAttempts: MAX_EMAIL_ATTEMPTS, updatedAt: now })
    .where(and(inArray(accountOrders.id, ids), isNull(accountOrders.emailSentAt)))
    .returning({ id: accountOrders.id });
  return rows.length;
}
