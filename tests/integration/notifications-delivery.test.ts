import { and, asc, eq, sql } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db";
import type { DatabaseHandle } from "@/db/client";
import { merchants, notificationDeliveries, outboxEvents, payments } from "@/db/schema";
import { recordEvent, type DomainEventInput } from "@/lib/events/outbox";
import { createSmtpMailer, type Mailer } from "@/lib/mail/transport";
import { dispatchOutbox } from "@/lib/events/dispatch";
import { planNotifications, planNotificationsForEvents } from "@/lib/notifications/plan";
import { INTERRUPTED_ERROR, MAX_NOTIFICATION_ATTEMPTS, sendDueNotifications, CLAIM_LEASE_MS } from "@/lib/notifications/send";
import { setTemplateActive, updateTemplate } from "@/lib/notifications/templates";
import { createTestMerchant, MERCHANT_AUDIT } from "../helpers/merchant-fixtures";
import { preparePaymentDatabase, testInvoice } from "../helpers/payment-flow";
import { startSmtpServer, unusedPort, type TestSmtpServer } from "../helpers/smtp-server";
import { createTestDatabase, targetName } from "../helpers/test-db";

const APP_URL = "http://pay.test";
const FROM = "Checkout <notify@pay.test>";
const MINUTE = 60_000;

let h: DatabaseHandle;
let db: Db;
let smtp: TestSmtpServer;
let merchantId: string;
let merchantEmail: string;

beforeAll(async () => {
  [h, smtp] = await Promise.all([createTestDatabase(), startSmtpServer()]);
  db = h.db;
  await preparePaymentDatabase(db);
  ({ merchantId } = await createTestMerchant(db));
  [{ merchantEmail }] = await db.select({ merchantEmail: merchants.contactEmail }).from(merchants).where(eq(merchants.id, merchantId)) as [{ merchantEmail: string }];
}, 60_000);

afterAll(async () => {
  await smtp?.stop();
  await h?.close();
});

beforeEach(async () => {
  // Each test sends only what it planned: the sender takes every due row of the database.
  await db.delete(notificationDeliveries).where(sql`true`);
  smtp.messages.length = 0;
});

let counter = 0;
async function invoiceFor(options: { email?: string | null; title?: string } = {}) {
  counter++;
  const email = options.email === undefined ? `buyer${counter}@example.com` : options.email;
  return testInvoice(db, merchantId, 49n, { cryptoCurrency: "USDT", network: "tron" }, {
    title: options.title ?? `Order ${counter}`,
    reference: `REF-${counter}`,
    customer: email ? { email } : null,
  });
}

async function event(input: DomainEventInput) {
  const id = await recordEvent(db, input);
  const [row] = await db.select().from(outboxEvents).where(eq(outboxEvents.id, id));
  return row!;
}

async function createdEvent(invoiceId: string) {
  const [row] = await db
    .select()
    .from(outboxEvents)
    .where(and(eq(outboxEvents.aggregateId, invoiceId), eq(outboxEvents.eventType, "InvoiceCreated")));
  return row!;
}

const paidEvent = (invoiceId: string) =>
  event({ aggregateType: "invoice", aggregateId: invoiceId, merchantId, eventType: "InvoicePaid", payload: { invoiceId, totalReceived: "49000000", asset: "USDT" } });

const plan = (e: Awaited<ReturnType<typeof event>>) => db.transaction((tx) => planNotifications(tx, e, { appUrl: APP_URL }));

const deliveriesOf = (eventId: string) =>
  db.select().from(notificationDeliveries).where(eq(notificationDeliveries.eventId, eventId)).orderBy(asc(notificationDeliveries.recipientAddress));

