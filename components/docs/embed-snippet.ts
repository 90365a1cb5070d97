/** The copy-paste snippets for public/embed.js, shared by the API reference and the embed demo. */

export function embedSnippet(origin: string, checkoutUrl: string): string {
  const base = origin.replace(/\/+$/, "");
  return `<script src="${base}/embed.js" async></script>\n<button data-crypto-checkout="${checkoutUrl}">Pay with crypto</button>`;
}

export const EMBED_EVENTS_SNIPPET = `document.addEventListener("crypto-checkout:paid", (event) => {
  // event.target is the button that opened the checkout.
  console.log("Paid:", event.detail.invoiceId);
  // Fulfil the order only after your server has confirmed it:
  // GET /api/v1/invoices/{id} must answer "status": "paid".
});

document.addEventListener("crypto-checkout:closed", (event) => {
  if (!event.detail.paid) console.log("Checkout closed before payment");
});`;
