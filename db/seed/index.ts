import { randomBytes } from "node:crypto";
import { and, count, eq, inArray, isNull } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import {
  accountModelQuotas,
  accounts,
  admins,
  auditEntries,
  customerPaymentHistory,
  customers,
  exchangeRates,
  invoiceItems,
  invoices,
  merchantPayoutSettings,
  merchants,
  merchantWallets,
  notificationTemplates,
  outboxEvents,
  payments,
  systemConfiguration,
} from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { encryptEnvelope, type KeyEncryptionKey } from "@/lib/crypto/envelope";
import { recordEvents, type DomainEventInput } from "@/lib/events/outbox";
import { ensureDefaultTemplates } from "@/lib/notifications/templates";
import { buildDemoAccounts } from "./demo-accounts";
import { buildDemoInvoices, DEMO_CUSTOMER_EMAILS, DEMO_RATES, STORE_DEMO_WALLET_KEYS } from "./demo-invoices";
import { DEFAULT_SYSTEM_CONFIGURATION } from "./system-defaults";

export type SeedOptions = {
  adminUsername: string;
  /** When absent a random password is generated and returned (to be printed once). */
  adminPassword?: string;
  demoData: boolean;
  storeName: string;
  kek: KeyEncryptionKey;
  /**
   * A development install (the local test chain is on): the first system configuration lets
   * webhooks go to a developer's own machine (http://localhost, private addresses). Production
   * installs start with both refused; an admin may change either in the system settings.
   */
  developmentWebhooks?: boolean;
  now?: Date;
};

export type SeedResult = {
  adminCreated: boolean;
  generatedAdminPassword: string | null;
  demoDataCreated: boolean;
};

/** Idempotent: creates the first admin if there is none, and demo data if there are no merchants. */
export async function ensureSeeded(db: Db, options: SeedOptions): Promise<SeedResult> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const result: SeedResult = { adminCreated: false, generatedAdminPassword: null, demoDataCreated: false };

    const [{ n: adminCount } = { n: 0 }] = await tx.select({ n: count() }).from(admins);
    if (adminCount === 0) {
      const password = options.adminPassword ?? randomBytes(15).toString("base64url");
      await tx.insert(admins).values({ username: options.adminUsername, passwordHash: await hashPassword(password) });
      result.adminCreated = true;
      result.generatedAdminPassword = options.adminPassword ? null : password;
    }

    const [{ n: configCount } = { n: 0 }] = await tx.select({ n: count() }).from(systemConfiguration);
    if (configCount === 0) {
      const { securitySettings } = DEFAULT_SYSTEM_CONFIGURATION;
      await tx.insert(systemConfiguration).values({
        ...DEFAULT_SYSTEM_CONFIGURATION,
        securitySettings: options.developmentWebhooks ? { ...securitySettings, allowHttpWebhooksToLocalhost: true, allowPrivateWebhookTargets: true } : securitySettings,
      });
    }

    const [{ n: merchantCount } = { n: 0 }] = await tx.select({ n: count() }).from(merchants);
    if (options.demoData && merchantCount === 0) {
      await seedDemoData(tx, options, now);
      result.demoDataCreated = true;
    }
    return result;
  });
}

