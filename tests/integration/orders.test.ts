import { randomBytes, randomUUID } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db";
import type { DatabaseHandle } from "@/db/client";
import { accountOrders, accounts, auditEntries, invoices, outboxEvents, systemConfiguration } from "@/db/schema";
import { sealCredentials } from "@/lib/accounts/credentials";
import { SYSTEM_AUDIT, type AuditContext } from "@/lib/audit";
import { createEvmAdapter } from "@/lib/chains/evm/adapter";
import { DomainError } from "@/lib/domain";
import { cancelInvoice } from "@/lib/invoices/cancel-invoice";
import { expireInvoices } from "@/lib/jobs/expire-invoices";
import { pollSource, type WatchSource } from "@/lib/jobs/poll-chains";
import { createSmtpMailer, type Mailer } from "@/lib/mail/transport";
import { configureMerchantWallet } from "@/lib/merchants/wallets";
import { hashAccessToken, orderAccessToken, type OrderLinkSettings } from "@/lib/orders/access-token";
import { EMAIL_NOT_CONFIGURED, MAX_EMAIL_ATTEMPTS, sendPendingOrderEmails } from "@/lib/orders/order-emails";
import { listPaymentOptions } from "@/lib/orders/payment-options";
import { placeAccountOrder, type PlaceOrderInput } from "@/lib/orders/place-order";
import { findOrderByToken, listOrdersForAdmin } from "@/lib/orders/queries";
import { startEvmChain, type EvmChain } from "../helpers/evm-chain";
import { testKek } from "../helpers/keys";
import { createTestMerchant, MERCHANT_AUDIT, walletKeys } from "../helpers/merchant-fixtures";
import { preparePaymentDatabase } from "../helpers/payment-flow";
import { startSmtpServer, unusedPort, type TestSmtpServer } from "../helpers/smtp-server";
import { createTestDatabase, targetName } from "../helpers/test-db";

let h: DatabaseHandle;
let db: Db;
let chain: EvmChain;
let source: WatchSource;
let storeId: string;
const kek = testKek();
const links: OrderLinkSettings = { appUrl: "http://store.test", authSecret: "order-link-test-secret-0123456789abcdef" };
const BUYER: AuditContext = { actor: { type: "customer" }, ipAddress: "203.0.113.9", userAgent: "vitest" };
const MINUTE = 60_000;

beforeAll(async () => {
  [h, chain] = await Promise.all([createTestDatabase(), startEvmChain()]);
  db = h.db;
  await preparePaymentDatabase(db);
  const { merchantId, account } = await createTestMerchant(db, { wallets: false });
  storeId = merchantId;
  // The store's only keys: test-mode Ethereum and Tron (as the demo data has test keys only).
  const keys = walletKeys(account);
  await configureMerchantWallet(db, storeId, { network: "ethereum", mode: "test", extendedPublicKey: keys.ethereum }, MERCHANT_AUDIT);
  await configureMerchantWallet(db, storeId, { network: "tron", mode: "test", extendedPublicKey: keys.tron }, MERCHANT_AUDIT);
  await db.update(systemConfiguration).set({ storeMerchantId: storeId }).where(isNull(systemConfiguration.storeMerchantId));
  source = { id: "ethereum:test", network: "ethereum", livemode: false, adapter: createEvmAdapter({ rpcUrl: chain.url, usdtContract: chain.token }), startBlock: 0n };
}, 60_000);

afterAll(async () => {
  await chain?.stop();
  await h?.close();
});

/** An account for sale with sealed credentials; $49 by default (6 confirmations on Ethereum). */
async function newAccount(status: "AVAILABLE" | "MAINTENANCE" | "SOLD" = "AVAILABLE") {
  const id = randomUUID();
  const credentials = {
    accessKeyId: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString("base64"),
  };
  await db.insert(accounts).values({
    id,
    name: `acc-${id.slice(0, 8)}`,
    displayName: `Test account ${id.slice(0, 8)}`,
    status,
    priceMinor: 4_900n,
    priceCurrency: "USD",
    instructions: "Rotate the key pair before first use.",
    regions: ["us-east-1", "us-west-2"],
    soldAt: status === "SOLD" ? new Date() : null,
    ...sealCredentials(id, credentials, kek),
  });
  return { id, credentials };
}

