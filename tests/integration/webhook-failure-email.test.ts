import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { merchants, systemConfiguration, webhookEndpoints } from "@/db/schema";
import { recordEvent } from "@/lib/events/outbox";
import { runDeliveryRound } from "@/lib/jobs/delivery-worker";
import { createSmtpMailer } from "@/lib/mail/transport";
import { planNotificationsForEvents } from "@/lib/notifications/plan";
import { sendDueNotifications } from "@/lib/notifications/send";
import { DEFAULT_SYSTEM_CONFIG } from "@/lib/system-config";
import { webhookEndpointSchema } from "@/lib/webhooks/endpoint-input";
import { createWebhookEndpoint } from "@/lib/webhooks/endpoints";
import { testKek } from "../helpers/keys";
import { createTestMerchant, MERCHANT_AUDIT } from "../helpers/merchant-fixtures";
import { startSmtpServer, type TestSmtpServer } from "../helpers/smtp-server";
import { createTestDatabase, targetName } from "../helpers/test-db";
import { answer, startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver";

/**
 * The whole chain behind "an endpoint that keeps failing is marked failed and the merchant is
 * emailed": failing deliveries, the WebhookEndpointFailed event, the outbox relay planning the
 * merchant's email, and the mail arriving at a real SMTP server on loopback.
 */

let h: DatabaseHandle;
let smtp: TestSmtpServer;
let receiver: WebhookReceiver;
const kek = testKek();

beforeAll(async () => {
  [h, smtp, receiver] = await Promise.all([createTestDatabase(), startSmtpServer(), startWebhookReceiver(answer(500, "down"))]);
  await h.db.insert(systemConfiguration).values({ ...DEFAULT_SYSTEM_CONFIG, securitySettings: { ...DEFAULT_SYSTEM_CONFIG.securitySettings, allowPrivateWebhookTargets: true } });
}, 60_000);
afterAll(async () => {
  await receiver?.close();
  await smtp?.stop();
  await h?.close();
});

describe(`a failing webhook endpoint (${targetName()})`, () => {
  it("is marked failed and its merchant gets an email naming it", async () => {
    const { merchantId } = await createTestMerchant(h.db, { wallets: false });
    const [merchant] = await h.db.select({ email: merchants.contactEmail }).from(merchants).where(eq(merchants.id, merchantId));
    const input = webhookEndpointSchema({ allowHttpToLocalhost: true }).parse({ url: receiver.url(), events: ["InvoicePaid"], maxRetries: 1 });
    const { endpoint } = await createWebhookEndpoint(h.db, merchantId, input, MERCHANT_AUDIT, kek);
    await recordEvent(h.db, { aggregateType: "merchant", aggregateId: merchantId, merchantId, eventType: "InvoicePaid", payload: { invoiceId: null } });

    const mailer = createSmtpMailer(smtp.url, "Crypto Checkout <noreply@example.com>");
    const round = (at: Date) =>
      runDeliveryRound(h.db, {
        consumers: [(tx, events) => planNotificationsForEvents(tx, events, { appUrl: "https://pay.example.com" })],
        after: async () => ({ notifications: await sendDueNotifications(h.db, mailer, { appUrl: "https://pay.example.com" }) }),
        delivery: { keks: [kek], now: () => at, random: () => 0 },
      });
    const t0 = new Date();
    await round(t0);
    await round(new Date(t0.getTime() + 61_000)); // the last retry fails: the endpoint is marked failed
    const [row] = await h.db.select({ status: webhookEndpoints.status }).from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(row!.status).toBe("failed");
    await round(new Date(t0.getTime() + 62_000)); // relays WebhookEndpointFailed and sends the email

    const mail = smtp.messages.find((m) => m.to.includes(merchant!.email));
    expect(mail).toBeDefined();
    expect(`${mail!.subject}\n${mail!.text}`).toContain(receiver.url());
    expect(receiver.received).toHaveLength(2);
  });
});
