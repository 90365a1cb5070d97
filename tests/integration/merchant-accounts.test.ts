import { createHash, randomBytes } from "node:crypto";
import { HDKey } from "@scure/bip32";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import {
  apiKeys,
  auditEntries,
  invoices,
  merchantPayoutSettings,
  merchants,
  merchantSessions,
  merchantWallets,
  outboxEvents,
  systemConfiguration,
} from "@/db/schema";
import { deriveInvoiceAddress } from "@/lib/chains/addresses";
import { DomainError, type MerchantStatus, type PlanType } from "@/lib/domain";
import { createInvoice } from "@/lib/invoices/create-invoice";
import {
  endMerchantSession,
  MERCHANT_SESSION_TTL_SECONDS,
  resolveMerchantSession,
  signInMerchant,
  signUpMerchant,
} from "@/lib/merchants/accounts";
import { authenticateApiKey, createApiKey, listApiKeys, revokeApiKey } from "@/lib/merchants/api-keys";
import { createPaymentLink, findActivePaymentLink, setPaymentLinkActive } from "@/lib/merchants/payment-links";
import { allocateAddressIndex, configureMerchantWallet, listMerchantWallets } from "@/lib/merchants/wallets";
import { DEFAULT_SYSTEM_CONFIG, invalidateSystemConfig } from "@/lib/system-config";
import { ALL_TEST_PERMISSIONS, createTestMerchant, MERCHANT_AUDIT, seedFreshRates, walletKeys } from "../helpers/merchant-fixtures";
import { createTestDatabase, targetName } from "../helpers/test-db";

const PASSWORD = "a-long-merchant-password";
const policy = { maxFailures: 5, lockSeconds: 60, windowSeconds: 900 };
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** Awaits `promise` and returns the DomainError it rejected with (failing if it resolved or threw anything else). */
async function domainError(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "expected a DomainError").toBeInstanceOf(DomainError);
  return error as DomainError;
}

let emailCounter = 0;
const uniqueEmail = (label = "m") => `${label}-${++emailCounter}-${randomBytes(3).toString("hex")}@example.com`;

