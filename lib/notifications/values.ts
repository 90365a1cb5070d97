import { formatDecimalUnitsTrimmed, getAsset, money, type FiatCurrency, type Money } from "@/lib/domain";
import { formatFiat } from "@/lib/format";
import { variablesFor, type NotificationEvent } from "./catalog";

/** How values read in an email: money exactly from minor units, times in UTC. */

export function fiatLabel(minor: bigint, currency: FiatCurrency): string {
  return formatFiat(money(minor, currency) as Money & { asset: FiatCurrency });
}

/** "0.0005 BTC": the exact amount of smallest units, trailing zeros dropped. */
export function cryptoLabel(units: bigint, asset: string): string {
  return `${formatDecimalUnitsTrimmed(units, getAsset(asset).decimals)} ${asset}`;
}

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
export function timeLabel(at: Date): string {
  return `${dateFormat.format(at)} UTC`;
}

export function checkoutUrl(appUrl: string, invoiceId: string): string {
  return new URL(`/pay/${invoiceId}`, appUrl).toString();
}

const SAMPLE_INVOICE_ID = "3f2b8c1e-7d4a-4e59-9b61-2c0d5e8fa712";

/** Made-up values of every variable of an event, for the template preview. */
export function sampleValues(event: NotificationEvent, merchant: { name: string; email: string }, appUrl: string): Record<string, string> {
  const at = new Date(Date.UTC(2026, 0, 15, 14, 30));
  const all: Record<string, string> = {
    "merchant.name": merchant.name,
    "merchant.email": merchant.email,
    "event.id": "9a6c4e02-51b7-4f3d-8e2a-6d1f0b7c3e58",
    "event.time": timeLabel(at),
    "invoice.id": SAMPLE_INVOICE_ID,
    "invoice.title": "Pro plan (annual)",
    "invoice.reference": "ORDER-1042",
    "invoice.total": fiatLabel(4_900n, "USD"),
    "invoice.currency": "USD",
    "invoice.cryptoAmount": cryptoLabel(50_515n, "BTC"),
    "invoice.amountReceived": cryptoLabel(event === "invoice_paid" ? 50_515n : event === "invoice_expired" ? 20_000n : 0n, "BTC"),
    "invoice.network": "bitcoin",
    "invoice.address": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    "invoice.status": { invoice_paid: "paid", invoice_expired: "expired", invoice_cancelled: "cancelled", payment_detected: "confirming" }[event as string] ?? "pending",
    "invoice.url": checkoutUrl(appUrl, SAMPLE_INVOICE_ID),
    "invoice.expiresAt": timeLabel(new Date(at.getTime() + 30 * 60_000)),
    "invoice.paidAt": timeLabel(new Date(at.getTime() + 12 * 60_000)),
    "customer.email": "buyer@example.com",
    "payment.amount": cryptoLabel(50_515n, "BTC"),
    "payment.txHash": "4d3c2b1a0f9e8d7c6b5a49382716f5e4d3c2b1a0f9e8d7c6b5a49382716f5e4d",
    "payment.confirmations": event === "payment_detected" ? "0" : "2",
    "payment.requiredConfirmations": "2",
    "payment.failureReason": "the transaction was dropped from the mempool",
    "cancellation.reason": "Ordered twice by mistake",
    "suspension.reason": "Unusual refund activity under review",
    "endpoint.url": "https://shop.example.com/webhooks/crypto",
    "endpoint.failures": "10",
    "endpoint.lastError": "HTTP 503 Service Unavailable",
  };
  return Object.fromEntries(variablesFor(event).map((v) => [v.name, all[v.name] ?? ""]));
}