describe(`planning notifications (${targetName()})`, () => {
  it("plans one pending delivery per active template and recipient, once however often it runs", async () => {
    const invoice = await invoiceFor();
    const created = await createdEvent(invoice.id);
    // Defaults: the customer hears about a new invoice, the merchant does not.
    expect(await plan(created)).toBe(1);
    expect(await plan(created)).toBe(0);
    const rows = await deliveriesOf(created.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ recipientAddress: `buyer${counter}@example.com`, status: "pending", attempts: 0, merchantId, lastError: null });
    expect(rows[0]!.templateId).not.toBeNull();
    expect(rows[0]!.subject).toMatch(/^Your invoice from Merchant \d+: \$49\.00$/);

    const paid = await paidEvent(invoice.id);
    expect(await plan(paid)).toBe(2);
    expect(await plan(paid)).toBe(0);
    expect((await deliveriesOf(paid.id)).map((d) => d.recipientAddress).sort()).toEqual([`buyer${counter}@example.com`, merchantEmail].sort());
  });

  it("respects the active switch and the merchant's notification address", async () => {
    const customerPaid = { eventType: "invoice_paid", recipient: "customer" } as const;
    await setTemplateActive(db, merchantId, customerPaid, false, MERCHANT_AUDIT);
    await db.update(merchants).set({ settings: { notifyEmail: "alerts@merchant.test" } }).where(eq(merchants.id, merchantId));
    try {
      const invoice = await invoiceFor();
      const paid = await paidEvent(invoice.id);
      expect(await plan(paid)).toBe(1);
      expect((await deliveriesOf(paid.id)).map((d) => d.recipientAddress)).toEqual(["alerts@merchant.test"]);
      // Switched on again, a re-run plans only what is missing.
      await setTemplateActive(db, merchantId, customerPaid, true, MERCHANT_AUDIT);
      expect(await plan(paid)).toBe(1);
      expect(await plan(paid)).toBe(0);
    } finally {
      await setTemplateActive(db, merchantId, customerPaid, true, MERCHANT_AUDIT);
      await db.update(merchants).set({ settings: {} }).where(eq(merchants.id, merchantId));
    }
  });

  it("skips the customer of an invoice without an email, and events it does not notify", async () => {
    const invoice = await invoiceFor({ email: null });
    expect(await plan(await createdEvent(invoice.id))).toBe(0);
    const paid = await paidEvent(invoice.id);
    expect(await plan(paid)).toBe(1);
    expect((await deliveriesOf(paid.id))[0]!.recipientAddress).toBe(merchantEmail);
    const other = await event({ aggregateType: "merchant", aggregateId: merchantId, merchantId, eventType: "MerchantCreated", payload: { merchantId } });
    expect(await plan(other)).toBe(0);
  });

  it("finds the invoice and merchant of a payment event that names only the payment", async () => {
    const invoice = await invoiceFor();
    const [payment] = await db
      .insert(payments)
      .values({ invoiceId: invoice.id, network: "tron", txHash: `0x${"ab".repeat(32)}`, outputIndex: 0, asset: "USDT", amount: 12_500_000n, toAddress: invoice.paymentAddress, requiredConfirmations: 19 })
      .returning();
    const detected = await event({ aggregateType: "payment", aggregateId: payment!.id, eventType: "PaymentDetected", payload: { paymentId: payment!.id, invoiceId: invoice.id, amount: "12500000", asset: "USDT", txHash: payment!.txHash } });
    expect(detected.merchantId).toBeNull();
    expect(await plan(detected)).toBe(1);
    const [row] = await deliveriesOf(detected.id);
    expect(row).toMatchObject({ merchantId, subject: "We see your payment of 12.5 USDT" });
    // Seen again after a reorganisation: not told twice.
    const again = await event({ aggregateType: "payment", aggregateId: payment!.id, eventType: "PaymentDetected", payload: { paymentId: payment!.id, invoiceId: invoice.id, redetected: true } });
    expect(await plan(again)).toBe(0);
  });

  it("tells the merchant about a failing webhook endpoint and a suspension", async () => {
    const failed = await event({
      aggregateType: "merchant",
      aggregateId: merchantId,
      merchantId,
      eventType: "WebhookEndpointFailed",
      payload: { endpointId: "0b7c3e58-51b7-4f3d-8e2a-6d1f9a6c4e02", url: "https://shop.example/hooks", consecutiveFailures: 10, lastError: "HTTP 503" },
    });
    expect(await plan(failed)).toBe(1);
    expect((await deliveriesOf(failed.id))[0]).toMatchObject({ recipientAddress: merchantEmail, subject: "Webhook endpoint failing: https://shop.example/hooks" });
    const suspended = await event({ aggregateType: "merchant", aggregateId: merchantId, eventType: "MerchantSuspended", payload: { merchantId, reason: "KYC review" } });
    expect(await plan(suspended)).toBe(1);
    await sendDueNotifications(db, createSmtpMailer(smtp.url, FROM), { appUrl: APP_URL });
    const mail = smtp.messages.find((m) => m.subject.endsWith("account is suspended"))!;
    expect(mail.to).toEqual([merchantEmail]);
    expect(mail.text).toContain("Reason: KYC review");
  });
});

