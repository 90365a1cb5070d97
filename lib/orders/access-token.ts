import { createHash, createHmac, hkdfSync } from "node:crypto";
import { settings } from "@/lib/config";

/**
 * The buyer's order link is /orders/<token>. Only SHA-256(token) is stored (access_token_hash),
 * so a database dump opens no order page.
 *
 * Why the token is derived rather than random: the order email is sent after the payment, by the
 * watcher, possibly retried hours later in another process, and it must carry the same link the
 * checkout redirected to. A random token would have to be stored (in clear) until then. Instead
 * token = base64url(HMAC-SHA256(key, order id)) with key = HKDF-SHA256(AUTH_SECRET, label): anyone
 * holding AUTH_SECRET can recompute it, nobody else can guess it (256 bits), and the label keeps
 * this key apart from every other use of AUTH_SECRET. Rotating AUTH_SECRET does not break
 * existing links (they are checked against the stored hash) but makes their emails unsendable.
 */

const KEY_LABEL = "account-order-link/v1";
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const keys = new Map<string, Buffer>();

function linkKey(authSecret: string): Buffer {
  let key = keys.get(authSecret);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", authSecret, Buffer.alloc(0), KEY_LABEL, 32));
    keys.clear(); // one secret in force: no growth if tests use many
    keys.set(authSecret, key);
  }
  return key;
}

/** The token of the order link of `orderId` (43 base64url characters). */
export function orderAccessToken(orderId: string, authSecret: string): string {
  return createHmac("sha256", linkKey(authSecret)).update(orderId).digest("base64url");
}

/** What access_token_hash stores for `token`: SHA-256, hex. */
export function hashAccessToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** True when `value` has the shape of a token: anything else is refused before a query. */
export function isAccessTokenShape(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}


/** What building an order link needs: the public origin and the secret the token derives from. */
export type OrderLinkSettings = { appUrl: string; authSecret: string };

export function orderLinkSettings(): OrderLinkSettings {
  const s = settings();
  return { appUrl: s.APP_URL, authSecret: s.AUTH_SECRET };
}

/** The absolute order page URL of `orderId`, as the checkout redirect and the email carry it. */
export function orderPageUrl(links: OrderLinkSettings, orderId: string): string {
  return new URL(`/orders/${orderAccessToken(orderId, links.authSecret)}`, links.appUrl).toString();
}
