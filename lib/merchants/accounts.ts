import { randomBytes } from "node:crypto";
import { and, eq, gt, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { isUniqueViolation } from "@/db/errors";
import { merchantPayoutSettings, merchants, merchantSessions } from "@/db/schema";
import { hashSessionToken } from "@/lib/auth/admin-session";
import { dummyPasswordHash, hashPassword, verifyPassword } from "@/lib/auth/password";
import { clearFailures, lockedUntil, recordFailure, type ThrottlePolicy } from "@/lib/auth/throttle";
import { DomainError, type MerchantStatus, type PlanType } from "@/lib/domain";
import { recordAudit } from "@/lib/audit";
import { recordEvent } from "@/lib/events/outbox";

/**
 * MerchantOnboardingService and merchant sessions. Merchants are a separate principal from admins:
 * their own table, their own sessions and their own cookie.
 */

export const MERCHANT_SESSION_TTL_SECONDS = 12 * 60 * 60;
export const MERCHANT_PASSWORD_MIN_LENGTH = 10;

export type MerchantPrincipal = {
  merchantId: string;
  businessName: string;
  contactEmail: string;
  status: MerchantStatus;
  planType: PlanType;
  sessionId: string;
};

export type SignUpInput = {
  businessName: string;
  contactEmail: string;
  password: string;
  ipAddress?: string | null;
  userAgent?: string | null;
  now?: Date;
};

async function openSession(
  db: Db,
  merchantId: string,
  meta: { ipAddress?: string | null; userAgent?: string | null },
  now: Date,
): Promise<{ sessionId: string; sessionToken: string }> {
  const sessionToken = randomBytes(32).toString("base64url");
  const [session] = await db
    .insert(merchantSessions)
    .values({
      merchantId,
      token: hashSessionToken(sessionToken),
      ipAddress: meta.ipAddress ?? null,
      userAgent: meta.userAgent?.slice(0, 500) ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + MERCHANT_SESSION_TTL_SECONDS * 1000),
    })
    .returning({ id: merchantSessions.id });
  return { sessionId: session!.id, sessionToken };
}

/** Creates the merchant (pending verification, free plan) with default payout settings. */
export async function signUpMerchant(
  db: Db,
  input: SignUpInput,
): Promise<Omit<MerchantPrincipal, "sessionId">> {
  const now = input.now ?? new Date();
  const businessName = input.businessName.trim();
  const contactEmail = input.contactEmail.trim();
  if (input.password.length < MERCHANT_PASSWORD_MIN_LENGTH) {
    throw new DomainError("merchant.weak_password", `Use at least ${MERCHANT_PASSWORD_MIN_LENGTH} characters`, {
      field: "password",
    });
  }
  const passwordHash = await hashPassword(input.password);
  try {
    const merchant = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(merchants)
        .values({ businessName, contactEmail, passwordHash, status: "pending_verification", planType: "free", createdAt: now })
        .returning();
      await tx.insert(merchantPayoutSettings).values({ merchantId: row!.id });
      await recordAudit(
        tx,
        { merchantId: row!.id, event: "merchant.created", data: { planType: row!.planType, status: row!.status }, at: now },
        { actor: { type: "merchant", id: row!.id }, ipAddress: input.ipAddress, userAgent: input.userAgent },
      );
      await recordEvent(tx, {
        aggregateType: "merchant",
        aggregateId: row!.id,
        merchantId: row!.id,
        eventType: "MerchantCreated",
        actor: { type: "merchant", id: row!.id },
        payload: { merchantId: row!.id, planType: row!.planType },
        occurredAt: now,
      });
      return row!;
    });
    return {
      merchantId: merchant.id,
      businessName: merchant.businessName,
      contactEmail: merchant.contactEmail,
      status: merchant.status,
      planType: merchant.planType,
    };
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError("merchant.email_taken", "A merchant with this email already exists", {
        field: "contactEmail",
      });
    }
    throw error;
  }
}

export type MerchantSignInResult =
  | { ok: true; principal: MerchantPrincipal; sessionToken: string }
  | { ok: false; code: "invalid_credentials" | "account_closed" }
  | { ok: false; code: "throttled"; retryAfterSeconds: number };

export async function signInMerchant(
  db: Db,
  attempt: { email: string; password: string; ipAddress?: string | null; userAgent?: string | null; now?: Date },
  policy: ThrottlePolicy,
): Promise<MerchantSignInResult> {
  const now = attempt.now ?? new Date();
  const email = attempt.email.trim().toLowerCase();
  const userKey = `merchant:${email}`;
  const ipKey = attempt.ipAddress ? `merchant-ip:${attempt.ipAddress}` : null;
  const until = await lockedUntil(db, ipKey ? [userKey, ipKey] : [userKey], now);
  if (until) {
    return { ok: false, code: "throttled", retryAfterSeconds: Math.ceil((until.getTime() - now.getTime()) / 1000) };
  }
  const [merchant] = await db.select().from(merchants).where(eq(sql`lower(${merchants.contactEmail})`, email));
  const valid = await verifyPassword(merchant?.passwordHash ?? (await dummyPasswordHash()), attempt.password);
  if (!merchant || !valid) {
    await recordFailure(db, userKey, policy, now);
    if (ipKey) await recordFailure(db, ipKey, { ...policy, maxFailures: policy.maxFailures * 4 }, now);
    return { ok: false, code: "invalid_credentials" };
  }
  if (merchant.status === "closed") return { ok: false, code: "account_closed" };
  await clearFailures(db, userKey);
  const { sessionId, sessionToken } = await openSession(db, merchant.id, attempt, now);
  return {
    ok: true,
    sessionToken,
    principal: {
      merchantId: merchant.id,
      businessName: merchant.businessName,
      contactEmail: merchant.contactEmail,
      status: merchant.status,
      planType: merchant.planType,
      sessionId,
    },
  };
}

export async function resolveMerchantSession(db: Db, sessionToken: string, now = new Date()): Promise<MerchantPrincipal | null> {
  const [row] = await db
    .select({
      sessionId: merchantSessions.id,
      merchantId: merchants.id,
      businessName: merchants.businessName,
      contactEmail: merchants.contactEmail,
      status: merchants.status,
      planType: merchants.planType,
    })
    .from(merchantSessions)
    .innerJoin(merchants, eq(merchants.id, merchantSessions.merchantId))
    .where(and(eq(merchantSessions.token, hashSessionToken(sessionToken)), gt(merchantSessions.expiresAt, now)));
  if (!row || row.status === "closed") return null;
  return row;
}

export async function endMerchantSession(db: Db, sessionToken: string): Promise<void> {
  await db.delete(merchantSessions).where(eq(merchantSessions.token, hashSessionToken(sessionToken)));
}