function buy(accountId: string, extra: Partial<PlaceOrderInput> = {}, now?: Date) {
  return placeAccountOrder(db, { accountId, payWith: "USDT:ethereum", ...extra }, BUYER, { links, now });
}

/** The refusal's code, or "placed" when the order went through. */
async function outcome(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
    return "placed";
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

async function orderRow(orderId: string) {
  const [row] = await db.select().from(accountOrders).where(eq(accountOrders.id, orderId));
  return row!;
}

async function accountRow(accountId: string) {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, accountId));
  return row!;
}

async function invoiceRow(invoiceId: string) {
  const [row] = await db.select().from(invoices).where(eq(invoices.id, invoiceId));
  return row!;
}

const tokenOf = (orderUrl: string) => new URL(orderUrl).pathname.split("/orders/")[1]!;

async function poll() {
  const report = await pollSource(db, source);
  expect(report.error).toBeUndefined();
}

/** Pays the invoice's full amount in test USDT; with `confirm`, mines until it is confirmed. */
async function pay(invoiceId: string, confirm = true) {
  const invoice = await invoiceRow(invoiceId);
  await chain.wait(await chain.sendUsdt(invoice.paymentAddress, invoice.cryptoAmount));
  if (confirm) await chain.mine(invoice.requiredConfirmations);
  await poll();
}

/** An order placed 40 minutes ago (its 30-minute invoice ran out 10 minutes ago), then expired by the job. */
async function expiredOrder(accountId: string) {
  const placed = await buy(accountId, {}, new Date(Date.now() - 40 * MINUTE));
  await expireInvoices(db);
  expect((await orderRow(placed.orderId)).status).toBe("expired");
  return placed;
}

