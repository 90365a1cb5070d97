import { and, count, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Db, Executor } from "@/db";
import { apiKeys, merchants, merchantSessions, webhookEndpoints } from "@/db/schema";
import { recordAudit, type AuditContext } from "@/lib/audit";
import { DomainError, PLAN_LIMITS, PLAN_TYPES, type MerchantStatus, type PlanType } from "@/lib/domain";
import { recordEvent } from "@/lib/events/outbox";
import { MERCHANT_STATUS_RULES, nextMerchantStatus, parseSuspendReason, type MerchantAdminAction } from "./admin-status";

/**
 * An admin's commands on a merchant: verify, suspend, reactivate, close, change plan. Each runs in
 * one transaction that locks the merchant row, applies the change, writes an AuditEntry with the
 * admin as actor and the merchant event to the outbox, so all three commit or none does.
 */

export type AdminRequestContext = { adminId: string; ipAddress?: string | null; userAgent?: string | null };

const auditContext = (actor: AdminRequestContext): AuditContext => ({
  actor: { type: "admin", id: actor.adminId },
  ipAddress: actor.ipAddress,
  userAgent: actor.userAgent,
});

async function lockMerchant(tx: Executor, merchantId: string) {
  const [row] = await tx
    .select({ id: merchants.id, status: merchants.status, planType: merchants.planType })
    .from(merchants)
    .where(eq(merchants.id, merchantId))
    .for("update");
  if (!row) throw new DomainError("merchant.not_found", "No such merchant.", { merchantId });
  return row;
}

export type StatusChangeResult = { from: MerchantStatus; to: MerchantStatus; revokedApiKeys: number };

/**
 * Moves the merchant by the rules in admin-status.ts. Suspending needs a reason. Closing is
 * permanent, so it also revokes the merchant's active API keys and ends its dashboard sessions
 * (the status alone already refuses them; revoking keeps a closed account's keys dead for good).
 */
export async function changeMerchantStatus(
  db: Db,
  merchantId: string,
  action: MerchantAdminAction,
  actor: AdminRequestContext,
  options: { reason?: string; now?: Date } = {},
): Promise<StatusChangeResult> {
  const now = options.now ?? new Date();
  const rule = MERCHANT_STATUS_RULES[action];
  const reason = action === "suspend" ? parseSuspendReason(options.reason) : options.reason?.trim().slice(0, 500) || null;
  return db.transaction(async (tx) => {
    const current = await lockMerchant(tx, merchantId);
    const to = nextMerchantStatus(current.status, action);
    await tx.update(merchants).set({ status: to, updatedAt: now }).where(and(eq(merchants.id, merchantId), eq(merchants.status, current.status)));
    let revokedApiKeys = 0;
    if (action === "close") {
      const revoked = await tx
        .update(apiKeys)
        .set({ status: "revoked", revokedAt: now })
        .where(and(eq(apiKeys.merchantId, merchantId), eq(apiKeys.status, "active")))
        .returning({ id: apiKeys.id });
      revokedApiKeys = revoked.length;
      await tx.delete(merchantSessions).where(eq(merchantSessions.merchantId, merchantId));
    }
    await recordAudit(
      tx,
      {
        merchantId,
        event: rule.auditEvent,
        data: { from: current.status, to, ...(reason ? { reason } : {}), ...(action === "close" ? { revokedApiKeys } : {}) },
        at: now,
      },
      auditContext(actor),
    );
    const payload: Record<string, unknown> =
      action === "suspend"
        ? { merchantId, reason }
        : action === "close"
          ? { merchantId, previousStatus: current.status, closedAt: now, ...(reason ? { reason } : {}) }
          : { merchantId, previousStatus: current.status };
    await recordEvent(tx, {
      aggregateType: "merchant",
      aggregateId: merchantId,
      merchantId,
      eventType: rule.eventType,
      actor: { type: "admin", id: actor.adminId },
      payload,
      occurredAt: now,
    });
    return { from: current.status, to, revokedApiKeys };
  });
}

