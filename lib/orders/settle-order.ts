import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { accountOrders, accounts, invoices, type OrderStatus } from "@/db/schema";
import { recordAudit, SYSTEM_AUDIT } from "@/lib/audit";
import {
  classifyPaymentAmount,
  createPaymentTolerance,
  money,
  transitionAccountStatus,
  type PaymentStatus,
} from "@/lib/domain";
import { recordEvent } from "@/lib/events/outbox";
import { transitionOrder } from "./order-state";
import { hasLiveReservation } from "./reservations";

/**
 * Settlement: an order follows its invoice, in the invoice's own transaction (the invoice row is
 * locked by the caller; the order row, then the account row, are locked here, always in that
 * order). Called on every reconciliation of every invoice, so an invoice that is not the store's
 * (no orderId in its metadata) costs nothing.
 *
 * - invoice paid      → order paid, account AVAILABLE → SOLD, AccountStatusChanged
 * - invoice expired   → order expired: the account is free again
 * - invoice cancelled → order cancelled
 * - invoice expired and paid late (its CONFIRMED payments cover the amount) while the order is
 *   expired → sold if the account is still AVAILABLE and nobody else holds it, else unfulfillable
 *   (an event and an audit entry so that an admin refunds)
 */

/** What settlement reads of the invoice, with the status and exception reconciliation gives it. */
export type SettlingInvoice = Pick<
  typeof invoices.$inferSelect,
  | "id"
  | "merchantId"
  | "status"
  | "exception"
  | "metadata"
  | "cryptoAmount"
  | "cryptoCurrency"
  | "underpaymentThresholdBps"
  | "overpaymentThresholdBps"
  | "overpaymentAction"
>;

/** The invoice's payments in its asset (reconciliation's rows). */
export type SettlingPayment = { amount: bigint; status: PaymentStatus };

type LockedOrder = { id: string; accountId: string; status: OrderStatus; merchantId: string; invoiceId: string };

export async function settleOrderOfInvoice(
  tx: Executor,
  invoice: SettlingInvoice,
  payments: readonly SettlingPayment[],
  now: Date,
): Promise<void> {
  if (!invoice.metadata?.orderId) return;
  const order = await lockOrderOfInvoice(tx, invoice.id);
  if (!order) return;
  let status = order.status;
  if (status === "reserved") {
    if (invoice.status === "paid") status = await sellOrRefund(tx, order, now);
    else if (invoice.status === "expired" || invoice.status === "cancelled") {
      status = await moveOrder(tx, order, invoice.status, now);
    }
  }
  if (status === "expired" && invoice.status === "expired" && invoice.exception === "paid_late" && confirmedCovers(invoice, payments)) {
    await sellOrRefund(tx, { ...order, status }, now);
  }
}

/** CancelInvoice's hook: the order of a cancelled invoice is cancelled, freeing the account. */
export async function cancelOrderOfInvoice(tx: Executor, invoiceId: string, now: Date): Promise<void> {
  const order = await lockOrderOfInvoice(tx, invoiceId);
  if (order?.status === "reserved") await moveOrder(tx, order, "cancelled", now);
}

async function lockOrderOfInvoice(tx: Executor, invoiceId: string): Promise<LockedOrder | null> {
  const [order] = await tx
    .select({
      id: accountOrders.id,
      accountId: accountOrders.accountId,
      status: accountOrders.status,
      invoiceId: accountOrders.invoiceId,
      merchantId: invoices.merchantId,
    })
    .from(accountOrders)
    .innerJoin(invoices, eq(invoices.id, accountOrders.invoiceId))
    .where(eq(accountOrders.invoiceId, invoiceId))
    .for("update", { of: accountOrders });
  return order ?? null;
}

/** Whether the confirmed payments alone settle the invoice, through its tolerance. */
function confirmedCovers(invoice: SettlingInvoice, payments: readonly SettlingPayment[]): boolean {
  const confirmed = payments.filter((p) => p.status === "confirmed").reduce((sum, p) => sum + p.amount, 0n);
  const tolerance = createPaymentTolerance({
    underpaymentThresholdBps: invoice.underpaymentThresholdBps,
    overpaymentThresholdBps: invoice.overpaymentThresholdBps,
    overpaymentAction: invoice.overpaymentAction,
  });
  const kind = classifyPaymentAmount(money(invoice.cryptoAmount, invoice.cryptoCurrency), money(confirmed, invoice.cryptoCurrency), tolerance).kind;
  return kind === "full" || kind === "overpaid";
}

/**
 * The order is paid for: sell the account if it can still be sold to this buyer, else the order is
 * unfulfillable. A reserved order holds the account, so only its status matters; an expired one
 * (paid late) also needs nobody else to hold it now.
 */
async function sellOrRefund(tx: Executor, order: LockedOrder, now: Date): Promise<OrderStatus> {
  const [account] = await tx
    .select({ status: accounts.status })
    .from(accounts)
    .where(eq(accounts.id, order.accountId))
    .for("update");
  const heldByOther = order.status !== "reserved" && (await hasLiveReservation(tx, order.accountId));
  if (!account || account.status !== "AVAILABLE" || heldByOther) {
    const reason = heldByOther ? "reserved by another buyer" : `account is ${account?.status ?? "gone"}`;
    await recordSystemAccountEvent(tx, order, "AccountOrderUnfulfillable", now, { orderId: order.id, invoiceId: order.invoiceId, reason, refundDue: true });
    return moveOrder(tx, order, "unfulfillable", now, { reason, refundDue: true });
  }
  const newStatus = transitionAccountStatus(account.status, "SOLD");
  const [sold] = await tx
    .update(accounts)
    .set({ status: newStatus, soldAt: now, updatedAt: now })
    .where(and(eq(accounts.id, order.accountId), eq(accounts.status, account.status)))
    .returning({ id: accounts.id });
  if (!sold) throw new Error(`account ${order.accountId} changed under its lock`);
  await recordSystemAccountEvent(tx, order, "AccountStatusChanged", now, { oldStatus: account.status, newStatus, timestamp: now });
  return moveOrder(tx, order, "paid", now);
}

/** An event of the order's account, recorded by the system (the chain watcher settles orders). */
function recordSystemAccountEvent(tx: Executor, order: LockedOrder, eventType: string, now: Date, payload: Record<string, unknown>) {
  return recordEvent(tx, {
    aggregateType: "account",
    aggregateId: order.accountId,
    merchantId: order.merchantId,
    eventType,
    actor: { type: "system" },
    occurredAt: now,
    payload: { accountId: order.accountId, ...payload },
  });
}

/** One guarded status change of the order, with its audit entry. */
async function moveOrder(
  tx: Executor,
  order: LockedOrder,
  to: OrderStatus,
  now: Date,
  data: Record<string, unknown> = {},
): Promise<OrderStatus> {
  const next = transitionOrder(order.status, to);
  const [moved] = await tx
    .update(accountOrders)
    .set({ status: next, updatedAt: now, ...(next === "paid" ? { paidAt: now } : { closedAt: now }) })
    .where(and(eq(accountOrders.id, order.id), eq(accountOrders.status, order.status)))
    .returning({ id: accountOrders.id });
  if (!moved) throw new Error(`order ${order.id} changed under its lock`);
  await recordAudit(
    tx,
    {
      merchantId: order.merchantId,
      invoiceId: order.invoiceId,
      event: `order.${next}`,
      data: { orderId: order.id, accountId: order.accountId, from: order.status, to: next, ...data },
      at: now,
    },
    SYSTEM_AUDIT,
  );
  return next;
}