describe(`merchant accounts, API keys, wallets and payment links (${targetName()})`, () => {
  let h: DatabaseHandle;

  beforeAll(async () => {
    h = await createTestDatabase();
    await h.db.insert(systemConfiguration).values({
      ...DEFAULT_SYSTEM_CONFIG,
      exchangeRateProviders: [{ id: "static", enabled: false, priority: 1 }],
    });
    invalidateSystemConfig(h.db);
    await seedFreshRates(h.db);
  });
  afterAll(async () => h?.close());

  async function merchantRow(merchantId: string) {
    const [row] = await h.db.select().from(merchants).where(eq(merchants.id, merchantId));
    return row!;
  }
  async function setMerchant(merchantId: string, values: { status?: MerchantStatus; planType?: PlanType }) {
    await h.db.update(merchants).set(values).where(eq(merchants.id, merchantId));
  }
  const newKey = (merchantId: string, over: Partial<Parameters<typeof createApiKey>[2]> = {}) =>
    createApiKey(h.db, merchantId, { name: "key", keyType: "test", permissions: ["invoices:read"], expiresAt: null, ...over }, MERCHANT_AUDIT);

  describe("sign-up", () => {
    it("creates a pending, free merchant with payout settings, MerchantCreated, and an argon2id hash", async () => {
      const email = uniqueEmail("signup");
      const now = new Date("2026-10-01T08:00:00Z");
      const principal = await signUpMerchant(h.db, { businessName: "  Espresso Bar  ", contactEmail: `  ${email}  `, password: PASSWORD, now, ipAddress: "198.51.100.4", userAgent: "vitest" });
      expect(principal).toEqual({ merchantId: expect.any(String), businessName: "Espresso Bar", contactEmail: email, status: "pending_verification", planType: "free" });

      const row = await merchantRow(principal.merchantId);
      expect(row).toMatchObject({ status: "pending_verification", planType: "free", contactEmail: email, businessName: "Espresso Bar" });
      expect(row.createdAt).toEqual(now);
      expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(row.passwordHash).not.toContain(PASSWORD);

      const [payout] = await h.db.select().from(merchantPayoutSettings).where(eq(merchantPayoutSettings.merchantId, principal.merchantId));
      expect(payout).toMatchObject({ underpaymentThresholdBps: 50, overpaymentThresholdBps: 100, overpaymentAction: "credit", invoiceExpiryMinutes: 30 });

      const events = await h.db
        .select()
        .from(outboxEvents)
        .where(and(eq(outboxEvents.aggregateId, principal.merchantId), eq(outboxEvents.eventType, "MerchantCreated")));
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        aggregateType: "merchant",
        merchantId: principal.merchantId,
        actorType: "merchant",
        actorId: principal.merchantId,
        payload: { merchantId: principal.merchantId, planType: "free" },
      });
      const audit = await h.db.select().from(auditEntries).where(eq(auditEntries.merchantId, principal.merchantId));
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ event: "merchant.created", actorType: "merchant", ipAddress: "198.51.100.4", userAgent: "vitest", createdAt: now });
      expect(events[0]!.occurredAt).toEqual(now);
    });

    it("refuses a duplicate email whatever its case, and writes nothing", async () => {
      const email = uniqueEmail("dup");
      await signUpMerchant(h.db, { businessName: "First", contactEmail: email, password: PASSWORD });
      const before = await h.db.select({ id: merchants.id }).from(merchants);
      for (const variant of [email, email.toUpperCase(), ` ${email.replace("dup", "DUP")} `]) {
        const error = await domainError(signUpMerchant(h.db, { businessName: "Second", contactEmail: variant, password: PASSWORD }));
        expect(error.code).toBe("merchant.email_taken");
        expect(error.details).toEqual({ field: "contactEmail" });
      }
      expect(await h.db.select({ id: merchants.id }).from(merchants)).toHaveLength(before.length);
    });

    it("refuses a password shorter than 10 characters before hashing or writing", async () => {
      const email = uniqueEmail("weak");
      for (const password of ["", "short", "123456789"]) {
        const error = await domainError(signUpMerchant(h.db, { businessName: "Weak", contactEmail: email, password }));
        expect(error.code).toBe("merchant.weak_password");
        expect(error.details).toEqual({ field: "password" });
      }
      // Exactly 10 is enough.
      await expect(signUpMerchant(h.db, { businessName: "Weak", contactEmail: email, password: "1234567890" })).resolves.toBeTruthy();
    });
  });

  describe("sign-in and sessions", () => {
    let email: string;
    let merchantId: string;

    beforeAll(async () => {
      email = uniqueEmail("Signin");
      ({ merchantId } = await signUpMerchant(h.db, { businessName: "Sign-in Shop", contactEmail: email, password: PASSWORD }));
    });

    it("signs in (email case-insensitively) and stores only the SHA-256 of the session token", async () => {
      const now = new Date("2026-10-02T09:00:00Z");
      const result = await signInMerchant(h.db, { email: `  ${email.toUpperCase()} `, password: PASSWORD, ipAddress: "198.51.100.20", userAgent: "vitest", now }, policy);
      if (!result.ok) throw new Error(`sign-in failed: ${result.code}`);
      expect(result.principal).toMatchObject({ merchantId, contactEmail: email, status: "pending_verification", planType: "free" });
      expect(result.sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

      const [session] = await h.db.select().from(merchantSessions).where(eq(merchantSessions.id, result.principal.sessionId));
      expect(session!.token).toBe(sha256(result.sessionToken));
      expect(JSON.stringify(session)).not.toContain(result.sessionToken);
      expect(session).toMatchObject({ merchantId, ipAddress: "198.51.100.20", userAgent: "vitest" });
      expect(session!.expiresAt.getTime() - now.getTime()).toBe(MERCHANT_SESSION_TTL_SECONDS * 1000);

      expect(await resolveMerchantSession(h.db, result.sessionToken, now)).toMatchObject({ merchantId, sessionId: result.principal.sessionId });
      const justBefore = new Date(session!.expiresAt.getTime() - 1);
      expect(await resolveMerchantSession(h.db, result.sessionToken, justBefore)).not.toBeNull();
      expect(await resolveMerchantSession(h.db, result.sessionToken, session!.expiresAt)).toBeNull();
      expect(await resolveMerchantSession(h.db, sha256(result.sessionToken), now)).toBeNull();
      expect(await resolveMerchantSession(h.db, "forged", now)).toBeNull();

      await endMerchantSession(h.db, result.sessionToken);
      expect(await resolveMerchantSession(h.db, result.sessionToken, now)).toBeNull();
      expect(await h.db.select().from(merchantSessions).where(eq(merchantSessions.id, result.principal.sessionId))).toHaveLength(0);
    });

    it("answers a wrong password and an unknown email with the same code", async () => {
      const now = new Date("2026-10-03T09:00:00Z");
      const wrong = await signInMerchant(h.db, { email, password: "not-the-password", now }, policy);
      const unknown = await signInMerchant(h.db, { email: uniqueEmail("ghost"), password: PASSWORD, now }, policy);
      expect(wrong).toEqual({ ok: false, code: "invalid_credentials" });
      expect(unknown).toEqual(wrong);
      // A success clears the counter.
      expect((await signInMerchant(h.db, { email, password: PASSWORD, now }, policy)).ok).toBe(true);
    });

    it("throttles after the policy's failures, even the right password, until the lock passes", async () => {
      const t0 = new Date("2026-10-04T09:00:00Z");
      const at = (s: number) => new Date(t0.getTime() + s * 1000);
      for (let i = 0; i < policy.maxFailures; i++) {
        expect(await signInMerchant(h.db, { email, password: `wrong-${i}`, now: at(i) }, policy)).toEqual({ ok: false, code: "invalid_credentials" });
      }
      const locked = await signInMerchant(h.db, { email, password: PASSWORD, now: at(10) }, policy);
      expect(locked).toMatchObject({ ok: false, code: "throttled" });
      expect((locked as { retryAfterSeconds: number }).retryAfterSeconds).toBe(policy.lockSeconds - 10 + policy.maxFailures - 1);
      // The lock is per email, whatever its case.
      expect(await signInMerchant(h.db, { email: email.toUpperCase(), password: PASSWORD, now: at(11) }, policy)).toMatchObject({ code: "throttled" });
      expect((await signInMerchant(h.db, { email, password: PASSWORD, now: at(policy.lockSeconds + 10) }, policy)).ok).toBe(true);
    });

    it("refuses a closed account and drops its sessions", async () => {
      const closedEmail = uniqueEmail("closed");
      const { merchantId: closedId } = await signUpMerchant(h.db, { businessName: "Closed Shop", contactEmail: closedEmail, password: PASSWORD });
      const now = new Date("2026-10-05T09:00:00Z");
      const open = await signInMerchant(h.db, { email: closedEmail, password: PASSWORD, now }, policy);
      if (!open.ok) throw new Error("sign-in failed");
      await setMerchant(closedId, { status: "closed" });
      expect(await signInMerchant(h.db, { email: closedEmail, password: PASSWORD, now }, policy)).toEqual({ ok: false, code: "account_closed" });
      expect(await signInMerchant(h.db, { email: closedEmail, password: "wrong-password", now }, policy)).toEqual({ ok: false, code: "invalid_credentials" });
      expect(await resolveMerchantSession(h.db, open.sessionToken, now)).toBeNull();
    });
  });

  describe("API keys", () => {
    it("returns sk_test_ + 43 base64url chars once; the row holds only its SHA-256 and a 14-char prefix", async () => {
      const { merchantId } = await createTestMerchant(h.db, { plan: "pro", wallets: false });
      const now = new Date();
      const { key, apiKey } = await createApiKey(
        h.db,
        merchantId,
        { name: "Backend", keyType: "test", permissions: ["invoices:read", "invoices:write", "invoices:read"], expiresAt: null, now },
        { ...MERCHANT_AUDIT, actor: { type: "merchant", id: merchantId } },
      );
      expect(key).toMatch(/^sk_test_[A-Za-z0-9_-]{43}$/);
      expect(apiKey).toMatchObject({ name: "Backend", keyType: "test", keyPrefix: key.slice(0, 14), status: "active", lastUsedAt: null, expiresAt: null });
      expect(apiKey.keyPrefix).toHaveLength(14);
      expect(apiKey.permissions).toEqual(["invoices:read", "invoices:write"]);

      const [row] = await h.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
      expect(row!.keyHash).toBe(sha256(key));
      expect(row!.keyHash).toMatch(/^[0-9a-f]{64}$/);
      const stored = JSON.stringify(row);
      expect(stored).not.toContain(key);
      expect(stored).not.toContain(key.slice(14));
      expect(stored).not.toContain(key.slice(8, 30));

      const live = await createApiKey(h.db, merchantId, { name: null, keyType: "live", permissions: ["invoices:read"], expiresAt: null }, MERCHANT_AUDIT);
      expect(live.key).toMatch(/^sk_live_[A-Za-z0-9_-]{43}$/);
      expect(live.key).not.toBe(key);

      const events = await h.db
        .select()
        .from(outboxEvents)
        .where(and(eq(outboxEvents.merchantId, merchantId), eq(outboxEvents.eventType, "ApiKeyGenerated")));
      expect(events).toHaveLength(2);
      const event = events.find((e) => e.payload.apiKeyId === apiKey.id);
      expect(event).toMatchObject({ aggregateType: "merchant", aggregateId: merchantId, actorType: "merchant", actorId: merchantId });
      expect(event!.payload).toEqual({ apiKeyId: apiKey.id, merchantId, permissions: ["invoices:read", "invoices:write"], keyType: "test" });
      expect(JSON.stringify(events)).not.toContain(key);

      const audit = await h.db.select().from(auditEntries).where(and(eq(auditEntries.merchantId, merchantId), eq(auditEntries.event, "api_key.created")));
      expect(audit).toHaveLength(2);
      const first = audit.find((a) => (a.data as { apiKeyId?: string }).apiKeyId === apiKey.id)!;
      expect(first).toMatchObject({ actorType: "merchant", actorId: merchantId, ipAddress: "198.51.100.7", userAgent: "vitest" });
      expect(first.data).toEqual({ apiKeyId: apiKey.id, keyType: "test", permissions: ["invoices:read", "invoices:write"] });
      expect(JSON.stringify(audit)).not.toContain(key);

      const listed = await listApiKeys(h.db, merchantId);
      expect(listed.map((k) => k.id).sort()).toEqual([apiKey.id, live.apiKey.id].sort());
      expect(JSON.stringify(listed)).not.toContain(key);
    });

    it("free plan: 2 active keys, then plan.limit_reached naming the limit; revoking frees a slot", async () => {
      const { merchantId } = await createTestMerchant(h.db, { plan: "free", wallets: false });
      const first = await newKey(merchantId);
      await newKey(merchantId, { keyType: "live" });
      const error = await domainError(newKey(merchantId));
      expect(error.code).toBe("plan.limit_reached");
      expect(error.message).toContain("2");
      expect(error.message).toMatch(/API keys/);
      expect(error.details).toMatchObject({ limit: "apiKeys", max: 2, plan: "free", current: 2 });
      expect(await listApiKeys(h.db, merchantId)).toHaveLength(2);

      await revokeApiKey(h.db, merchantId, first.apiKey.id, MERCHANT_AUDIT);
      // Revoking again is a no-op, and still frees only one slot.
      await revokeApiKey(h.db, merchantId, first.apiKey.id, MERCHANT_AUDIT);
      await newKey(merchantId);
      expect((await domainError(newKey(merchantId))).code).toBe("plan.limit_reached");
      const revokedAudits = await h.db.select().from(auditEntries).where(and(eq(auditEntries.merchantId, merchantId), eq(auditEntries.event, "api_key.revoked")));
      expect(revokedAudits).toHaveLength(1);
      expect((await domainError(revokeApiKey(h.db, merchantId, "00000000-0000-4000-8000-000000000000", MERCHANT_AUDIT))).code).toBe("api_key.not_found");
    });

    it("expired keys do not count towards the limit", async () => {
      const { merchantId } = await createTestMerchant(h.db, { plan: "free", wallets: false });
      const t0 = new Date();
      await newKey(merchantId, { expiresAt: new Date(t0.getTime() + 60_000), now: t0 });
      await newKey(merchantId, { now: t0 });
      expect((await domainError(newKey(merchantId, { now: t0 }))).code).toBe("plan.limit_reached");
      const later = new Date(t0.getTime() + 120_000);
      await newKey(merchantId, { now: later });
      const listed = await listApiKeys(h.db, merchantId, later);
      expect(listed.map((k) => k.status).sort()).toEqual(["active", "active", "expired"]);
    });

    it("pro allows 10 keys, enterprise 30 and more", async () => {
      const pro = await createTestMerchant(h.db, { plan: "pro", wallets: false });
      for (let i = 0; i < 10; i++) await newKey(pro.merchantId);
      const error = await domainError(newKey(pro.merchantId));
      expect(error.code).toBe("plan.limit_reached");
      expect(error.message).toContain("10");
      expect(error.details).toMatchObject({ limit: "apiKeys", max: 10 });

      const enterprise = await createTestMerchant(h.db, { plan: "enterprise", wallets: false });
      for (let i = 0; i < 31; i++) await newKey(enterprise.merchantId);
      expect(await listApiKeys(h.db, enterprise.merchantId)).toHaveLength(31);
    });

    it("refuses out-of-plan, unknown and empty permissions, and an expiry in the past", async () => {
      const { merchantId } = await createTestMerchant(h.db, { plan: "free", wallets: false });
      const outside = await domainError(newKey(merchantId, { permissions: ["invoices:read", "analytics:read"] }));
      expect(outside.code).toBe("plan.permission_not_included");
      expect(outside.details).toMatchObject({ plan: "free", permissions: ["analytics:read"] });
      const unknown = await domainError(newKey(merchantId, { permissions: ["invoices:read", "invoices:delete"] }));
      expect(unknown.code).toBe("api_key.unknown_permission");
      expect(unknown.details).toMatchObject({ permissions: ["invoices:delete"] });
      expect((await domainError(newKey(merchantId, { permissions: [] }))).code).toBe("api_key.no_permissions");
      const now = new Date();
      for (const expiresAt of [new Date(now.getTime() - 1000), now]) {
        expect((await domainError(newKey(merchantId, { expiresAt, now }))).code).toBe("api_key.expiry_in_past");
      }
      expect(await listApiKeys(h.db, merchantId)).toHaveLength(0);
      // A pro merchant may hold analytics:read.
      await setMerchant(merchantId, { planType: "pro" });
      await expect(newKey(merchantId, { permissions: ["analytics:read"] })).resolves.toBeTruthy();
    });

    it("refuses keys for suspended and closed merchants", async () => {
      for (const status of ["suspended", "closed"] as const) {
        const { merchantId } = await createTestMerchant(h.db, { plan: "pro", status, wallets: false });
        expect((await domainError(newKey(merchantId))).code).toBe("merchant.inactive");
      }
    });

    it("locks the merchant row: 5 concurrent creations on the free plan, exactly 2 succeed", async () => {
      const { merchantId } = await createTestMerchant(h.db, { plan: "free", wallets: false });
      const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => newKey(merchantId, { name: `concurrent ${i}` })));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(rejected).toHaveLength(3);
      for (const r of rejected) expect((r.reason as DomainError).code).toBe("plan.limit_reached");
      expect(await listApiKeys(h.db, merchantId)).toHaveLength(2);
    });

    describe("authenticateApiKey", () => {
      it("resolves a key to its merchant and records lastUsedAt", async () => {
        const { merchantId } = await createTestMerchant(h.db, { plan: "pro", wallets: false });
        const { key, apiKey } = await newKey(merchantId, { permissions: ALL_TEST_PERMISSIONS });
        const now = new Date();
        expect(await authenticateApiKey(h.db, key, now)).toEqual({
          apiKeyId: apiKey.id,
          merchantId,
          keyType: "test",
          livemode: false,
          permissions: ALL_TEST_PERMISSIONS,
          merchantStatus: "active",
          planType: "pro",
        });
        const [row] = await h.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
        expect(row!.lastUsedAt).toEqual(now);
        for (const bad of ["", "sk_test_short", key.replace("sk_test_", "sk_prod_"), `${key}x`, ` ${key}`, `sk_test_${"A".repeat(43)}`]) {
          expect((await domainError(authenticateApiKey(h.db, bad))).code, bad).toBe("auth.invalid_key");
        }
      });

      it("a live key of a merchant pending verification → merchant.inactive; its test key works", async () => {
        const { merchantId } = await createTestMerchant(h.db, { plan: "free", status: "pending_verification", wallets: false });
        const live = await newKey(merchantId, { keyType: "live" });
        const test = await newKey(merchantId, { keyType: "test" });
        const error = await domainError(authenticateApiKey(h.db, live.key));
        expect(error.code).toBe("merchant.inactive");
        expect(error.details).toEqual({ merchantStatus: "pending_verification" });
        expect(error.message).toMatch(/test key/);
        await expect(authenticateApiKey(h.db, test.key)).resolves.toMatchObject({ merchantId, keyType: "test", merchantStatus: "pending_verification" });
      });

      it("suspended and closed merchants can use neither key type", async () => {
        for (const status of ["suspended", "closed"] as const) {
          const { merchantId } = await createTestMerchant(h.db, { plan: "pro", wallets: false });
          const live = await newKey(merchantId, { keyType: "live" });
          const test = await newKey(merchantId, { keyType: "test" });
          await setMerchant(merchantId, { status });
          for (const { key } of [live, test]) {
            const error = await domainError(authenticateApiKey(h.db, key));
            expect(error.code).toBe("merchant.inactive");
            expect(error.details).toEqual({ merchantStatus: status });
          }
        }
      });

      it("a revoked key → auth.key_revoked; an expired one → auth.key_expired", async () => {
        const { merchantId } = await createTestMerchant(h.db, { plan: "pro", wallets: false });
        const revoked = await newKey(merchantId);
        await revokeApiKey(h.db, merchantId, revoked.apiKey.id, MERCHANT_AUDIT);
        expect((await domainError(authenticateApiKey(h.db, revoked.key))).code).toBe("auth.key_revoked");
        const now = new Date();
        const expiring = await newKey(merchantId, { expiresAt: new Date(now.getTime() + 60_000), now });
        await expect(authenticateApiKey(h.db, expiring.key, now)).resolves.toMatchObject({ apiKeyId: expiring.apiKey.id });
        expect((await domainError(authenticateApiKey(h.db, expiring.key, new Date(now.getTime() + 60_000)))).code).toBe("auth.key_expired");
      });

      it("another merchant's revocation does not touch this key", async () => {
        const a = await createTestMerchant(h.db, { plan: "pro", wallets: false });
        const b = await createTestMerchant(h.db, { plan: "pro", wallets: false });
        const aKey = await newKey(a.merchantId);
        expect((await domainError(revokeApiKey(h.db, b.merchantId, aKey.apiKey.id, MERCHANT_AUDIT))).code).toBe("api_key.not_found");
        await expect(authenticateApiKey(h.db, aKey.key)).resolves.toMatchObject({ merchantId: a.merchantId });
      });
    });
  });

  describe("wallets", () => {
    it("refuses an extended private key and a testnet key in live mode, storing nothing", async () => {
      const { merchantId } = await createTestMerchant(h.db, { wallets: false, account: 40 });
      const xprv = HDKey.fromMasterSeed(randomBytes(32)).derive("m/44'/60'/0'").privateExtendedKey;
      expect(xprv).toMatch(/^xprv/);
      const priv = await domainError(configureMerchantWallet(h.db, merchantId, { network: "ethereum", mode: "test", extendedPublicKey: xprv }, MERCHANT_AUDIT));
      expect(priv.code).toBe("xpub.private_key_refused");
      expect(priv.message).not.toContain(xprv);

      const vpub = walletKeys(40).bitcoinTest;
      expect(vpub).toMatch(/^vpub/);
      const wrong = await domainError(configureMerchantWallet(h.db, merchantId, { network: "bitcoin", mode: "live", extendedPublicKey: vpub }, MERCHANT_AUDIT));
      expect(wrong.code).toBe("xpub.wrong_network");
      expect(wrong.message).not.toContain(vpub);

      expect(await listMerchantWallets(h.db, merchantId)).toEqual([]);
      expect(await h.db.select().from(auditEntries).where(and(eq(auditEntries.merchantId, merchantId), eq(auditEntries.event, "wallet.configured")))).toEqual([]);
    });

    it("accepts a key, previews its first 3 addresses, audits wallet.configured; the same key again is a no-op", async () => {
      const { merchantId } = await createTestMerchant(h.db, { wallets: false, account: 41 });
      const xpub = walletKeys(41).ethereum;
      const { preview } = await configureMerchantWallet(h.db, merchantId, { network: "ethereum", mode: "test", extendedPublicKey: `  ${xpub}\n` }, MERCHANT_AUDIT);
      expect(preview).toEqual([0, 1, 2].map((i) => deriveInvoiceAddress("ethereum", xpub, i, { testnet: true })));
      expect(new Set(preview).size).toBe(3);
      expect(await listMerchantWallets(h.db, merchantId)).toEqual([{ network: "ethereum", mode: "test", extendedPublicKey: xpub, nextIndex: 0, updatedAt: expect.any(Date) }]);
      const audits = await h.db.select().from(auditEntries).where(and(eq(auditEntries.merchantId, merchantId), eq(auditEntries.event, "wallet.configured")));
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({ actorType: "merchant", data: { network: "ethereum", mode: "test", firstAddress: preview[0] } });

      const again = await configureMerchantWallet(h.db, merchantId, { network: "ethereum", mode: "test", extendedPublicKey: xpub }, MERCHANT_AUDIT);
      expect(again.preview).toEqual(preview);
      expect(await h.db.select().from(auditEntries).where(and(eq(auditEntries.merchantId, merchantId), eq(auditEntries.event, "wallet.configured")))).toHaveLength(1);

      const btc = await configureMerchantWallet(h.db, merchantId, { network: "bitcoin", mode: "test", extendedPublicKey: walletKeys(41).bitcoinTest }, MERCHANT_AUDIT);
      expect(btc.preview.every((a) => a.startsWith("tb1q"))).toBe(true);
    });

    it("refuses a key already used by another merchant (wallet.key_in_use)", async () => {
      const a = await createTestMerchant(h.db, { wallets: false, account: 42 });
      const b = await createTestMerchant(h.db, { wallets: false, account: 43 });
      const xpub = walletKeys(42).tron;
      await configureMerchantWallet(h.db, a.merchantId, { network: "tron", mode: "test", extendedPublicKey: xpub }, MERCHANT_AUDIT);
      const error = await domainError(configureMerchantWallet(h.db, b.merchantId, { network: "tron", mode: "test", extendedPublicKey: xpub }, MERCHANT_AUDIT));
      expect(error.code).toBe("wallet.key_in_use");
      expect(error.details).toEqual({ field: "extendedPublicKey" });
      expect(await listMerchantWallets(h.db, b.merchantId)).toEqual([]);
      expect(await h.db.select().from(auditEntries).where(and(eq(auditEntries.merchantId, b.merchantId), eq(auditEntries.event, "wallet.configured")))).toEqual([]);
    });

    it("replacing a key restarts the address sequence at index 0", async () => {
      const { merchantId } = await createTestMerchant(h.db, { wallets: false, account: 44 });
      await configureMerchantWallet(h.db, merchantId, { network: "ethereum", mode: "test", extendedPublicKey: walletKeys(44).ethereum }, MERCHANT_AUDIT);
      expect((await allocateAddressIndex(h.db, merchantId, "ethereum", "test")).index).toBe(0);
      expect((await allocateAddressIndex(h.db, merchantId, "ethereum", "test")).index).toBe(1);
      const [before] = await h.db.select().from(merchantWallets).where(eq(merchantWallets.merchantId, merchantId));
      expect(before!.nextIndex).toBe(2);

      const replacement = walletKeys(45).ethereum;
      await configureMerchantWallet(h.db, merchantId, { network: "ethereum", mode: "test", extendedPublicKey: replacement }, MERCHANT_AUDIT);
      const [after] = await h.db.select().from(merchantWallets).where(eq(merchantWallets.merchantId, merchantId));
      expect(after).toMatchObject({ extendedPublicKey: replacement, nextIndex: 0 });
      expect(await allocateAddressIndex(h.db, merchantId, "ethereum", "test")).toEqual({ index: 0, extendedPublicKey: replacement });
      expect(await h.db.select().from(auditEntries).where(and(eq(auditEntries.merchantId, merchantId), eq(auditEntries.event, "wallet.configured")))).toHaveLength(2);
      expect((await domainError(allocateAddressIndex(h.db, merchantId, "tron", "test"))).code).toBe("wallet.not_configured");
    });
  });

  describe("payment links", () => {
    let merchantId: string;
    const link = (over: Partial<Parameters<typeof createPaymentLink>[2]> = {}) =>
      createPaymentLink(
        h.db,
        merchantId,
        { title: "Espresso beans 1 kg", description: null, fiatCurrency: "EUR", priceMinor: 2490n, cryptoCurrency: "USDT", network: "tron", livemode: false, ...over },
        MERCHANT_AUDIT,
      );

    beforeAll(async () => {
      ({ merchantId } = await createTestMerchant(h.db, { plan: "pro", account: 60 }));
    });

    it("validates the asset/network pair and a positive price", async () => {
      for (const [cryptoCurrency, network] of [["BTC", "tron"], ["BTC", "ethereum"], ["ETH", "bitcoin"], ["ETH", "tron"], ["USDT", "bitcoin"]] as const) {
        const error = await domainError(link({ cryptoCurrency, network }));
        expect(error.code, `${cryptoCurrency} on ${network}`).toBe("asset.unsupported_network");
      }
      for (const priceMinor of [0n, -1n, -2490n]) {
        const error = await domainError(link({ priceMinor }));
        expect(error.code).toBe("payment_link.invalid_price");
        expect(error.details).toEqual({ field: "price" });
      }
      for (const [cryptoCurrency, network] of [["BTC", "bitcoin"], ["ETH", "ethereum"], ["USDT", "ethereum"], ["USDT", "tron"]] as const) {
        await expect(link({ cryptoCurrency, network, priceMinor: 1n })).resolves.toMatchObject({ cryptoCurrency, network, priceMinor: 1n, active: true });
      }
    });

    it("deactivates and reactivates; inactive, unknown and malformed ids are not found", async () => {
      const created = await link();
      expect(await findActivePaymentLink(h.db, created.id)).toMatchObject({ id: created.id, merchantId, priceMinor: 2490n });
      await setPaymentLinkActive(h.db, merchantId, created.id, false, MERCHANT_AUDIT);
      expect(await findActivePaymentLink(h.db, created.id)).toBeNull();
      await setPaymentLinkActive(h.db, merchantId, created.id, true, MERCHANT_AUDIT);
      expect(await findActivePaymentLink(h.db, created.id)).not.toBeNull();
      const events = await h.db.select({ event: auditEntries.event }).from(auditEntries).where(eq(auditEntries.merchantId, merchantId));
      expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(["payment_link.created", "payment_link.deactivated", "payment_link.activated"]));

      for (const id of ["not-a-uuid", "", "' or 1=1 --", `${created.id}x`, "00000000-0000-4000-8000-000000000000"]) {
        expect(await findActivePaymentLink(h.db, id), id).toBeNull();
      }
      const other = await createTestMerchant(h.db, { plan: "pro", wallets: false });
      expect((await domainError(setPaymentLinkActive(h.db, other.merchantId, created.id, false, MERCHANT_AUDIT))).code).toBe("payment_link.not_found");
      expect(await findActivePaymentLink(h.db, created.id)).not.toBeNull();
    });

    it("createInvoice with paymentLinkId stores the link on the invoice", async () => {
      const created = await link({ cryptoCurrency: "BTC", network: "bitcoin", fiatCurrency: "USD", priceMinor: 4900n });
      const invoice = await createInvoice(
        h.db,
        {
          merchantId,
          mode: "test",
          title: created.title,
          currency: created.fiatCurrency,
          items: [{ description: created.title, quantity: 1n, unitPriceMinor: created.priceMinor }],
          cryptoCurrency: created.cryptoCurrency,
          network: created.network,
          paymentLinkId: created.id,
        },
        { actor: { type: "customer" } },
      );
      expect(invoice).toMatchObject({ paymentLinkId: created.id, totalMinor: 4900n, cryptoCurrency: "BTC", network: "bitcoin", livemode: false });
      const [row] = await h.db.select({ paymentLinkId: invoices.paymentLinkId }).from(invoices).where(eq(invoices.id, invoice.id));
      expect(row!.paymentLinkId).toBe(created.id);
      const plain = await createInvoice(
        h.db,
        { merchantId, mode: "test", title: "No link", currency: "USD", items: [{ description: "x", quantity: 1n, unitPriceMinor: 100n }], cryptoCurrency: "BTC", network: "bitcoin" },
        MERCHANT_AUDIT,
      );
      expect(plain.paymentLinkId).toBeNull();
    });
  });
});
