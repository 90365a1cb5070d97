/**
 * Telegram deep links for contacting the seller about an account:
 * https://t.me/<username>?text=<URL-encoded message>. The message starts with an ASCII order code
 * the seller can search for, and stays under Telegram's 4,096-character message limit.
 */
export const TELEGRAM_MESSAGE_LIMIT = 4096;

export type TelegramInquiry = {
  accountId: string;
  accountName: string;
  price: string;
  pageUrl: string;
};

/** A short ASCII code derived from the account id, e.g. "ACC-3F9A1C2B". */
export function orderCode(accountId: string): string {
  const hex = accountId.replace(/[^0-9a-fA-F]/g, "").slice(0, 8).toUpperCase();
  return `ACC-${hex.padEnd(8, "0")}`;
}

export function buildTelegramMessage(inquiry: TelegramInquiry): string {
  const lines = [
    orderCode(inquiry.accountId),
    `Hi! I'm interested in this account: ${inquiry.accountName}`,
    `Account ID: ${inquiry.accountId}`,
    `Price: ${inquiry.price}`,
    inquiry.pageUrl,
  ];
  let message = lines.join("\n");
  if (message.length > TELEGRAM_MESSAGE_LIMIT) {
    // Only the name can be long; shorten it and keep every other line intact.
    const overflow = message.length - TELEGRAM_MESSAGE_LIMIT + 1;
    // Cut whole code points, never half a surrogate pair (which encodeURIComponent rejects).
    const chars = Array.from(inquiry.accountName);
    let name = "";
    let units = 0;
    const budget = inquiry.accountName.length - overflow;
    for (const ch of chars) {
      if (units + ch.length > budget) break;
      name += ch;
      units += ch.length;
    }
    name += "…";
    lines[1] = `Hi! I'm interested in this account: ${name}`;
    message = lines.join("\n");
  }
  return message;
}

export function telegramContactUrl(username: string, inquiry: TelegramInquiry): string {
  return `https://t.me/${encodeURIComponent(username)}?text=${encodeURIComponent(buildTelegramMessage(inquiry))}`;
}
