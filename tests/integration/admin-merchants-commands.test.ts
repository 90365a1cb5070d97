import { and, eq, ne, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { apiKeys, auditEntries, merchants, merchantSessions, outboxEvents, webhookEndpoints } from "@/db/schema";
import { DomainError } from "@/lib/domain";
import { signInMerchant } from "@/lib/merchants/accounts";
import { changeMerchantPlan, changeMerchantStatus, type AdminRequestContext } from "@/lib/merchants/admin-commands";
import { authenticateApiKey, revokeApiKey } from "@/lib/merchants/api-keys";
import { createTestAdmin } from "../helpers/admin-fixtures";
import { api } from "../helpers/api-client";
import { createTestKey, createTestMerchant, MERCHANT_AUDIT, openApiTestDatabase } from "../helpers/merchant-fixtures";
import { pgErrorCode, targetName } from "../helpers/test-db";

async function domainError(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error, "expected a DomainError").toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe(`admin merchant commands (${targetName()})`, () => {
  let h: DatabaseHandle;
  let actor: AdminRequestContext;

  beforeAll(async () => {
    h = await openApiTestDatabase(10_000);
    actor = { adminId: await createTestAdmin(h.db), ipAddress: "203.0.113.9", userAgent: "vitest-admin" };
  });
  afterAll(async () => {
    await h.close();
  });

  const statusOf = async (merchantId: string) => (await h.db.select({ s: merchants.status }).from(merchants).where(eq(merchants.id, merchantId)))[0]!.s;
  const planOf = async (merchantId: string) => (await h.db.select({ p: merchants.planType }).from(merchants).where(eq(merchants.id, merchantId)))[0]!.p;
  const audits = (merchantId: string, event: string) =>
    h.db.select().from(auditEntries).where(and(eq(auditEntries.merchantId, merchantId), eq(auditEntries.event, event)));
  const events = (merchantId: string, eventType: string) =>
    h.db.select().from(outboxEvents).where(and(eq(outboxEvents.aggregateId, merchantId), eq(outboxEvents.eventType, eventType)));

  it("suspends with a reason: status, audit entry and MerchantSuspended event, all with the admin as actor", async () => {
    const { merchantId } = await createTestMerchant(h.db, { plan: "pro", wallets: false });
    const result = await changeMerchantStatus(h.db, merchantId, "suspend", actor, { reason: "  Chargeback fraud reported  " });
    expect(result).toEqual({ from: "active", to: "suspended", revokedApiKeys: 0 });
    expect(await statusOf(merchantId)).toBe("suspended");
    const [audit] = await audits(merchantId, "merchant.suspended");
    expect(audit).toMatchObject({ actorType: "admin", actorId: actor.adminId, ipAddress: "203.0.113.9", userAgent: "vitest-admin" });
    expect(audit!.data).toEqual({ from: "active", to: "suspended", reason: "Chargeback fraud reported" });
    const [event] = await events(merchantId, "MerchantSuspended");
    expect(event).toMatchObject({ aggregateType: "merchant", merchantId, actorType: "admin", actorId: actor.adminId });
    expect(event!.payload).toEqual({ merchantId, reason: "Chargeback fraud reported" });
  });

  it("refuses a suspension without a reason, naming the field, and writes nothing", async () => {
    const { merchantId } = await createTestMerchant(h.db, { wallets: false });
    for (const reason of [undefined, "", "  ", "no"]) {
      const error = await domainError(changeMerchantStatus(h.db, merchantId, "suspend", actor, { reason }));
      expect(error.code).toBe("merchant.reason_required");
      expect(error.details).toEqual({ field: "reason" });
    }
    expect((await domainError(changeMerchantStatus(h.db, merchantId, "suspend", actor, { reason: "x".repeat(501) }))).code).toBe("merchant.reason_too_long");
    expect(await statusOf(merchantId)).toBe("active");
    expect(await audits(merchantId, "merchant.suspended")).toHaveLength(0);
    expect(await events(merchantId, "MerchantSuspended")).toHaveLength(0);
  });

  it("rolls the status change and the audit entry back when the event cannot be written (one transaction)", async () => {
    const { merchantId } = await createTestMerchant(h.db, { wallets: false });
    await h.db.execute(sql`create or replace function refuse_marked_event() returns trigger language plpgsql as $$
      begin
        if new.payload->>'reason' = 'fail-the-outbox' then raise exception 'outbox refused'; end if;
        return new;
      end $$`);
    await h.db.execute(sql`create trigger refuse_marked_event before insert on outbox_events for each row execute function refuse_marked_event()`);
    try {
      const error = await changeMerchantStatus(h.db, merchantId, "suspend", actor, { reason: "fail-the-outbox" }).then(() => null, (e: unknown) => e);
      expect(pgErrorCode(error)).toBe("P0001"); // the trigger's raise, nothing else
      expect(await statusOf(merchantId)).toBe("active");
      expect(await audits(merchantId, "merchant.suspended")).toHaveLength(0);
    } finally {
      await h.db.execute(sql`drop trigger refuse_marked_event on outbox_events`);
    }
  });

  it("refuses the suspended merchant's API keys at the API, and accepts them again after reactivation", async () => {
    const { merchantId } = await createTestMerchant(h.db, { plan: "pro", account: 41 });
    const test = await createTestKey(h.db, merchantId, "test");
    const live = await createTestKey(h.db, merchantId, "live");
    expect((await api("GET", "/api/v1/invoices", { key: live.key })).status).toBe(200);

    await changeMerchantStatus(h.db, merchantId, "suspend", actor, { reason: "Unpaid platform fees" });
    for (const key of [test.key, live.key]) {
      const res = await api("GET", "/api/v1/invoices", { key });
      expect(res.status).toBe(403);
      expect(res.json.error).toMatchObject({ code: "merchant.inactive", message: "The merchant account is suspended" });
      const created = await api("POST", "/api/v1/invoices", { key, body: { title: "x", currency: "USD", items: [{ description: "x", unit_price: "1.00" }], crypto_currency: "BTC" } });
      expect(created.status).toBe(403);
    }

    const result = await changeMerchantStatus(h.db, merchantId, "reactivate", actor);
    expect(result).toMatchObject({ from: "suspended", to: "active" });
    expect((await api("GET", "/api/v1/invoices", { key: live.key })).status).toBe(200);
    const [event] = await events(merchantId, "MerchantReactivated");
    expect(event!.payload).toEqual({ merchantId, previousStatus: "suspended" });
    expect((await audits(merchantId, "merchant.reactivated"))[0]).toMatchObject({ actorType: "admin", actorId: actor.adminId });
  });

  it("follows the status table: reactivate only a suspended merchant, verify only a pending one", async () => {
    const { merchantId } = await createTestMerchant(h.db, { wallets: false });
    const error = await domainError(changeMerchantStatus(h.db, merchantId, "reactivate", actor));
    expect(error.code).toBe("merchant.illegal_transition");
    expect(error.message).toBe("Cannot reactivate this merchant: it is active.");
    expect((await domainError(changeMerchantStatus(h.db, merchantId, "verify", actor))).code).toBe("merchant.illegal_transition");
    expect((await domainError(changeMerchantStatus(h.db, "00000000-0000-4000-8000-000000000000", "verify", actor))).code).toBe("merchant.not_found");
  });

  it("verifies a pending merchant: its live keys start working", async () => {
    const { merchantId } = await createTestMerchant(h.db, { plan: "free", status: "pending_verification", wallets: false });
    const live = await createTestKey(h.db, merchantId, "live");
    expect((await domainError(authenticateApiKey(h.db, live.key))).code).toBe("merchant.inactive");
    expect(await changeMerchantStatus(h.db, merchantId, "verify", actor)).toMatchObject({ from: "pending_verification", to: "active" });
    await expect(authenticateApiKey(h.db, live.key)).resolves.toMatchObject({ merchantId, merchantStatus: "active" });
    expect((await events(merchantId, "MerchantVerified"))[0]!.payload).toEqual({ merchantId, previousStatus: "pending_verification" });
  });

  it("closes for good: keys revoked, sessions ended, sign-in refused, and no action leaves closed", async () => {
    const { merchantId } = await createTestMerchant(h.db, { plan: "pro", wallets: false });
    const [{ email }] = (await h.db.select({ email: merchants.contactEmail }).from(merchants).where(eq(merchants.id, merchantId))) as [{ email: string }];
    const key = await createTestKey(h.db, merchantId, "live");
    await createTestKey(h.db, merchantId, "test");
    const policy = { maxFailures: 5, lockSeconds: 60, windowSeconds: 900 };
    expect((await signInMerchant(h.db, { email, password: "a-long-merchant-password" }, policy)).ok).toBe(true);

    const result = await changeMerchantStatus(h.db, merchantId, "close", actor, { reason: "Requested by the merchant" });
    expect(result).toEqual({ from: "active", to: "closed", revokedApiKeys: 2 });
    expect(await h.db.select().from(apiKeys).where(and(eq(apiKeys.merchantId, merchantId), eq(apiKeys.status, "active")))).toHaveLength(0);
    expect(await h.db.select().from(merchantSessions).where(eq(merchantSessions.merchantId, merchantId))).toHaveLength(0);
    expect((await domainError(authenticateApiKey(h.db, key.key))).code).toBe("auth.key_revoked");
    expect(await signInMerchant(h.db, { email, password: "a-long-merchant-password" }, policy)).toEqual({ ok: false, code: "account_closed" });
    const [event] = await events(merchantId, "MerchantClosed");
    expect(event!.payload).toMatchObject({ merchantId, previousStatus: "active", reason: "Requested by the merchant", closedAt: expect.any(String) });
    expect((await audits(merchantId, "merchant.closed"))[0]!.data).toEqual({ from: "active", to: "closed", reason: "Requested by the merchant", revokedApiKeys: 2 });

    for (const action of ["reactivate", "verify", "suspend", "close"] as const) {
      const error = await domainError(changeMerchantStatus(h.db, merchantId, action, actor, { reason: "try again" }));
      expect(error.code).toBe("merchant.illegal_transition");
      expect(error.message).toContain("closing is permanent");
    }
    expect((await domainError(changeMerchantPlan(h.db, merchantId, "enterprise", actor))).code).toBe("merchant.illegal_transition");
    expect(await statusOf(merchantId)).toBe("closed");
  });

  describe("change plan", () => {
    const addEndpoint = (merchantId: string, status: "active" | "disabled" | "failed" = "active") =>
      h.db.insert(webhookEndpoints).values({ merchantId, url: "https://example.com/hook", secretCiphertext: "x", secretLast4: "abcd", status });

    it("upgrades and downgrades, writing MerchantPlanChanged and the audit entry", async () => {
      const { merchantId } = await createTestMerchant(h.db, { plan: "free", wallets: false });
      expect(await changeMerchantPlan(h.db, merchantId, "enterprise", actor)).toEqual({ from: "free", to: "enterprise" });
      expect(await changeMerchantPlan(h.db, merchantId, "pro", actor)).toEqual({ from: "enterprise", to: "pro" });
      expect(await planOf(merchantId)).toBe("pro");
      const changes = await events(merchantId, "MerchantPlanChanged");
      expect(changes.map((e) => e.payload)).toEqual([
        { merchantId, from: "free", to: "enterprise" },
        { merchantId, from: "enterprise", to: "pro" },
      ]);
      expect(changes.every((e) => e.actorType === "admin" && e.actorId === actor.adminId)).toBe(true);
      expect((await audits(merchantId, "merchant.plan_changed")).map((a) => a.data)).toEqual([{ from: "free", to: "enterprise" }, { from: "enterprise", to: "pro" }]);
    });

    it("refuses a downgrade the current keys, permissions and endpoints exceed, naming each reason", async () => {
      const { merchantId } = await createTestMerchant(h.db, { plan: "pro", wallets: false });
      const keys = [await createTestKey(h.db, merchantId), await createTestKey(h.db, merchantId), await createTestKey(h.db, merchantId, "test", ["invoices:read", "analytics:read"])];
      await addEndpoint(merchantId);
      await addEndpoint(merchantId, "failed");
      await addEndpoint(merchantId, "disabled");

      const error = await domainError(changeMerchantPlan(h.db, merchantId, "free", actor));
      expect(error.code).toBe("plan.downgrade_blocked");
      expect(error.details).toMatchObject({ field: "plan" });
      expect(error.message).toBe(
        "Cannot move to the free plan: it has 3 active API keys and the free plan allows 2; it has 3 webhook endpoints and the free plan allows 1; " +
          "its active API keys hold analytics:read, which the free plan does not include.",
      );
      expect(await planOf(merchantId)).toBe("pro");
      expect(await events(merchantId, "MerchantPlanChanged")).toHaveLength(0);

      // Revoking the analytics key and deleting two endpoints makes it fit (disabled endpoints count, as when creating one).
      await revokeApiKey(h.db, merchantId, keys[2]!.apiKey.id, MERCHANT_AUDIT);
      await h.db.delete(webhookEndpoints).where(and(eq(webhookEndpoints.merchantId, merchantId), ne(webhookEndpoints.status, "active")));
      expect(await changeMerchantPlan(h.db, merchantId, "free", actor)).toEqual({ from: "pro", to: "free" });
    });

    it("refuses an unknown plan and the plan the merchant already has", async () => {
      const { merchantId } = await createTestMerchant(h.db, { plan: "pro", wallets: false });
      expect(await domainError(changeMerchantPlan(h.db, merchantId, "platinum", actor))).toMatchObject({ code: "merchant.invalid_plan", details: { field: "plan" } });
      expect(await domainError(changeMerchantPlan(h.db, merchantId, "pro", actor))).toMatchObject({ code: "merchant.same_plan", message: "The merchant is already on the pro plan." });
      expect(await audits(merchantId, "merchant.plan_changed")).toHaveLength(0);
    });
  });
});