describe(`the outbox relay (${targetName()})`, () => {
  it("plans notifications as an outbox consumer, in the relay's transaction", async () => {
    const invoice = await invoiceFor({ email: "relay@example.com" });
    const paid = await paidEvent(invoice.id);
    let planned = 0;
    const consumer = async (tx: Parameters<typeof planNotificationsForEvents>[0], events: Parameters<typeof planNotificationsForEvents>[1]) => {
      planned += await planNotificationsForEvents(tx, events, { appUrl: APP_URL });
    };
    await dispatchOutbox(db, [consumer], { limit: 1000 });
    expect((await deliveriesOf(paid.id)).map((d) => d.recipientAddress).sort()).toEqual(["relay@example.com", merchantEmail].sort());
    expect(planned).toBeGreaterThanOrEqual(3); // this invoice's InvoiceCreated and InvoicePaid, and earlier tests' events
    // A consumer that fails rolls the batch back: nothing planned, nothing published.
    const later = await paidEvent((await invoiceFor({ email: "rollback@example.com" })).id);
    const failing = async () => {
      throw new Error("webhook planner down");
    };
    await expect(dispatchOutbox(db, [consumer, failing])).rejects.toThrow("webhook planner down");
    expect(await deliveriesOf(later.id)).toEqual([]);
    await dispatchOutbox(db, [consumer]);
    expect(await deliveriesOf(later.id)).toHaveLength(2);
  });
});

