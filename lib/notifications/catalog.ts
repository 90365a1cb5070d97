/**
 * What can be notified, to whom, and with which variables. Pure data (no database, no settings),
 * so the template form in the browser checks and previews with the same lists the server uses.
 */

export const NOTIFICATION_EVENTS = [
  "invoice_created",
  "payment_detected",
  "payment_confirmed",
  "payment_failed",
  "invoice_paid",
  "invoice_expired",
  "invoice_cancelled",
  "merchant_suspended",
  "webhook_endpoint_failed",
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export const NOTIFICATION_RECIPIENTS = ["customer", "merchant"] as const;
export type NotificationRecipient = (typeof NOTIFICATION_RECIPIENTS)[number];

/** The outbox's event names (the spec's) and the template event each one sends. */
export const OUTBOX_EVENT_MAP: Readonly<Record<string, NotificationEvent>> = {
  InvoiceCreated: "invoice_created",
  PaymentDetected: "payment_detected",
  PaymentConfirmed: "payment_confirmed",
  PaymentFailed: "payment_failed",
  InvoicePaid: "invoice_paid",
  InvoiceExpired: "invoice_expired",
  InvoiceCancelled: "invoice_cancelled",
  MerchantSuspended: "merchant_suspended",
  WebhookEndpointFailed: "webhook_endpoint_failed",
};

/** The template event an outbox event sends, or null for events that send no email. */
export function notificationEventOf(outboxEventType: string): NotificationEvent | null {
  return Object.hasOwn(OUTBOX_EVENT_MAP, outboxEventType) ? OUTBOX_EVENT_MAP[outboxEventType]! : null;
}

export const EVENT_LABELS: Readonly<Record<NotificationEvent, string>> = {
  invoice_created: "Invoice created",
  payment_detected: "Payment detected",
  payment_confirmed: "Payment confirmed",
  payment_failed: "Payment failed",
  invoice_paid: "Invoice paid",
  invoice_expired: "Invoice expired",
  invoice_cancelled: "Invoice cancelled",
  merchant_suspended: "Account suspended",
  webhook_endpoint_failed: "Webhook endpoint failing",
};

/** When each event is sent, in the dashboard's words. */
export const EVENT_DESCRIPTIONS: Readonly<Record<NotificationEvent, string>> = {
  invoice_created: "An invoice is created.",
  payment_detected: "A payment to the invoice is seen on the chain, before it is confirmed.",
  payment_confirmed: "A payment has all the confirmations it needs.",
  payment_failed: "A payment is dropped, replaced or reverted on the chain.",
  invoice_paid: "The invoice is paid in full (within the tolerance).",
  invoice_expired: "The invoice's time runs out before it is paid.",
  invoice_cancelled: "The invoice is cancelled from the dashboard or the API.",
  merchant_suspended: "An administrator suspends your account.",
  webhook_endpoint_failed: "A webhook endpoint keeps failing and is marked failed.",
};

export const RECIPIENT_LABELS: Readonly<Record<NotificationRecipient, string>> = {
  customer: "Customer",
  merchant: "You",
};

const INVOICE_EVENTS: readonly NotificationEvent[] = [
  "invoice_created",
  "payment_detected",
  "payment_confirmed",
  "payment_failed",
  "invoice_paid",
  "invoice_expired",
  "invoice_cancelled",
];
const PAYMENT_EVENTS: readonly NotificationEvent[] = ["payment_detected", "payment_confirmed", "payment_failed"];

export function isInvoiceEvent(event: NotificationEvent): boolean {
  return INVOICE_EVENTS.includes(event);
}

export function isPaymentEvent(event: NotificationEvent): boolean {
  return PAYMENT_EVENTS.includes(event);
}

/** Who may be told about an event: customers hear about their invoices only. */
export function recipientsFor(event: NotificationEvent): readonly NotificationRecipient[] {
  return isInvoiceEvent(event) ? NOTIFICATION_RECIPIENTS : ["merchant"];
}

/** Every (event, recipient) pair a merchant has a template for, in display order. */
export const TEMPLATE_KEYS: readonly { eventType: NotificationEvent; recipient: NotificationRecipient }[] = NOTIFICATION_RECIPIENTS.flatMap((recipient) =>
  NOTIFICATION_EVENTS.filter((e) => recipientsFor(e).includes(recipient)).map((eventType) => ({ eventType, recipient })),
);

export function isNotificationEvent(value: unknown): value is NotificationEvent {
  return typeof value === "string" && (NOTIFICATION_EVENTS as readonly string[]).includes(value);
}

export function isNotificationRecipient(value: unknown): value is NotificationRecipient {
  return typeof value === "string" && (NOTIFICATION_RECIPIENTS as readonly string[]).includes(value);
}

export type VariableSpec = { name: string; description: string };

const COMMON: VariableSpec[] = [
  { name: "merchant.name", description: "Your business name" },
  { name: "merchant.email", description: "Your notification address (or contact email)" },
  { name: "event.id", description: "The event's id, the same as in webhooks" },
  { name: "event.time", description: "When it happened (UTC)" },
];

const INVOICE: VariableSpec[] = [
  { name: "invoice.id", description: "Invoice id" },
  { name: "invoice.title", description: "Invoice title" },
  { name: "invoice.reference", description: "Your order reference (may be empty)" },
  { name: "invoice.total", description: "Total with its currency, e.g. $49.00" },
  { name: "invoice.currency", description: "Currency code, e.g. USD" },
  { name: "invoice.cryptoAmount", description: "Amount to pay in crypto, e.g. 0.0005 BTC" },
  { name: "invoice.amountReceived", description: "Crypto received so far" },
  { name: "invoice.network", description: "Blockchain network" },
  { name: "invoice.address", description: "Payment address" },
  { name: "invoice.status", description: "Current status" },
  { name: "invoice.url", description: "Hosted checkout page" },
  { name: "invoice.expiresAt", description: "Payment deadline (UTC)" },
  { name: "customer.email", description: "The customer's email (may be empty)" },
];

const PAYMENT: VariableSpec[] = [
  { name: "payment.amount", description: "Amount of this payment, e.g. 0.0005 BTC" },
  { name: "payment.txHash", description: "Transaction hash" },
  { name: "payment.confirmations", description: "Confirmations so far" },
  { name: "payment.requiredConfirmations", description: "Confirmations required" },
];

const EXTRA: Partial<Record<NotificationEvent, VariableSpec[]>> = {
  payment_failed: [{ name: "payment.failureReason", description: "Why the payment failed" }],
  invoice_paid: [{ name: "invoice.paidAt", description: "When it was paid (UTC)" }],
  invoice_cancelled: [{ name: "cancellation.reason", description: "Reason given for cancelling (may be empty)" }],
  merchant_suspended: [{ name: "suspension.reason", description: "Reason for the suspension" }],
  webhook_endpoint_failed: [
    { name: "endpoint.url", description: "The failing endpoint's URL" },
    { name: "endpoint.failures", description: "Consecutive failed deliveries" },
    { name: "endpoint.lastError", description: "The last error" },
  ],
};

/** The variables a template of this event may use (the recipient does not change them). */
export function variablesFor(event: NotificationEvent): VariableSpec[] {
  return [
    ...COMMON,
    ...(isInvoiceEvent(event) ? INVOICE : []),
    ...(isPaymentEvent(event) ? PAYMENT : []),
    ...(EXTRA[event] ?? []),
  ];
}

/** Every variable name any template may use, for documentation. */
export const ALL_VARIABLE_NAMES: readonly string[] = Array.from(new Set(NOTIFICATION_EVENTS.flatMap((e) => variablesFor(e).map((v) => v.name))));
