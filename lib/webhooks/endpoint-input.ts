import { randomBytes } from "node:crypto";
import { z } from "zod";
import { parseCidrList } from "./destination-policy";

/**
 * A merchant's WebhookEndpoint as the form and the API submit it, checked by the spec's rules:
 * an HTTPS URL (plain http only to localhost, and only when the development setting allows it),
 * subscribed event types from the spec, MaxRetries 1-10 (default 5), RetryBackoff linear or
 * exponential, Timeout 5-60 s, AllowedIPs as CIDR ranges. The secret is generated here (at least
 * 32 characters) and shown to the merchant once.
 */

export const WEBHOOK_EVENT_TYPES = [
  "InvoiceCreated",
  "InvoiceExpired",
  "InvoiceCancelled",
  "InvoicePaid",
  "PaymentDetected",
  "PaymentConfirming",
  "PaymentConfirmed",
  "PaymentFailed",
  "MerchantCreated",
  "ApiKeyGenerated",
  "MerchantSuspended",
  "MerchantVerified",
  "MerchantReactivated",
  "MerchantClosed",
  "MerchantPlanChanged",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** The URL, or null when it does not parse (the url check above has already said so). */
const asUrl = (value: string) => (URL.canParse(value) ? new URL(value) : null);

export function webhookEndpointSchema(options: { allowHttpToLocalhost: boolean }) {
  return z.object({
    url: z
      .string()
      .trim()
      .max(2_000, "Keep the URL under 2,000 characters.")
      .pipe(z.url({ error: "Enter a full URL, such as https://example.com/webhooks." }))
      .refine((value) => {
        const url = asUrl(value);
        if (!url || url.protocol === "https:") return true;
        return url.protocol === "http:" && options.allowHttpToLocalhost && LOCAL_HOSTS.has(url.hostname);
      }, options.allowHttpToLocalhost ? "Use an https:// URL (http:// only to localhost)." : "Use an https:// URL.")
      .refine((value) => !asUrl(value)?.username && !asUrl(value)?.password, "Leave credentials out of the URL; verify deliveries with the signature instead."),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES, "Choose events from the list.")).min(1, "Choose at least one event.").transform((events) => [...new Set(events)]),
    maxRetries: z.coerce.number("Enter a number of retries.").int("Enter a whole number.").min(1, "At least 1 retry.").max(10, "At most 10 retries.").default(5),
    retryBackoff: z.enum(["linear", "exponential"], "Choose linear or exponential.").default("exponential"),
    timeoutSeconds: z.coerce.number("Enter a timeout in seconds.").int("Enter whole seconds.").min(5, "At least 5 seconds.").max(60, "At most 60 seconds.").default(10),
    allowedIps: z
      .array(z.string())
      .max(50, "List at most 50 ranges.")
      .default([])
      .transform((entries, ctx) => {
        const parsed = parseCidrList(entries.filter((e) => e.trim() !== ""));
        if (!parsed.ok) {
          ctx.addIssue({ code: "custom", message: `"${parsed.entry.slice(0, 60)}" is not an IP address or CIDR range such as 203.0.113.0/24.` });
          return z.NEVER;
        }
        return parsed.value.ranges;
      }),
  });
}

export type WebhookEndpointInput = z.output<ReturnType<typeof webhookEndpointSchema>>;

/** A new signing secret: "whsec_" and 32 random bytes in base64url (49 characters). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}