describe(`buying an account (${targetName()})`, () => {
  it("offers the coins of the networks the store has keys for, in test mode when it has no live key", async () => {
    const options = await listPaymentOptions(db, storeId);
    expect(options.map((o) => [o.value, o.mode])).toEqual([
      ["ETH:ethereum", "test"],
      ["USDT:ethereum", "test"],
      ["USDT:tron", "test"],
    ]);
    expect(options[1]!.label).toBe("USDT on Ethereum (test network)");
  });

  it("reserves the account with an invoice of the store that redirects to the order page", async () => {
    const { id } = await newAccount();
    const placed = await buy(id, { email: "buyer@example.com" });
    const order = await orderRow(placed.orderId);
    const invoice = await invoiceRow(placed.invoiceId);
    expect(order).toMatchObject({ status: "reserved", accountId: id, invoiceId: invoice.id, priceMinor: 4_900n, priceCurrency: "USD", buyerEmail: "buyer@example.com" });
    expect(order.reservedUntil).toEqual(invoice.expiresAt);
    expect(invoice).toMatchObject({
      merchantId: storeId,
      livemode: false,
      title: `AWS account: Test account ${id.slice(0, 8)}`,
      totalMinor: 4_900n,
      fiatCurrency: "USD",
      cryptoCurrency: "USDT",
      network: "ethereum",
      cryptoAmount: 49_000_000n,
      metadata: { accountId: id, orderId: placed.orderId },
      redirectUrl: placed.orderUrl,
    });
    expect(invoice.customerId).not.toBeNull();
    expect(placed.checkoutPath).toBe(`/pay/${invoice.id}`);
    // Only the hash of the link's token is stored.
    const token = tokenOf(placed.orderUrl);
    expect(placed.orderUrl).toBe(`http://store.test/orders/${token}`);
    expect(order.accessTokenHash).toBe(hashAccessToken(token));
    expect(order.accessTokenHash).not.toContain(token);
    expect(token).toBe(orderAccessToken(placed.orderId, links.authSecret));
    const reserved = await db.select({ type: outboxEvents.eventType }).from(outboxEvents).where(eq(outboxEvents.aggregateId, id));
    expect(reserved.map((e) => e.type)).toEqual(["AccountReserved"]);
  });

  it("lets exactly one of 50 simultaneous buyers reserve the account; the others hear it was just reserved", async () => {
    const { id } = await newAccount();
    const results = await Promise.all(Array.from({ length: 50 }, () => outcome(buy(id))));
    expect(results.filter((r) => r === "placed")).toHaveLength(1);
    expect(results.filter((r) => r === "account.just_reserved")).toHaveLength(49);
    const orders = await db.select().from(accountOrders).where(eq(accountOrders.accountId, id));
    expect(orders).toHaveLength(1);
    const [{ n }] = (await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(invoices).where(sql`${invoices.metadata} ->> 'accountId' = ${id}`)) as [{ n: number }];
    expect(n).toBe(1);
  });

  it("refuses bad input by field, an account not for sale, and a coin the store does not take", async () => {
    const { id } = await newAccount();
    const refused = async (attempt: Promise<unknown>) => {
      const error = await attempt.then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      return error as DomainError;
    };
    const badEmail = await refused(buy(id, { email: "not-an-email" }));
    expect(badEmail).toMatchObject({ code: "order.invalid_input", details: { field: "email" } });
    expect(badEmail.message).toMatch(/^email: /);
    expect(await refused(buy("not-a-uuid"))).toMatchObject({ code: "order.invalid_input", details: { field: "accountId" } });
    expect(await refused(buy(id, { payWith: "BTC:bitcoin" }))).toMatchObject({ code: "order.payment_option_unavailable", details: { field: "payWith" } });
    expect(await refused(buy(randomUUID()))).toMatchObject({ code: "account.not_found" });
    expect((await refused(buy((await newAccount("SOLD")).id))).code).toBe("account.not_available");
    expect((await refused(buy((await newAccount("MAINTENANCE")).id))).code).toBe("account.not_available");
    expect(await db.select().from(accountOrders).where(eq(accountOrders.accountId, id))).toHaveLength(0);
  });

  it("frees the account when the invoice expires, so a new Buy works", async () => {
    const { id } = await newAccount();
    const first = await expiredOrder(id);
    const order = await orderRow(first.orderId);
    expect(order.closedAt).toBeInstanceOf(Date);
    expect((await accountRow(id)).status).toBe("AVAILABLE");
    const second = await buy(id);
    expect((await orderRow(second.orderId)).status).toBe("reserved");
  });

  it("frees the account when the invoice is cancelled", async () => {
    const { id } = await newAccount();
    const first = await buy(id);
    expect(await outcome(buy(id))).toBe("account.just_reserved");
    await cancelInvoice(db, { merchantId: storeId, livemode: false }, first.invoiceId, "buyer changed their mind", SYSTEM_AUDIT);
    expect((await orderRow(first.orderId)).status).toBe("cancelled");
    expect(await outcome(buy(id))).toBe("placed");
  });

  it("sells the account when the invoice is paid on chain, and the order page then shows the credentials", async () => {
    const { id, credentials } = await newAccount();
    const placed = await buy(id);
    const token = tokenOf(placed.orderUrl);
    const before = await findOrderByToken(db, token, { keks: [kek] });
    expect(before).toMatchObject({ status: "reserved", credentials: null, invoice: { id: placed.invoiceId, checkoutPath: `/pay/${placed.invoiceId}` } });

    await pay(placed.invoiceId, false);
    expect((await invoiceRow(placed.invoiceId)).status).toBe("confirming");
    expect((await orderRow(placed.orderId)).status).toBe("reserved");
    await chain.mine(6);
    await poll();

    expect((await invoiceRow(placed.invoiceId)).status).toBe("paid");
    const order = await orderRow(placed.orderId);
    expect(order.status).toBe("paid");
    expect(order.paidAt).toBeInstanceOf(Date);
    const account = await accountRow(id);
    expect(account.status).toBe("SOLD");
    expect(account.soldAt).toBeInstanceOf(Date);
    const events = await db
      .select({ payload: outboxEvents.payload, actorType: outboxEvents.actorType })
      .from(outboxEvents)
      .where(and(eq(outboxEvents.aggregateId, id), eq(outboxEvents.eventType, "AccountStatusChanged")));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorType: "system", payload: { accountId: id, oldStatus: "AVAILABLE", newStatus: "SOLD" } });
    expect(Date.parse(String(events[0]!.payload.timestamp))).toBe(account.soldAt!.getTime());

    const page = await findOrderByToken(db, token, { keks: [kek] });
    expect(page).toMatchObject({
      status: "paid",
      credentials,
      account: { id, regions: ["us-east-1", "us-west-2"], instructions: "Rotate the key pair before first use." },
    });
    expect(page!.paidAt).toEqual(order.paidAt);
    // A further poll changes nothing: the sale happens once.
    await chain.mine(1);
    await poll();
    expect(await db.select().from(outboxEvents).where(and(eq(outboxEvents.aggregateId, id), eq(outboxEvents.eventType, "AccountStatusChanged")))).toHaveLength(1);
  });

  it("finds nothing for a wrong token", async () => {
    const { id } = await newAccount();
    const placed = await buy(id);
    const token = tokenOf(placed.orderUrl);
    expect(await findOrderByToken(db, token, { keks: [kek] })).not.toBeNull();
    expect(await findOrderByToken(db, `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`)).toBeNull();
    expect(await findOrderByToken(db, randomBytes(32).toString("base64url"))).toBeNull();
    expect(await findOrderByToken(db, "short")).toBeNull();
    expect(await findOrderByToken(db, hashAccessToken(token))).toBeNull(); // the stored hash opens nothing
    expect(await findOrderByToken(db, orderAccessToken(placed.orderId, "another-secret-of-at-least-32-chars!!"))).toBeNull();
  });

  it("sells an account paid late when it is still free, once the late payment is confirmed", async () => {
    const { id } = await newAccount();
    const placed = await expiredOrder(id);
    await pay(placed.invoiceId, false);
    expect(await invoiceRow(placed.invoiceId)).toMatchObject({ status: "expired", exception: "paid_late" });
    expect((await orderRow(placed.orderId)).status).toBe("expired"); // not yet confirmed
    await chain.mine(6);
    await poll(); // the invoice does not change any more; the order does
    expect((await orderRow(placed.orderId)).status).toBe("paid");
    expect((await accountRow(id)).status).toBe("SOLD");
  });

  it("makes an order paid late unfulfillable when someone else reserved the account meanwhile", async () => {
    const { id } = await newAccount();
    const late = await expiredOrder(id);
    const other = await buy(id);
    await pay(late.invoiceId);
    const order = await orderRow(late.orderId);
    expect(order.status).toBe("unfulfillable");
    expect(order.closedAt).toBeInstanceOf(Date);
    expect((await orderRow(other.orderId)).status).toBe("reserved");
    expect((await accountRow(id)).status).toBe("AVAILABLE");
    const [event] = await db.select().from(outboxEvents).where(and(eq(outboxEvents.aggregateId, id), eq(outboxEvents.eventType, "AccountOrderUnfulfillable")));
    expect(event!.payload).toMatchObject({ orderId: late.orderId, invoiceId: late.invoiceId, refundDue: true, reason: "reserved by another buyer" });
    const audit = await db.select({ data: auditEntries.data }).from(auditEntries).where(and(eq(auditEntries.invoiceId, late.invoiceId), eq(auditEntries.event, "order.unfulfillable")));
    expect(audit[0]!.data).toMatchObject({ from: "expired", to: "unfulfillable", refundDue: true });
    expect(await findOrderByToken(db, tokenOf(late.orderUrl), { keks: [kek] })).toMatchObject({ status: "unfulfillable", credentials: null });
  });

  it("makes a paid order unfulfillable when the account was taken off sale during the reservation", async () => {
    const { id } = await newAccount();
    const placed = await buy(id);
    await db.update(accounts).set({ status: "MAINTENANCE" }).where(eq(accounts.id, id));
    await pay(placed.invoiceId);
    expect((await invoiceRow(placed.invoiceId)).status).toBe("paid");
    expect((await orderRow(placed.orderId)).status).toBe("unfulfillable");
    expect((await accountRow(id)).status).toBe("MAINTENANCE");
  });

  it("lists orders for the admin with their invoices, filtered by status", async () => {
    const { id } = await newAccount();
    const placed = await buy(id, { email: "listed@example.com" });
    const reserved = await listOrdersForAdmin(db, { status: "reserved" });
    const row = reserved.find((r) => r.id === placed.orderId);
    expect(row).toMatchObject({ status: "reserved", buyerEmail: "listed@example.com", account: { id }, invoice: { id: placed.invoiceId, status: "pending", livemode: false } });
    expect(row!.price).toEqual({ amount: 4_900n, asset: "USD" });
    expect(reserved.every((r) => r.status === "reserved")).toBe(true);
    expect((await listOrdersForAdmin(db, { status: "paid" })).some((r) => r.id === placed.orderId)).toBe(false);
    const page1 = await listOrdersForAdmin(db, { limit: 2 });
    const page2 = await listOrdersForAdmin(db, { limit: 2, before: { createdAt: page1[1]!.createdAt, id: page1[1]!.id } });
    expect(page2.map((r) => r.id)).not.toContain(page1[0]!.id);
    expect(page2.map((r) => r.id)).not.toContain(page1[1]!.id);
  });
});