async function seedDemoData(tx: Tx, options: SeedOptions, now: Date): Promise<void> {
  const events: DomainEventInput[] = [];

  // The storefront is the platform's first merchant.
  const [store] = await tx
    .insert(merchants)
    .values({
      businessName: options.storeName,
      contactEmail: "store@example.com",
      status: "active",
      planType: "enterprise",
      settings: { defaultExpiryMinutes: 30 },
      createdAt: new Date(now.getTime() - 30 * 86_400_000),
    })
    .returning({ id: merchants.id });
  const merchantId = store!.id;
  // The single configuration row (created just above when missing) names the store.
  await tx.update(systemConfiguration).set({ storeMerchantId: merchantId }).where(isNull(systemConfiguration.storeMerchantId));
  await tx.insert(merchantPayoutSettings).values({ merchantId });
  // The store's own order email tells a buyer their account is paid for (with the order link), so
  // the generic "invoice paid" email to the customer would only say it twice.
  await ensureDefaultTemplates(tx, merchantId);
  await tx
    .update(notificationTemplates)
    .set({ isActive: false })
    .where(and(eq(notificationTemplates.merchantId, merchantId), eq(notificationTemplates.eventType, "invoice_paid"), eq(notificationTemplates.recipient, "customer")));
  events.push({ aggregateType: "merchant", aggregateId: merchantId, eventType: "MerchantCreated", merchantId, actor: { type: "system" }, payload: { merchantId, planType: "enterprise" } });

  // Accounts, each with envelope-encrypted demo credentials and a quota profile.
  const demo = buildDemoAccounts(now);
  const accountRows: { id: string; displayName: string; priceMinor: bigint }[] = [];
  for (const d of demo) {
    const [row] = await tx
      .insert(accounts)
      .values({
        name: d.account.name,
        displayName: d.account.displayName,
        status: d.account.status,
        priceMinor: d.account.priceMinor,
        priceCurrency: "USD",
        instructions:
          "After payment your order page shows the account's IAM access key pair. Sign in to the console, " +
          "rotate the key pair, and call Bedrock with the inference profiles listed above.",
        features: d.account.features,
        limitations: d.account.limitations,
        regions: d.account.regions,
        quotaLevel: d.quotaLevel,
        quotaUpdatedAt: d.profile.lastUpdated,
        needsReview: d.needsReview,
        suggestedPriceMinor: d.suggestedPriceMinor,
        accessKeyLast4: d.accessKeyId.slice(-4),
        soldAt: d.account.status === "SOLD" ? new Date(now.getTime() - 2 * 86_400_000) : null,
      })
      .returning({ id: accounts.id });
    const id = row!.id;
    const sealed = encryptEnvelope(
      options.kek,
      JSON.stringify({ accessKeyId: d.accessKeyId, secretAccessKey: d.secretAccessKey }),
      id,
    );
    await tx
      .update(accounts)
      .set({ credentialsCiphertext: sealed.ciphertext, wrappedDataKey: sealed.wrappedDataKey, credentialsKeyId: sealed.keyId })
      .where(eq(accounts.id, id));
    await tx.insert(accountModelQuotas).values(d.profile.modelQuotas.map((q) => ({ accountId: id, ...q })));
    accountRows.push({ id, displayName: d.account.displayName, priceMinor: d.account.priceMinor });
    events.push(
      { aggregateType: "account", aggregateId: id, eventType: "AccountCreated", actor: { type: "system" }, payload: { accountId: id, name: d.account.name, timestamp: now } },
      { aggregateType: "account", aggregateId: id, eventType: "QuotaUpdated", actor: { type: "system" }, payload: { accountId: id, quotaProfile: d.profile, timestamp: d.profile.lastUpdated } },
    );
  }

  // Current demo rates for every pair, so the checkout has something to lock.
  for (const [fiat, byCrypto] of Object.entries(DEMO_RATES)) {
    for (const [crypto, rate] of Object.entries(byCrypto)) {
      await tx.insert(exchangeRates).values({
        fromCurrency: fiat as "USD",
        toCurrency: crypto as "BTC",
        rate,
        source: "static",
        lockedAt: now,
        expiresAt: new Date(now.getTime() + 15 * 60_000),
      });
    }
  }

  const customerIds = new Map<string, string>();
  for (const email of DEMO_CUSTOMER_EMAILS) {
    const [c] = await tx.insert(customers).values({ merchantId, email, lastSeenAt: now }).returning({ id: customers.id });
    customerIds.set(email, c!.id);
  }

  const demoInvoices = buildDemoInvoices(now, accountRows);
  // The store's test-network keys, with each index past the ones the demo invoices took.
  for (const network of ["bitcoin", "ethereum", "tron"] as const) {
    const used = demoInvoices.filter((inv) => inv.network === network).length;
    await tx.insert(merchantWallets).values({ merchantId, network, mode: "test", extendedPublicKey: STORE_DEMO_WALLET_KEYS[network], nextIndex: used });
  }
  for (const inv of demoInvoices) {
    const [rate] = await tx
      .insert(exchangeRates)
      .values({ fromCurrency: inv.rate.from, toCurrency: inv.rate.to, rate: inv.rate.rate, source: inv.rate.source, lockedAt: inv.rate.lockedAt, expiresAt: inv.rate.expiresAt })
      .returning({ id: exchangeRates.id });
    const customerId = customerIds.get(inv.customerEmail)!;
    const [row] = await tx
      .insert(invoices)
      .values({
        merchantId,
        customerId,
        livemode: false,
        reference: inv.reference,
        title: inv.title,
        status: inv.status,
        fiatCurrency: "USD",
        subtotalMinor: inv.totalMinor,
        taxMinor: 0n,
        totalMinor: inv.totalMinor,
        cryptoCurrency: inv.cryptoCurrency,
        network: inv.network,
        cryptoAmount: inv.cryptoAmount,
        amountReceived: inv.amountReceived,
        exchangeRateId: rate!.id,
        paymentAddress: inv.paymentAddress,
        derivationIndex: inv.derivationIndex,
        addressGeneratedAt: inv.createdAt,
        underpaymentThresholdBps: 50,
        overpaymentThresholdBps: 100,
        overpaymentAction: "credit",
        requiredConfirmations: inv.requiredConfirmations,
        expiresAt: inv.expiresAt,
        createdAt: inv.createdAt,
        updatedAt: inv.paidAt ?? inv.createdAt,
        paidAt: inv.paidAt,
      })
      .returning({ id: invoices.id });
    const invoiceId = row!.id;
    await tx.insert(invoiceItems).values({
      invoiceId,
      position: 0,
      description: inv.itemDescription,
      quantity: 1,
      unitPriceMinor: inv.totalMinor,
      amountMinor: inv.totalMinor,
    });
    await tx.insert(auditEntries).values({
      merchantId,
      invoiceId,
      event: "invoice.created",
      actorType: "system",
      actorId: "seed",
      data: { reference: inv.reference },
      createdAt: inv.createdAt,
    });
    events.push({
      aggregateType: "invoice", aggregateId: invoiceId, eventType: "InvoiceCreated", merchantId, actor: { type: "system" },
      payload: { invoiceId, merchantId, amount: { amount: inv.totalMinor, currency: "USD" } }, occurredAt: inv.createdAt,
    });
    for (const p of inv.payments) {
      const [pay] = await tx
        .insert(payments)
        .values({
          invoiceId,
          network: inv.network,
          txHash: p.txHash,
          outputIndex: p.outputIndex,
          asset: inv.cryptoCurrency,
          amount: p.amount,
          toAddress: inv.paymentAddress,
          status: p.status,
          confirmations: p.confirmations,
          requiredConfirmations: inv.requiredConfirmations,
          blockNumber: p.blockNumber,
          blockHash: p.blockHash,
          detectedAt: p.detectedAt,
          confirmedAt: p.confirmedAt,
        })
        .returning({ id: payments.id });
      events.push({ aggregateType: "payment", aggregateId: pay!.id, eventType: "PaymentDetected", merchantId, actor: { type: "system" }, payload: { paymentId: pay!.id, invoiceId, amount: p.amount }, occurredAt: p.detectedAt });
      if (p.confirmedAt) events.push({ aggregateType: "payment", aggregateId: pay!.id, eventType: "PaymentConfirmed", merchantId, actor: { type: "system" }, payload: { paymentId: pay!.id, confirmedAt: p.confirmedAt }, occurredAt: p.confirmedAt });
    }
    const terminal = { paid: "InvoicePaid", expired: "InvoiceExpired", cancelled: "InvoiceCancelled" } as const;
    if (inv.status === "paid" || inv.status === "refunded" || inv.status === "expired" || inv.status === "cancelled") {
      const historyStatus = inv.status === "refunded" ? "paid" : inv.status;
      const at = inv.paidAt ?? inv.expiresAt;
      events.push({ aggregateType: "invoice", aggregateId: invoiceId, eventType: terminal[historyStatus], merchantId, actor: { type: "system" }, payload: { invoiceId, totalReceived: inv.amountReceived, paidAt: inv.paidAt, expiredAt: inv.status === "expired" ? inv.expiresAt : undefined, reason: inv.status === "cancelled" ? "Customer asked to cancel" : undefined }, occurredAt: at });
      await tx.insert(customerPaymentHistory).values({ customerId, invoiceId, amountMinor: inv.totalMinor, currency: "USD", status: historyStatus, paidAt: inv.paidAt, createdAt: inv.createdAt });
    }
  }

  // Demo history is not news: the relay must not email the demo customers or post it to webhooks.
  const ids = await recordEvents(tx, events);
  if (ids.length > 0) await tx.update(outboxEvents).set({ publishedAt: now }).where(inArray(outboxEvents.id, ids));
}