export function isPlanType(value: unknown): value is PlanType {
  return typeof value === "string" && (PLAN_TYPES as readonly string[]).includes(value);
}

/** What the merchant holds now that a plan limits: usable keys, webhook endpoints, the keys' permissions. */
export async function planUsage(db: Executor, merchantId: string, now = new Date()) {
  const usableKey = and(eq(apiKeys.merchantId, merchantId), eq(apiKeys.status, "active"), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)));
  const [[keys], [endpoints], permissionRows] = await Promise.all([
    db.select({ n: count() }).from(apiKeys).where(usableKey),
    // Every endpoint counts, disabled ones too, as when the merchant creates one (lib/webhooks/endpoints.ts).
    db.select({ n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.merchantId, merchantId)),
    db.selectDistinct({ permission: sql<string>`unnest(${apiKeys.permissions})` }).from(apiKeys).where(usableKey),
  ]);
  return { apiKeys: Number(keys?.n ?? 0), webhookEndpoints: Number(endpoints?.n ?? 0), permissions: permissionRows.map((r) => r.permission).sort() };
}

/** Every reason the merchant's current keys and endpoints do not fit `plan`; empty when they fit. */
export function planMisfits(plan: PlanType, usage: Awaited<ReturnType<typeof planUsage>>): string[] {
  const limits = PLAN_LIMITS[plan];
  const reasons: string[] = [];
  if (limits.apiKeys !== null && usage.apiKeys > limits.apiKeys) {
    reasons.push(`it has ${usage.apiKeys} active API keys and the ${plan} plan allows ${limits.apiKeys}`);
  }
  if (limits.webhookEndpoints !== null && usage.webhookEndpoints > limits.webhookEndpoints) {
    reasons.push(`it has ${usage.webhookEndpoints} webhook endpoints and the ${plan} plan allows ${limits.webhookEndpoints}`);
  }
  const outside = usage.permissions.filter((p) => !(limits.permissions as readonly string[]).includes(p));
  if (outside.length > 0) reasons.push(`its active API keys hold ${outside.join(", ")}, which the ${plan} plan does not include`);
  return reasons;
}

/**
 * Changes the plan. A downgrade the merchant's current keys or endpoints exceed is refused with
 * every reason named; the merchant (or the admin) revokes what is over the limit first.
 */
export async function changeMerchantPlan(
  db: Db,
  merchantId: string,
  plan: string,
  actor: AdminRequestContext,
  now = new Date(),
): Promise<{ from: PlanType; to: PlanType }> {
  if (!isPlanType(plan)) throw new DomainError("merchant.invalid_plan", "Choose the free, pro or enterprise plan.", { field: "plan" });
  return db.transaction(async (tx) => {
    const current = await lockMerchant(tx, merchantId);
    if (current.status === "closed") {
      throw new DomainError("merchant.illegal_transition", "Cannot change the plan of a closed merchant.", { from: current.status });
    }
    if (current.planType === plan) throw new DomainError("merchant.same_plan", `The merchant is already on the ${plan} plan.`, { field: "plan" });
    const reasons = planMisfits(plan, await planUsage(tx, merchantId, now));
    if (reasons.length > 0) {
      throw new DomainError("plan.downgrade_blocked", `Cannot move to the ${plan} plan: ${reasons.join("; ")}.`, { field: "plan", plan, reasons });
    }
    await tx.update(merchants).set({ planType: plan, updatedAt: now }).where(eq(merchants.id, merchantId));
    await recordAudit(tx, { merchantId, event: "merchant.plan_changed", data: { from: current.planType, to: plan }, at: now }, auditContext(actor));
    await recordEvent(tx, {
      aggregateType: "merchant",
      aggregateId: merchantId,
      merchantId,
      eventType: "MerchantPlanChanged",
      actor: { type: "admin", id: actor.adminId },
      payload: { merchantId, from: current.planType, to: plan },
      occurredAt: now,
    });
    return { from: current.planType, to: plan };
  });
}
