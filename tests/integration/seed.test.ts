import { count, eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DatabaseHandle } from "@/db/client";
import { listAccountListings } from "@/db/queries/catalog";
import {
  accountModelQuotas,
  accounts,
  admins,
  invoices,
  merchants,
  merchantWallets,
  outboxEvents,
  payments,
  systemConfiguration,
} from "@/db/schema";
import { ensureSeeded, type SeedResult } from "@/db/seed";
import { dispatchOutbox } from "@/lib/events/dispatch";
import { verifyPassword } from "@/lib/auth/password";
import { deriveInvoiceAddress, isValidAddress } from "@/lib/chains/addresses";
import { decryptEnvelope } from "@/lib/crypto/envelope";
import { CLAUDE_MODELS, INVOICE_STATUSES } from "@/lib/domain";
import { testKek } from "../helpers/keys";
import { createTestDatabase, targetName } from "../helpers/test-db";

describe(`demo seed (${targetName()})`, () => {
  let h: DatabaseHandle;
  let first: SeedResult;
  const kek = testKek();

  beforeAll(async () => {
    h = await createTestDatabase();
    first = await ensureSeeded(h.db, { adminUsername: "admin", demoData: true, storeName: "Test Store", kek });
  });
  afterAll(async () => h?.close());

  it("creates one admin whose generated password verifies against its argon2id hash", async () => {
    expect(first.adminCreated).toBe(true);
    expect(first.generatedAdminPassword).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const rows = await h.db.select().from(admins);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(rows[0]!.passwordHash, first.generatedAdminPassword!)).toBe(true);
    expect(await verifyPassword(rows[0]!.passwordHash, "wrong")).toBe(false);
  });

  it("creates the store as an active merchant and the system configuration", async () => {
    const rows = await h.db.select().from(merchants);
    expect(rows.map((m) => [m.businessName, m.status])).toEqual([["Test Store", "active"]]);
    expect((await h.db.select({ n: count() }).from(systemConfiguration))[0]!.n).toBe(1);
  });

  it("creates a dozen accounts covering all six Claude models, in every stock status", async () => {
    const rows = await h.db.select().from(accounts);
    expect(rows).toHaveLength(12);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(["AVAILABLE", "MAINTENANCE", "SOLD"]));
    expect(new Set(rows.map((r) => r.quotaLevel))).toEqual(new Set(["HIGH", "MEDIUM", "LOW"]));
    const models = await h.db.selectDistinct({ model: accountModelQuotas.model }).from(accountModelQuotas);
    expect(new Set(models.map((m) => m.model))).toEqual(new Set(CLAUDE_MODELS));
    expect(rows.filter((r) => r.needsReview)).toHaveLength(1);
  });

  it("stores credentials only envelope-encrypted, decryptable with the key and bound to the account", async () => {
    const [row] = await h.db.select().from(accounts).limit(1);
    const record = { ciphertext: row!.credentialsCiphertext!, wrappedDataKey: row!.wrappedDataKey!, keyId: row!.credentialsKeyId! };
    const creds = JSON.parse(decryptEnvelope([kek], record, row!.id)) as { accessKeyId: string; secretAccessKey: string };
    expect(creds.accessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
    expect(creds.accessKeyId.endsWith(row!.accessKeyLast4!)).toBe(true);
    expect(() => decryptEnvelope([kek], record, "another-account-id")).toThrow();

    // A dump of the table holds neither the key id nor the secret in clear.
    const dump = JSON.stringify(await queryRows(h.db, sql`select * from accounts`));
    expect(dump).not.toContain(creds.accessKeyId);
    expect(dump).not.toContain(creds.secretAccessKey);
  });

  it("creates invoices in every status of the invoice state machine, with consistent payments", async () => {
    const rows = await h.db.select().from(invoices);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(INVOICE_STATUSES));
    for (const inv of rows) {
      const paid = await h.db.select().from(payments).where(eq(payments.invoiceId, inv.id));
      const received = paid.reduce((s, p) => s + p.amount, 0n);
      expect(received).toBe(inv.amountReceived);
      if (inv.status === "paid" || inv.status === "refunded") {
        expect(received).toBe(inv.cryptoAmount);
        expect(inv.paidAt).not.toBeNull();
      }
      if (inv.status === "partial") expect(received < inv.cryptoAmount && received > 0n).toBe(true);
      if (inv.status === "pending") expect(paid).toHaveLength(0);
    }
  });

  it("derives every demo invoice's address from the store's test key at its index, and moves the index past them", async () => {
    const rows = await h.db.select().from(invoices);
    const wallets = await h.db.select().from(merchantWallets);
    expect(new Set(rows.map((r) => r.network))).toEqual(new Set(["bitcoin", "ethereum", "tron"]));
    for (const row of rows) {
      const wallet = wallets.find((w) => w.network === row.network && w.mode === "test")!;
      expect(row.livemode).toBe(false);
      expect(row.paymentAddress).toBe(deriveInvoiceAddress(row.network, wallet.extendedPublicKey, row.derivationIndex!, { testnet: true }));
      expect(isValidAddress(row.network, row.paymentAddress, { testnet: true })).toBe(true);
    }
    for (const wallet of wallets) {
      expect(wallet.nextIndex).toBe(rows.filter((r) => r.network === wallet.network).length);
    }
  });

  it("records the domain events of what it created", async () => {
    const events = await h.db.select({ type: outboxEvents.eventType, n: count() }).from(outboxEvents).groupBy(outboxEvents.eventType);
    const byType = Object.fromEntries(events.map((e) => [e.type, e.n]));
    expect(byType.AccountCreated).toBe(12);
    expect(byType.InvoiceCreated).toBe((await h.db.select().from(invoices)).length);
    expect(byType.MerchantCreated).toBe(1);
  });

  it("marks its demo history published, so the relay sends no email or webhook about it", async () => {
    const [{ n }] = (await h.db.select({ n: count() }).from(outboxEvents).where(isNull(outboxEvents.publishedAt))) as [{ n: number }];
    expect(n).toBe(0);
    expect(await dispatchOutbox(h.db, [])).toEqual({ events: 0 });
  });

  it("dates nothing in the future", async () => {
    const now = Date.now();
    for (const e of await h.db.select({ at: outboxEvents.occurredAt }).from(outboxEvents)) expect(e.at.getTime()).toBeLessThanOrEqual(now);
    for (const p of await h.db.select().from(payments)) {
      expect(p.detectedAt.getTime()).toBeLessThanOrEqual(now);
      if (p.confirmedAt) expect(p.confirmedAt.getTime()).toBeLessThanOrEqual(now);
    }
  });

  it("is idempotent: a second run creates nothing and prints no password", async () => {
    const second = await ensureSeeded(h.db, { adminUsername: "admin", demoData: true, storeName: "Test Store", kek });
    expect(second).toEqual({ adminCreated: false, generatedAdminPassword: null, demoDataCreated: false });
    expect((await h.db.select({ n: count() }).from(accounts))[0]!.n).toBe(12);
    expect((await h.db.select({ n: count() }).from(admins))[0]!.n).toBe(1);
  });

  it("lists accounts for the storefront: in stock first, with at most three primary models", async () => {
    const listings = await listAccountListings(h.db);
    expect(listings).toHaveLength(12);
    const firstUnavailable = listings.findIndex((l) => !l.stockAvailable);
    expect(listings.slice(firstUnavailable).every((l) => !l.stockAvailable)).toBe(true);
    expect(listings.every((l) => l.primaryModels.length <= 3)).toBe(true);
    const opus = listings.find((l) => l.displayName.startsWith("Opus 4 Enterprise — "))!;
    expect(opus.primaryModels.map((m) => m.model)).toEqual(["claude-4.0-opus-4-v1", "claude-4.0-sonnet-4-v1", "claude-3.7-sonnet-v1"]);
    expect(opus.price).toEqual({ amount: 89_900n, asset: "USD" });
  });
});
