import { and, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { auditEntries, outboxEvents, systemConfiguration, webhookDeliveries, webhookDeliveryAttempts, webhookEndpoints } from "@/db/schema";
import { recordEvent } from "@/lib/events/outbox";
import { createInvoiceRecord } from "@/lib/invoices/create-invoice";
import { runDeliveryRound } from "@/lib/jobs/delivery-worker";
import { DEFAULT_SYSTEM_CONFIG, invalidateSystemConfig } from "@/lib/system-config";
import { deliverDueWebhooks, webhookBody } from "@/lib/webhooks/deliver";
import { webhookEndpointSchema } from "@/lib/webhooks/endpoint-input";
import { createWebhookEndpoint, listWebhookEndpoints, rewrapWebhookSecrets, setWebhookEndpointEnabled } from "@/lib/webhooks/endpoints";
import { findDelivery, listDeliveries, queueTestEvent, redeliver } from "@/lib/webhooks/log";
import { SIGNATURE_HEADER, verifyWebhook } from "@/lib/webhooks/signature";
import { testKek } from "../helpers/keys";
import { createTestMerchant, MERCHANT_AUDIT, seedFreshRates } from "../helpers/merchant-fixtures";
import { createTestDatabase, targetName } from "../helpers/test-db";
import { answer, hang, startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver";

let h: DatabaseHandle;
const kek = testKek();
const keks = [kek];
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  h = await createTestDatabase();
  await h.db.insert(systemConfiguration).values(DEFAULT_SYSTEM_CONFIG);
  await allowPrivateTargets(true); // the receivers listen on loopback
}, 60_000);
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
afterAll(async () => {
  await h?.close();
});

async function allowPrivateTargets(allow: boolean) {
  await h.db.update(systemConfiguration).set({ securitySettings: { ...DEFAULT_SYSTEM_CONFIG.securitySettings, allowPrivateWebhookTargets: allow } }).where(sql`true`);
  invalidateSystemConfig(h.db);
}

async function receiver(...args: Parameters<typeof startWebhookReceiver>) {
  const r = await startWebhookReceiver(...args);
  receivers.push(r);
  return r;
}

async function setup(endpoint: Partial<Record<string, unknown>> & { url: string }) {
  const { merchantId } = await createTestMerchant(h.db, { wallets: false });
  const input = webhookEndpointSchema({ allowHttpToLocalhost: true }).parse({ events: ["InvoicePaid", "InvoiceCreated"], ...endpoint });
  const { endpoint: created, secret } = await createWebhookEndpoint(h.db, merchantId, input, MERCHANT_AUDIT, kek);
  return { merchantId, endpointId: created.id, secret };
}

const emit = (merchantId: string, eventType: string, payload: Record<string, unknown> = { invoiceId: null, totalReceived: "1250" }) =>
  recordEvent(h.db, { aggregateType: "merchant", aggregateId: merchantId, merchantId, eventType, payload });

const round = (at = new Date(), extra: Parameters<typeof deliverDueWebhooks>[1] = {}) =>
  runDeliveryRound(h.db, { delivery: { keks, now: () => at, random: () => 0, ...extra } });

async function deliveriesOf(endpointId: string) {
  return h.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId));
}
async function attemptsOf(deliveryId: string) {
  return h.db.select().from(webhookDeliveryAttempts).where(eq(webhookDeliveryAttempts.deliveryId, deliveryId)).orderBy(webhookDeliveryAttempts.attemptedAt);
}
async function endpointRow(id: string) {
  const [row] = await h.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  return row!;
}

