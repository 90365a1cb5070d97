import type { MailMessage } from "./transport";

/**
 * The buyer's order email: the private link to the order page, where the credentials are shown.
 * It never carries the credentials themselves: an inbox is read on many devices and kept forever,
 * and the page can be reached only with the link.
 */
export type OrderEmailInput = { to: string; storeName: string; accountName: string; priceLabel: string; orderUrl: string };

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function renderOrderEmail(input: OrderEmailInput): MailMessage {
  const subject = `Your ${input.storeName} order: ${input.accountName}`;
  const text = [
    "Thank you for your purchase.",
    "",
    `Account: ${input.accountName}`,
    `Price: ${input.priceLabel}`,
    "",
    "Your access keys and the instructions are on your order page:",
    input.orderUrl,
    "",
    "Keep this link private: anyone who has it can open the order page.",
    `— ${input.storeName}`,
  ].join("\n");
  const e = {
    store: escapeHtml(input.storeName),
    account: escapeHtml(input.accountName),
    price: escapeHtml(input.priceLabel),
    url: escapeHtml(input.orderUrl),
  };
  const html = `<!doctype html>
<html><body style="font-family: system-ui, sans-serif; color: #18181b; line-height: 1.5">
<p>Thank you for your purchase.</p>
<p><strong>${e.account}</strong><br>${e.price}</p>
<p>Your access keys and the instructions are on your order page:</p>
<p><a href="${e.url}" style="display: inline-block; padding: 10px 16px; background: #4f46e5; color: #fff; border-radius: 8px; text-decoration: none">Open your order</a></p>
<p style="font-size: 13px; color: #52525b">Or copy this link: ${e.url}<br>Keep it private: anyone who has it can open the order page.</p>
<p>— ${e.store}</p>
</body></html>`;
  return { to: input.to, subject, text, html };
}
