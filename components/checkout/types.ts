// The public, customer-facing view of an invoice: rendered by /pay/[invoiceId] and returned verbatim
// (as JSON) by GET /api/pay/{invoiceId}/status. Amounts are decimal STRINGS in whole units — never
// floats — so they can be shown and copied exactly.

export type PublicInvoiceStatus = "pending" | "partial" | "confirming" | "paid" | "expired" | "cancelled" | "refunded";

export type PublicInvoiceView = {
  id: string;
  status: PublicInvoiceStatus;
  merchantName: string;
  title: string;
  fiat: { currency: "USD" | "EUR" | "CNY"; total: string }; // e.g. "49.00"
  crypto: {
    asset: "BTC" | "ETH" | "USDT";
    network: "bitcoin" | "ethereum" | "tron";
    networkLabel: string;
    decimals: number;
    amount: string; // whole-unit decimal strings, e.g. "0.00051234"
    received: string;
    remaining: string;
  };
  address: string;
  paymentUri: string; // for the QR code
  testnet: boolean;
  /** A test-mode invoice on the local dev chain: the checkout offers "Pay with test wallet". */
  testWallet: boolean;
  expiresAt: string; // ISO
  serverNow: string; // ISO, to correct client clock skew for the countdown
  confirmations: { current: number; required: number } | null; // during confirming
  paidAt: string | null;
  redirectUrl: string | null; // merchant's return URL after paid
  exception: "none" | "underpaid" | "overpaid" | "paid_late";
};

/** Statuses after which the invoice never changes again from the customer's point of view: polling stops. */
export const TERMINAL_STATUSES: readonly PublicInvoiceStatus[] = ["paid", "expired", "cancelled", "refunded"];

export function isTerminalStatus(status: PublicInvoiceStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/**
 * Options for every checkout QR code. A server component can pre-render the SVG for <QrCode svg>
 * (or <CheckoutView initialQrSvg>) with `await QRCode.toString(view.paymentUri, QR_SVG_OPTIONS)`.
 */
export const QR_SVG_OPTIONS = { type: "svg", margin: 1, errorCorrectionLevel: "M" } as const;