describe(`the order email (${targetName()})`, () => {
  let smtp: TestSmtpServer | undefined;
  afterAll(async () => smtp?.stop());
  const FROM = "Test Store <store@store.test>";
  const send = (mailer: Mailer | null, now?: Date) =>
    sendPendingOrderEmails(db, { mailer, links, storeName: "Test Store", now });

  /** A paid order of a new account, bought with `email`. */
  async function paidOrder(email: string) {
    const account = await newAccount();
    const placed = await buy(account.id, { email });
    await pay(placed.invoiceId);
    expect((await orderRow(placed.orderId)).status).toBe("paid");
    return { ...placed, ...account };
  }

  it("sends the order link, which opens the order, and never the credentials", async () => {
    smtp = await startSmtpServer();
    const order = await paidOrder("round-trip@example.com");
    const report = await send(createSmtpMailer(smtp.url, FROM));
    expect(report.sent).toBeGreaterThanOrEqual(1);
    const mails = smtp.messages.filter((m) => m.to.includes("round-trip@example.com"));
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.from).toBe("store@store.test");
    expect(mail.subject).toBe(`Your Test Store order: Test account ${order.id.slice(0, 8)}`);
    expect(mail.text).toContain(order.orderUrl);
    expect(mail.html).toContain(`href="${order.orderUrl}"`);
    for (const secret of [order.credentials.secretAccessKey, order.credentials.accessKeyId]) {
      expect(mail.raw).not.toContain(secret);
    }
    const link = /http:\/\/store\.test\/orders\/[A-Za-z0-9_-]+/.exec(mail.text)![0];
    expect(await findOrderByToken(db, tokenOf(link), { keks: [kek] })).toMatchObject({ status: "paid", credentials: order.credentials, emailedTo: "round-trip@example.com" });
    expect(await orderRow(order.orderId)).toMatchObject({ emailAttempts: 1, emailError: null });
    expect((await orderRow(order.orderId)).emailSentAt).toBeInstanceOf(Date);

    await send(createSmtpMailer(smtp.url, FROM));
    expect(smtp.messages.filter((m) => m.to.includes("round-trip@example.com"))).toHaveLength(1);
  });

  it("records the error while the mail server is down and succeeds on a later retry", async () => {
    const port = await unusedPort();
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${port}`, FROM);
    const order = await paidOrder("retry@example.com");
    const t0 = new Date();
    await send(mailer, t0);
    let row = await orderRow(order.orderId);
    expect(row).toMatchObject({ emailAttempts: 1, emailSentAt: null });
    expect(row.emailError).toMatch(/ECONNREFUSED|ECONNECTION/);

    await send(mailer, new Date(t0.getTime() + 10_000)); // too soon for attempt 2
    expect((await orderRow(order.orderId)).emailAttempts).toBe(1);

    const server = await startSmtpServer({ port });
    try {
      await send(mailer, new Date(t0.getTime() + 2 * MINUTE));
      row = await orderRow(order.orderId);
      expect(row).toMatchObject({ emailAttempts: 2, emailError: null });
      expect(row.emailSentAt).toBeInstanceOf(Date);
      expect(server.messages.filter((m) => m.to.includes("retry@example.com"))).toHaveLength(1);
    } finally {
      await server.stop();
    }
  });

  it("gives up after the last attempt", async () => {
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${await unusedPort()}`, FROM);
    const order = await paidOrder("give-up@example.com");
    const t0 = Date.now();
    for (let i = 0; i < MAX_EMAIL_ATTEMPTS + 2; i++) await send(mailer, new Date(t0 + i * 10 * MINUTE));
    expect(await orderRow(order.orderId)).toMatchObject({ emailAttempts: MAX_EMAIL_ATTEMPTS, emailSentAt: null });
  });

  it("records that no email could be sent when no mail server is configured", async () => {
    const order = await paidOrder("no-smtp@example.com");
    const report = await send(null);
    expect(report.notConfigured).toBeGreaterThanOrEqual(1);
    expect(await orderRow(order.orderId)).toMatchObject({ emailError: EMAIL_NOT_CONFIGURED, emailSentAt: null, emailAttempts: MAX_EMAIL_ATTEMPTS });
  });
});
