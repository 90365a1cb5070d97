import { eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { customers, invoices, merchants, payments, webhookEndpoints, type MerchantSettings } from "@/db/schema";
import type { MerchantStatus } from "@/lib/domain";
import { isInvoiceEvent, isPaymentEvent, notificationEventOf, variablesFor, type NotificationEvent } from "./catalog";
import { checkoutUrl, cryptoLabel, fiatLabel, timeLabel } from "./values";
import { isUuid } from "@/lib/uuid";

/**
 * The facts a notification is written from: an outbox event, read again with the invoice, payment
 * and merchant it concerns (their current state), turned into the template variables' values.
 */

export type NotifiableEvent = {
  id: string;
  eventType: string;
  merchantId: string | null;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
  occurredAt: Date;
};

export type EventContext = {
  event: NotificationEvent;
  merchantId: string;
  merchantStatus: MerchantStatus;
  merchantEmail: string;
  customerEmail: string | null;
  values: Record<string, string>;
};

/** Where a merchant's own notifications go: settings.notifyEmail when set, else the contact email. */
export function merchantAddress(merchant: { contactEmail: string; settings: MerchantSettings }): string {
  return merchant.settings.notifyEmail?.trim() || merchant.contactEmail;
}


function text(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return null;
}

function uuidOf(value: unknown): string | null {
  const s = text(value);
  return s && isUuid(s) ? s : null;
}

function unitsOf(value: unknown): bigint | null {
  const s = text(value);
  return s && /^\d{1,78}$/.test(s) ? BigInt(s) : null;
}

async function loadInvoice(db: Executor, id: string) {
  const [row] = await db
    .select({ invoice: invoices, customerEmail: customers.email })
    .from(invoices)
    .leftJoin(customers, eq(customers.id, invoices.customerId))
    .where(eq(invoices.id, id));
  return row ?? null;
}

async function loadPayment(db: Executor, id: string) {
  const [row] = await db.select().from(payments).where(eq(payments.id, id));
  return row ?? null;
}

/** The merchant of an event without an invoice: named by the event, or found through its endpoint. */
async function merchantOfEvent(db: Executor, kind: NotificationEvent, event: NotifiableEvent): Promise<string | null> {
  if (event.merchantId) return event.merchantId;
  if (kind === "merchant_suspended") return uuidOf(event.payload.merchantId) ?? (event.aggregateType === "merchant" ? uuidOf(event.aggregateId) : null);
  const endpointId = uuidOf(event.payload.endpointId);
  if (kind === "webhook_endpoint_failed" && endpointId) {
    const [row] = await db.select({ merchantId: webhookEndpoints.merchantId }).from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId));
    return row?.merchantId ?? null;
  }
  return null;
}

/**
 * Everything needed to address and write the notifications of one outbox event, or null when the
 * event is not notified (another type) or what it concerns no longer exists.
 */
export async function loadEventContext(db: Executor, event: NotifiableEvent, appUrl: string): Promise<EventContext | null> {
  const kind = notificationEventOf(event.eventType);
  if (!kind) return null;
  const p = event.payload;
  const values: Record<string, string> = { "event.id": event.id, "event.time": timeLabel(event.occurredAt) };

  let payment: Awaited<ReturnType<typeof loadPayment>> = null;
  if (isPaymentEvent(kind)) {
    const paymentId = uuidOf(p.paymentId) ?? (event.aggregateType === "payment" ? uuidOf(event.aggregateId) : null);
    payment = paymentId ? await loadPayment(db, paymentId) : null;
    const asset = payment?.asset ?? text(p.asset);
    const amount = payment?.amount ?? unitsOf(p.amount);
    values["payment.amount"] = asset && amount !== null ? cryptoLabel(amount, asset) : "";
    values["payment.txHash"] = payment?.txHash ?? text(p.txHash) ?? "";
    values["payment.confirmations"] = String(payment?.confirmations ?? text(p.confirmations) ?? 0);
    values["payment.requiredConfirmations"] = String(payment?.requiredConfirmations ?? text(p.requiredConfirmations) ?? "");
    values["payment.failureReason"] = (text(p.reason) ?? payment?.failureReason ?? "").replace(/_/g, " ");
  }

  let merchantId: string | null = null;
  let customerEmail: string | null = null;
  if (isInvoiceEvent(kind)) {
    const invoiceId = uuidOf(p.invoiceId) ?? payment?.invoiceId ?? (event.aggregateType === "invoice" ? uuidOf(event.aggregateId) : null);
    const row = invoiceId ? await loadInvoice(db, invoiceId) : null;
    if (!row) return null;
    const inv = row.invoice;
    merchantId = inv.merchantId;
    customerEmail = row.customerEmail;
    Object.assign(values, {
      "invoice.id": inv.id,
      "invoice.title": inv.title,
      "invoice.reference": inv.reference ?? "",
      "invoice.total": fiatLabel(inv.totalMinor, inv.fiatCurrency),
      "invoice.currency": inv.fiatCurrency,
      "invoice.cryptoAmount": cryptoLabel(inv.cryptoAmount, inv.cryptoCurrency),
      "invoice.amountReceived": cryptoLabel(inv.amountReceived, inv.cryptoCurrency),
      "invoice.network": inv.network,
      "invoice.address": inv.paymentAddress,
      "invoice.status": inv.status,
      "invoice.url": checkoutUrl(appUrl, inv.id),
      "invoice.expiresAt": timeLabel(inv.expiresAt),
      "invoice.paidAt": inv.paidAt ? timeLabel(inv.paidAt) : "",
      "customer.email": customerEmail ?? "",
      "cancellation.reason": text(p.reason) ?? "",
    });
  } else {
    merchantId = await merchantOfEvent(db, kind, event);
    values["suspension.reason"] = text(p.reason) ?? "";
    values["endpoint.url"] = text(p.url) ?? "";
    values["endpoint.failures"] = text(p.consecutiveFailures) ?? "";
    values["endpoint.lastError"] = text(p.lastError) ?? "";
  }
  if (!merchantId) return null;

  const [merchant] = await db
    .select({ name: merchants.businessName, contactEmail: merchants.contactEmail, settings: merchants.settings, status: merchants.status })
    .from(merchants)
    .where(eq(merchants.id, merchantId));
  if (!merchant) return null;
  const merchantEmail = merchantAddress(merchant);
  values["merchant.name"] = merchant.name;
  values["merchant.email"] = merchantEmail;

  // Only the event's own variables: a value another event carries never leaks into a template.
  const own = Object.fromEntries(variablesFor(kind).map((v) => [v.name, values[v.name] ?? ""]));
  return { event: kind, merchantId, merchantStatus: merchant.status, merchantEmail, customerEmail, values: own };
}
