import type { NotificationEvent, NotificationRecipient } from "./catalog";

/**
 * The templates every merchant starts with (materialised as rows when first needed), and whether
 * each is on. Customers hear about each step of their invoice; the merchant, by default, only about
 * money received, failures and their account, so a busy shop's inbox is not flooded.
 */
export type DefaultTemplate = { subject: string; body: string; active: boolean };

const SIGNATURE = "{{merchant.name}}";
const INVOICE_LINES = "Invoice: {{invoice.title}} ({{invoice.id}})\nAmount: {{invoice.total}} ({{invoice.cryptoAmount}})";

const CUSTOMER: Record<Exclude<NotificationEvent, "merchant_suspended" | "webhook_endpoint_failed">, DefaultTemplate> = {
  invoice_created: {
    subject: "Your invoice from {{merchant.name}}: {{invoice.total}}",
    body: `Hello,\n\n{{merchant.name}} has sent you an invoice.\n\n${INVOICE_LINES}\nPay by: {{invoice.expiresAt}}\n\nPay it here:\n{{invoice.url}}\n\nThank you,\n${SIGNATURE}`,
    active: true,
  },
  payment_detected: {
    subject: "We see your payment of {{payment.amount}}",
    body: `Hello,\n\nYour payment of {{payment.amount}} for "{{invoice.title}}" has reached the {{invoice.network}} network and is waiting for confirmations.\n\nTransaction: {{payment.txHash}}\n\nYou can follow it here:\n{{invoice.url}}\n\n${SIGNATURE}`,
    active: true,
  },
  payment_confirmed: {
    subject: "Your payment of {{payment.amount}} is confirmed",
    body: `Hello,\n\nYour payment of {{payment.amount}} for "{{invoice.title}}" has {{payment.confirmations}} confirmations and is final.\n\nTransaction: {{payment.txHash}}\nInvoice status: {{invoice.status}}\n\n{{invoice.url}}\n\n${SIGNATURE}`,
    active: false,
  },
  payment_failed: {
    subject: "Your payment of {{payment.amount}} did not go through",
    body: `Hello,\n\nYour payment of {{payment.amount}} for "{{invoice.title}}" failed: {{payment.failureReason}}.\n\nTransaction: {{payment.txHash}}\n\nIf the invoice is still open you can pay it here:\n{{invoice.url}}\n\n${SIGNATURE}`,
    active: true,
  },
  invoice_paid: {
    subject: "Payment received: {{invoice.title}}",
    body: `Hello,\n\nThank you: your invoice from {{merchant.name}} is paid.\n\n${INVOICE_LINES}\nReceived: {{invoice.amountReceived}}\nPaid: {{invoice.paidAt}}\n\nReceipt:\n{{invoice.url}}\n\n${SIGNATURE}`,
    active: true,
  },
  invoice_expired: {
    subject: "Your invoice from {{merchant.name}} has expired",
    body: `Hello,\n\nThe invoice "{{invoice.title}}" ({{invoice.total}}) expired before it was paid in full.\n\nReceived: {{invoice.amountReceived}} of {{invoice.cryptoAmount}}\n\nIf you sent money, or still want to buy, reply to {{merchant.email}}.\n\n${SIGNATURE}`,
    active: true,
  },
  invoice_cancelled: {
    subject: "Your invoice from {{merchant.name}} was cancelled",
    body: `Hello,\n\n{{merchant.name}} has cancelled the invoice "{{invoice.title}}" ({{invoice.total}}). Please do not pay it.\n\nReason: {{cancellation.reason}}\n\nQuestions? Write to {{merchant.email}}.\n\n${SIGNATURE}`,
    active: true,
  },
};

const MERCHANT: Record<NotificationEvent, DefaultTemplate> = {
  invoice_created: {
    subject: "New invoice {{invoice.id}}: {{invoice.total}}",
    body: `A new invoice was created.\n\n${INVOICE_LINES}\nCustomer: {{customer.email}}\nReference: {{invoice.reference}}\nExpires: {{invoice.expiresAt}}\n\nCheckout: {{invoice.url}}`,
    active: false,
  },
  payment_detected: {
    subject: "Payment detected: {{payment.amount}} for {{invoice.title}}",
    body: `A payment was seen on {{invoice.network}} and awaits {{payment.requiredConfirmations}} confirmations.\n\nAmount: {{payment.amount}}\nTransaction: {{payment.txHash}}\n${INVOICE_LINES}\nCustomer: {{customer.email}}`,
    active: false,
  },
  payment_confirmed: {
    subject: "Payment confirmed: {{payment.amount}} for {{invoice.title}}",
    body: `A payment is confirmed ({{payment.confirmations}} confirmations).\n\nAmount: {{payment.amount}}\nTransaction: {{payment.txHash}}\n${INVOICE_LINES}\nInvoice status: {{invoice.status}}`,
    active: false,
  },
  payment_failed: {
    subject: "Payment failed: {{payment.amount}} for {{invoice.title}}",
    body: `A payment failed: {{payment.failureReason}}.\n\nAmount: {{payment.amount}}\nTransaction: {{payment.txHash}}\n${INVOICE_LINES}\nInvoice status: {{invoice.status}}\nCustomer: {{customer.email}}`,
    active: true,
  },
  invoice_paid: {
    subject: "Invoice paid: {{invoice.total}} for {{invoice.title}}",
    body: `An invoice is paid.\n\n${INVOICE_LINES}\nReceived: {{invoice.amountReceived}}\nPaid: {{invoice.paidAt}}\nReference: {{invoice.reference}}\nCustomer: {{customer.email}}`,
    active: true,
  },
  invoice_expired: {
    subject: "Invoice expired: {{invoice.title}}",
    body: `An invoice expired.\n\n${INVOICE_LINES}\nReceived: {{invoice.amountReceived}}\nStatus: {{invoice.status}}\nCustomer: {{customer.email}}`,
    active: false,
  },
  invoice_cancelled: {
    subject: "Invoice cancelled: {{invoice.title}}",
    body: `An invoice was cancelled.\n\n${INVOICE_LINES}\nReason: {{cancellation.reason}}\nCustomer: {{customer.email}}`,
    active: false,
  },
  merchant_suspended: {
    subject: "Your {{merchant.name}} account is suspended",
    body: `Your merchant account {{merchant.name}} was suspended on {{event.time}}.\n\nReason: {{suspension.reason}}\n\nWhile it is suspended your API keys are refused and no new invoices can be created. Reply to this email to resolve it.`,
    active: true,
  },
  webhook_endpoint_failed: {
    subject: "Webhook endpoint failing: {{endpoint.url}}",
    body: `Deliveries to your webhook endpoint keep failing, so it has been marked failed.\n\nEndpoint: {{endpoint.url}}\nConsecutive failures: {{endpoint.failures}}\nLast error: {{endpoint.lastError}}\n\nFix the endpoint, then re-enable it and redeliver the missed events from the dashboard.`,
    active: true,
  },
};

export function defaultTemplate(event: NotificationEvent, recipient: NotificationRecipient): DefaultTemplate | null {
  if (recipient === "merchant") return MERCHANT[event];
  return event in CUSTOMER ? CUSTOMER[event as keyof typeof CUSTOMER] : null;
}