describe(`sending notifications over SMTP (${targetName()})`, () => {
  it("sends to the customer and the merchant, with text and escaped HTML, and records the outcome", async () => {
    const invoice = await invoiceFor({ email: "round-trip@example.com", title: `<script>alert("x")</script> Pro plan` });
    const paid = await paidEvent(invoice.id);
    await plan(paid);
    const now = new Date();
    const report = await sendDueNotifications(db, createSmtpMailer(smtp.url, FROM), { now, appUrl: APP_URL });
    expect(report).toEqual({ sent: 2, retrying: 0, failed: 0 });

    const toCustomer = smtp.messages.find((m) => m.to.includes("round-trip@example.com"))!;
    expect(toCustomer.from).toBe("notify@pay.test");
    expect(toCustomer.subject).toBe(`Payment received: <script>alert("x")</script> Pro plan`);
    expect(toCustomer.text).toContain("Amount: $49.00 (49 USDT)");
    expect(toCustomer.text).toContain(`${APP_URL}/pay/${invoice.id}`);
    expect(toCustomer.text).toContain(`<script>alert("x")</script> Pro plan`);
    expect(toCustomer.html).not.toContain("<script>");
    expect(toCustomer.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Pro plan");
    expect(toCustomer.html).toContain(`<a href="${APP_URL}/pay/${invoice.id}"`);
    const toMerchant = smtp.messages.find((m) => m.to.includes(merchantEmail))!;
    expect(toMerchant.subject).toMatch(/^Invoice paid: \$49\.00 for /);
    expect(toMerchant.text).toContain("Customer: round-trip@example.com");
    expect(toMerchant.text).toContain(`Reference: REF-${counter}`);

    for (const row of await deliveriesOf(paid.id)) {
      expect(row).toMatchObject({ status: "sent", attempts: 1, lastError: null });
      expect(row.sentAt!.getTime()).toBe(now.getTime());
    }
    expect(await sendDueNotifications(db, createSmtpMailer(smtp.url, FROM), { appUrl: APP_URL })).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(2);
  });

  it("records the message id the mailer reports", async () => {
    const invoice = await invoiceFor({ email: "msgid@example.com" });
    const created = await createdEvent(invoice.id);
    await plan(created);
    const sent: string[] = [];
    const reporting = { send: async (m: { to: string }) => (sent.push(m.to), { messageId: "<abc123@mail.pay.test>" }) } as unknown as Mailer;
    expect(await sendDueNotifications(db, reporting, { appUrl: APP_URL })).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(sent).toEqual(["msgid@example.com"]);
    expect((await deliveriesOf(created.id))[0]).toMatchObject({ status: "sent", providerMessageId: "<abc123@mail.pay.test>" });
  });

  it("uses the template as it is when sending", async () => {
    const invoice = await invoiceFor({ email: "edited@example.com" });
    const created = await createdEvent(invoice.id);
    await plan(created);
    const key = { eventType: "invoice_created", recipient: "customer" } as const;
    await updateTemplate(db, merchantId, key, { subject: "Pay {{invoice.total}} to {{merchant.name}}", body: "Link: {{invoice.url}}" }, MERCHANT_AUDIT);
    try {
      await sendDueNotifications(db, createSmtpMailer(smtp.url, FROM), { appUrl: APP_URL });
      expect(smtp.messages.map((m) => [m.subject, m.text])).toEqual([[expect.stringMatching(/^Pay \$49\.00 to Merchant \d+$/), `Link: ${APP_URL}/pay/${invoice.id}`]]);
      expect((await deliveriesOf(created.id))[0]!.subject).toMatch(/^Pay \$49\.00 to /);
      // Switched off between planning and sending: not sent, and the row says why.
      const second = await invoiceFor({ email: "off@example.com" });
      const secondCreated = await createdEvent(second.id);
      await plan(secondCreated);
      await setTemplateActive(db, merchantId, key, false, MERCHANT_AUDIT);
      expect(await sendDueNotifications(db, createSmtpMailer(smtp.url, FROM), { appUrl: APP_URL })).toEqual({ sent: 0, retrying: 0, failed: 1 });
      expect((await deliveriesOf(secondCreated.id))[0]).toMatchObject({ status: "failed", lastError: "Not sent: the template was switched off before sending" });
    } finally {
      await setTemplateActive(db, merchantId, key, true, MERCHANT_AUDIT);
    }
  });

  it("keeps a row pending with a backoff while the server is down, and fails it after the last attempt", async () => {
    const invoice = await invoiceFor({ email: "down@example.com" });
    const created = await createdEvent(invoice.id);
    await plan(created);
    const down = createSmtpMailer(`smtp://127.0.0.1:${await unusedPort()}`, FROM);
    let now = new Date();
    expect(await sendDueNotifications(db, down, { now, appUrl: APP_URL })).toEqual({ sent: 0, retrying: 1, failed: 0 });
    let [row] = await deliveriesOf(created.id);
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row!.nextAttemptAt.getTime()).toBe(now.getTime() + MINUTE);
    expect(row!.lastError).toMatch(/ECONNREFUSED/);
    // Not due again before the backoff has passed.
    expect(await sendDueNotifications(db, down, { now: new Date(now.getTime() + 30_000), appUrl: APP_URL })).toEqual({ sent: 0, retrying: 0, failed: 0 });

    const waits = [1, 5, 15, 60];
    for (let attempt = 2; attempt <= MAX_NOTIFICATION_ATTEMPTS; attempt++) {
      now = new Date(now.getTime() + waits[attempt - 2]! * MINUTE);
      const report = await sendDueNotifications(db, down, { now, appUrl: APP_URL });
      [row] = await deliveriesOf(created.id);
      expect(row!.attempts).toBe(attempt);
      if (attempt < MAX_NOTIFICATION_ATTEMPTS) {
        expect(report.retrying).toBe(1);
        expect(row!.nextAttemptAt.getTime()).toBe(now.getTime() + waits[attempt - 1]! * MINUTE);
      } else {
        expect(report).toEqual({ sent: 0, retrying: 0, failed: 1 });
        expect(row!.status).toBe("failed");
      }
    }
    expect(await sendDueNotifications(db, down, { now: new Date(now.getTime() + 24 * 60 * MINUTE), appUrl: APP_URL })).toEqual({ sent: 0, retrying: 0, failed: 0 });
  });

  it("keeps a row pending when the server refuses the recipient", async () => {
    const refusing = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error("No such mailbox"), { responseCode: 550 }));
      },
    });
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    try {
      const port = (refusing.server.address() as AddressInfo).port;
      const invoice = await invoiceFor({ email: "refused@example.com" });
      const created = await createdEvent(invoice.id);
      await plan(created);
      const now = new Date();
      expect(await sendDueNotifications(db, createSmtpMailer(`smtp://127.0.0.1:${port}`, FROM), { now, appUrl: APP_URL })).toEqual({ sent: 0, retrying: 1, failed: 0 });
      const [row] = await deliveriesOf(created.id);
      expect(row).toMatchObject({ status: "pending", attempts: 1 });
      expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());
      expect(row!.lastError).toMatch(/EENVELOPE.*No such mailbox/);
    } finally {
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });

  it("never sends one row twice from concurrent senders", async () => {
    const ROWS = 16;
    for (let i = 0; i < ROWS; i++) {
      const invoice = await invoiceFor({ email: `many${i}@example.com` });
      await plan(await createdEvent(invoice.id));
    }
    const mailer = createSmtpMailer(smtp.url, FROM);
    const reports = await Promise.all(Array.from({ length: 4 }, () => sendDueNotifications(db, mailer, { appUrl: APP_URL })));
    expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(ROWS);
    expect(smtp.messages).toHaveLength(ROWS);
    expect(new Set(smtp.messages.map((m) => m.to[0])).size).toBe(ROWS);
    const rows = await db.select().from(notificationDeliveries);
    expect(rows.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
  });

  it("sends a row again after a sender died mid-send, once its lease has run out", async () => {
    const invoice = await invoiceFor({ email: "crash@example.com" });
    const created = await createdEvent(invoice.id);
    await plan(created);
    const now = new Date();
    // A sender that never comes back from the mail server (killed mid-send).
    const stuck: Mailer = { send: () => new Promise<void>(() => {}) };
    void sendDueNotifications(db, stuck, { now, appUrl: APP_URL, limit: 1 });
    await expect.poll(async () => (await deliveriesOf(created.id))[0]!.attempts).toBe(1);
    const mailer = createSmtpMailer(smtp.url, FROM);
    expect(await sendDueNotifications(db, mailer, { now: new Date(now.getTime() + CLAIM_LEASE_MS - 1000), appUrl: APP_URL })).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(await sendDueNotifications(db, mailer, { now: new Date(now.getTime() + CLAIM_LEASE_MS), appUrl: APP_URL })).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect((await deliveriesOf(created.id))[0]).toMatchObject({ status: "sent", attempts: 2 });
    expect(smtp.messages.map((m) => m.to[0])).toEqual(["crash@example.com"]);
  });

  it("fails a row whose last attempt was interrupted", async () => {
    const invoice = await invoiceFor({ email: "last@example.com" });
    const created = await createdEvent(invoice.id);
    await plan(created);
    const now = new Date();
    await db.update(notificationDeliveries).set({ attempts: MAX_NOTIFICATION_ATTEMPTS, nextAttemptAt: now }).where(eq(notificationDeliveries.eventId, created.id));
    expect(await sendDueNotifications(db, createSmtpMailer(smtp.url, FROM), { now, appUrl: APP_URL })).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect((await deliveriesOf(created.id))[0]).toMatchObject({ status: "failed", lastError: INTERRUPTED_ERROR, attempts: MAX_NOTIFICATION_ATTEMPTS });
    expect(smtp.messages).toHaveLength(0);
  });
});