describe(`webhook delivery (${targetName()})`, () => {
  it("relays each subscribed event to the endpoint once, signed over the exact body", async () => {
    const r = await receiver();
    const { merchantId, endpointId, secret } = await setup({ url: r.url() });
    const other = await setup({ url: r.url("/other") }); // another merchant's endpoint
    const paid = await emit(merchantId, "InvoicePaid");
    await emit(merchantId, "PaymentDetected"); // not subscribed
    await round();
    await round(); // nothing twice

    expect(r.received).toHaveLength(1);
    const [request] = r.received;
    expect(request!.path).toBe("/hooks");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["cryptocheckout-event-id"]).toBe(paid);
    expect(request!.headers["cryptocheckout-event-type"]).toBe("InvoicePaid");
    const check = verifyWebhook(secret, request!.body, String(request!.headers[SIGNATURE_HEADER.toLowerCase()]));
    expect(check.ok).toBe(true);
    expect(verifyWebhook(`${secret}x`, request!.body, String(request!.headers[SIGNATURE_HEADER.toLowerCase()])).ok).toBe(false);
    const body = JSON.parse(request!.body);
    expect(body).toMatchObject({ id: paid, type: "InvoicePaid", livemode: null, data: { totalReceived: "1250" } });
    const [event] = await h.db.select().from(outboxEvents).where(eq(outboxEvents.id, paid));
    expect(request!.body).toBe(webhookBody(event!));
    expect(event!.publishedAt).not.toBeNull();

    const [delivery] = await deliveriesOf(endpointId);
    expect(delivery).toMatchObject({ status: "succeeded", attemptCount: 1, lastStatusCode: 200 });
    const [attempt] = await attemptsOf(delivery!.id);
    expect(attempt).toMatchObject({ statusCode: 200, responseBody: "ok", error: null });
    expect(attempt!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(await deliveriesOf(other.endpointId)).toHaveLength(0);
  });

  it("sends an invoice's events with its mode and links the delivery to the invoice", async () => {
    const r = await receiver();
    const { merchantId } = await createTestMerchant(h.db);
    const input = webhookEndpointSchema({ allowHttpToLocalhost: true }).parse({ url: r.url(), events: ["InvoiceCreated"] });
    const { endpoint } = await createWebhookEndpoint(h.db, merchantId, input, MERCHANT_AUDIT, kek);
    await seedFreshRates(h.db);
    const { invoice } = await createInvoiceRecord(
      h.db,
      { merchantId, mode: "test", title: "Beans", currency: "USD", items: [{ description: "Beans", quantity: 1n, unitPriceMinor: 1250n }], cryptoCurrency: "USDT", network: "ethereum" },
      MERCHANT_AUDIT,
    );
    await round();
    const body = JSON.parse(r.received[0]!.body);
    expect(body).toMatchObject({ type: "InvoiceCreated", livemode: false, data: { invoiceId: invoice.id } });
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery!.invoiceId).toBe(invoice.id);
    expect((await listDeliveries(h.db, merchantId, { invoiceId: invoice.id })).items).toHaveLength(1);
    expect((await findDelivery(h.db, merchantId, delivery!.id))!.body).toBe(r.received[0]!.body);
  });

  it("retries a 503 after the backoff, and not before", async () => {
    const r = await receiver(answer(503, "busy"));
    const { merchantId, endpointId } = await setup({ url: r.url(), retryBackoff: "exponential", maxRetries: 3 });
    await emit(merchantId, "InvoicePaid");
    const t0 = new Date();
    await round(t0);
    let [delivery] = await deliveriesOf(endpointId);
    expect(delivery).toMatchObject({ status: "pending", attemptCount: 1, lastStatusCode: 503 });
    expect(delivery!.nextAttemptAt.getTime()).toBe(t0.getTime() + 60_000); // exponential: 1 min, no jitter with random = 0

    await round(new Date(t0.getTime() + 59_000));
    expect(r.received).toHaveLength(1);
    await round(new Date(t0.getTime() + 60_000));
    expect(r.received).toHaveLength(2);
    [delivery] = await deliveriesOf(endpointId);
    expect(delivery!.nextAttemptAt.getTime()).toBe(t0.getTime() + 60_000 + 120_000); // then 2 min

    r.respond(answer(204));
    await round(new Date(t0.getTime() + 180_000));
    [delivery] = await deliveriesOf(endpointId);
    expect(delivery).toMatchObject({ status: "succeeded", attemptCount: 3, lastStatusCode: 204 });
    expect((await attemptsOf(delivery!.id)).map((a) => a.statusCode)).toEqual([503, 503, 204]);
    expect((await endpointRow(endpointId)).consecutiveFailures).toBe(0);
  });

  it("spaces linear retries by one more minute each time", async () => {
    const r = await receiver(answer(500));
    const { merchantId, endpointId } = await setup({ url: r.url(), retryBackoff: "linear", maxRetries: 5 });
    await emit(merchantId, "InvoicePaid");
    const t0 = new Date();
    await round(t0);
    await round(new Date(t0.getTime() + 60_000));
    const [delivery] = await deliveriesOf(endpointId);
    expect(delivery!.nextAttemptAt.getTime()).toBe(t0.getTime() + 60_000 + 120_000);
  });

  it("ends a delivery at once on a 4xx, and does not follow a redirect", async () => {
    const r = await receiver(answer(302, "", { location: "/elsewhere" }));
    const { merchantId, endpointId } = await setup({ url: r.url() });
    await emit(merchantId, "InvoicePaid");
    await round();
    expect(r.received.map((x) => x.path)).toEqual(["/hooks"]);
    let [delivery] = await deliveriesOf(endpointId);
    expect(delivery).toMatchObject({ status: "failed", attemptCount: 1, lastStatusCode: 302 });

    r.respond(answer(400, "bad signature"));
    await emit(merchantId, "InvoiceCreated");
    await round();
    [delivery] = (await deliveriesOf(endpointId)).filter((d) => d.eventType === "InvoiceCreated");
    expect(delivery).toMatchObject({ status: "failed", attemptCount: 1, lastStatusCode: 400 });
  });

  it("times out a receiver that does not answer, and retries", async () => {
    const r = await receiver(hang);
    const { merchantId, endpointId } = await setup({ url: r.url(), timeoutSeconds: 5 });
    await emit(merchantId, "InvoicePaid");
    const started = Date.now();
    await round();
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
    const [delivery] = await deliveriesOf(endpointId);
    expect(delivery).toMatchObject({ status: "pending", attemptCount: 1, lastStatusCode: null });
    const [attempt] = await attemptsOf(delivery!.id);
    expect(attempt!.error).toMatch(/No answer within 5 s/);
  }, 20_000);

  it("marks an endpoint failed when a delivery uses every retry, and records the event for the merchant's email", async () => {
    const r = await receiver(answer(500, "down"));
    const { merchantId, endpointId } = await setup({ url: r.url(), maxRetries: 1 });
    await emit(merchantId, "InvoicePaid");
    const t0 = new Date();
    await round(t0);
    expect((await endpointRow(endpointId)).status).toBe("active");
    await round(new Date(t0.getTime() + 61_000));
    const [delivery] = await deliveriesOf(endpointId);
    expect(delivery).toMatchObject({ status: "failed", attemptCount: 2 });
    const endpoint = await endpointRow(endpointId);
    expect(endpoint).toMatchObject({ status: "failed", consecutiveFailures: 2 });
    const events = await h.db.select().from(outboxEvents).where(and(eq(outboxEvents.merchantId, merchantId), eq(outboxEvents.eventType, "WebhookEndpointFailed")));
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ endpointId, url: r.url(), consecutiveFailures: 2 });
    const audit = await h.db.select().from(auditEntries).where(and(eq(auditEntries.merchantId, merchantId), eq(auditEntries.event, "webhook_endpoint.failed")));
    expect(audit).toHaveLength(1);

    // A failed endpoint gets nothing until the merchant enables it again; then its queue resumes.
    await emit(merchantId, "InvoicePaid");
    await round(new Date(t0.getTime() + 120_000));
    expect(r.received).toHaveLength(2);
    await setWebhookEndpointEnabled(h.db, merchantId, endpointId, true, MERCHANT_AUDIT);
    expect((await endpointRow(endpointId)).consecutiveFailures).toBe(0);
  });

  it("refuses loopback, link-local and private destinations unless the settings allow them, before sending anything", async () => {
    const r = await receiver();
    const { merchantId, endpointId } = await setup({ url: r.url() });
    await allowPrivateTargets(false);
    try {
      await emit(merchantId, "InvoicePaid");
      await round();
      expect(r.received).toHaveLength(0);
      const [delivery] = await deliveriesOf(endpointId);
      expect(delivery).toMatchObject({ status: "failed", attemptCount: 1, lastStatusCode: null });
      const [attempt] = await attemptsOf(delivery!.id);
      expect(attempt!.error).toBe("Refused: 127.0.0.1 resolves to 127.0.0.1, which is a loopback address");

      // A public-looking name that resolves to the cloud metadata address, or to a mix of addresses.
      for (const [addresses, reason] of [
        [["169.254.169.254"], "link-local"],
        [["93.184.215.14", "10.1.2.3"], "private"],
        [["::ffff:192.168.1.1"], "private"],
        [["fd00::1"], "unique-local"],
      ] as const) {
        const named = await setup({ url: "https://hooks.example.com/in" });
        await emit(named.merchantId, "InvoicePaid");
        await round(new Date(), { resolve: async () => addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })) });
        const [d] = await deliveriesOf(named.endpointId);
        const [a] = await attemptsOf(d!.id);
        expect(a!.error).toContain(`which is a ${reason} address`);
      }
    } finally {
      await allowPrivateTargets(true);
    }
  });

  it("sends only to addresses inside the endpoint's AllowedIPs", async () => {
    const r = await receiver();
    const { merchantId, endpointId } = await setup({ url: r.url(), allowedIps: ["10.0.0.0/8"] });
    await emit(merchantId, "InvoicePaid");
    await round();
    expect(r.received).toHaveLength(0);
    const [delivery] = await deliveriesOf(endpointId);
    expect((await attemptsOf(delivery!.id))[0]!.error).toContain("outside the endpoint's allowed IP ranges");

    const inside = await setup({ url: r.url("/inside"), allowedIps: ["127.0.0.0/8"] });
    await emit(inside.merchantId, "InvoicePaid");
    await round();
    expect(r.received.map((x) => x.path)).toEqual(["/inside"]);
  });

  it("takes back a delivery whose worker died mid-send once its lease ends", async () => {
    const r = await receiver();
    const { merchantId, endpointId } = await setup({ url: r.url(), timeoutSeconds: 10 });
    await emit(merchantId, "InvoicePaid");
    await runDeliveryRound(h.db, { delivery: { keks, deliveryIds: [] } }); // relay only
    const [queued] = await deliveriesOf(endpointId);
    // What a claim leaves behind when its worker is killed before recording anything.
    const claimedAt = new Date();
    await h.db.update(webhookDeliveries).set({ status: "delivering", nextAttemptAt: new Date(claimedAt.getTime() + 40_000) }).where(eq(webhookDeliveries.id, queued!.id));
    await round(new Date(claimedAt.getTime() + 39_000));
    expect(r.received).toHaveLength(0);
    await round(new Date(claimedAt.getTime() + 40_000));
    expect(r.received).toHaveLength(1);
    expect((await deliveriesOf(endpointId))[0]).toMatchObject({ status: "succeeded", attemptCount: 1 });
  });

  it("never sends one delivery twice when workers run at once", async () => {
    const r = await receiver();
    const { merchantId, endpointId } = await setup({ url: r.url() });
    for (let i = 0; i < 12; i++) await emit(merchantId, "InvoicePaid", { n: i });
    await runDeliveryRound(h.db, { delivery: { keks, deliveryIds: [] } });
    await Promise.all([1, 2, 3].map(() => deliverDueWebhooks(h.db, { keks, limit: 5 })));
    await deliverDueWebhooks(h.db, { keks });
    const ids = r.received.map((x) => x.headers["cryptocheckout-event-id"]);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    expect((await deliveriesOf(endpointId)).every((d) => d.status === "succeeded" && d.attemptCount === 1)).toBe(true);
  });

  it("sends a test event to one endpoint, redelivers on request, and lists it all in the log", async () => {
    const r = await receiver();
    const { merchantId, endpointId, secret } = await setup({ url: r.url() });
    const deliveryId = await queueTestEvent(h.db, merchantId, endpointId, MERCHANT_AUDIT);
    await deliverDueWebhooks(h.db, { keks, deliveryIds: [deliveryId] });
    expect(r.received).toHaveLength(1);
    expect(JSON.parse(r.received[0]!.body)).toMatchObject({ type: "WebhookTest", data: { endpointId } });
    expect(verifyWebhook(secret, r.received[0]!.body, String(r.received[0]!.headers["cryptocheckout-signature"])).ok).toBe(true);

    await redeliver(h.db, merchantId, deliveryId, MERCHANT_AUDIT);
    await deliverDueWebhooks(h.db, { keks, deliveryIds: [deliveryId] });
    expect(r.received).toHaveLength(2);
    expect(r.received[1]!.headers["cryptocheckout-event-id"]).toBe(r.received[0]!.headers["cryptocheckout-event-id"]);

    const detail = await findDelivery(h.db, merchantId, deliveryId);
    expect(detail!.attempts).toHaveLength(2);
    expect(detail!.body).toBe(r.received[0]!.body);
    const log = await listDeliveries(h.db, merchantId, { endpointId });
    expect(log.items.map((d) => d.id)).toEqual([deliveryId]);

    const stranger = await createTestMerchant(h.db, { wallets: false });
    expect(await findDelivery(h.db, stranger.merchantId, deliveryId)).toBeNull();
    await expect(redeliver(h.db, stranger.merchantId, deliveryId, MERCHANT_AUDIT)).rejects.toMatchObject({ code: "webhook_delivery.not_found" });
    await expect(queueTestEvent(h.db, stranger.merchantId, endpointId, MERCHANT_AUDIT)).rejects.toMatchObject({ code: "webhook_endpoint.not_found" });
  });

  it("keeps the secret sealed: only its last four characters are readable", async () => {
    const r = await receiver();
    const { merchantId, endpointId, secret } = await setup({ url: r.url() });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const row = await endpointRow(endpointId);
    expect(row.secretCiphertext).not.toContain(secret);
    expect(row.secretCiphertext).not.toContain(secret.slice(6));
    expect(row.secretLast4).toBe(secret.slice(-4));
    const [listed] = await listWebhookEndpoints(h.db, merchantId);
    expect(JSON.stringify(listed)).not.toContain(secret.slice(6, 20));
  });

  it("re-wraps signing secrets under a new key, and keeps signing with the same secret", async () => {
    const r = await receiver();
    const { merchantId, endpointId, secret } = await setup({ url: r.url() });
    const next = testKek("test-k2");
    const report = await rewrapWebhookSecrets(h.db, keks, next);
    expect(report.failed).toEqual([]);
    expect(report.rewrapped).toBeGreaterThanOrEqual(1);
    expect(JSON.parse((await endpointRow(endpointId)).secretCiphertext)).toMatchObject({ keyId: "test-k2" });
    expect((await rewrapWebhookSecrets(h.db, [next], next)).rewrapped).toBe(0);
    await emit(merchantId, "InvoicePaid");
    await runDeliveryRound(h.db, { delivery: { keks: [next] } });
    expect(verifyWebhook(secret, r.received[0]!.body, String(r.received[0]!.headers["cryptocheckout-signature"])).ok).toBe(true);
    // Later tests still use the first key: put this endpoint's back under it.
    await rewrapWebhookSecrets(h.db, [next], kek);
  });

  it("applies the plan's endpoint limit", async () => {
    const { merchantId } = await createTestMerchant(h.db, { wallets: false, plan: "free" });
    const input = webhookEndpointSchema({ allowHttpToLocalhost: true }).parse({ url: "https://a.example.com/h", events: ["InvoicePaid"] });
    await createWebhookEndpoint(h.db, merchantId, input, MERCHANT_AUDIT, kek);
    await expect(createWebhookEndpoint(h.db, merchantId, input, MERCHANT_AUDIT, kek)).rejects.toMatchObject({ code: "plan.limit_reached" });
  });
});
