import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lt, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { admins, adminSessions } from "@/db/schema";
import { recordEvent } from "@/lib/events/outbox";
import { dummyPasswordHash, verifyPassword } from "./password";
import { clearFailures, lockedUntil, recordFailure, type ThrottlePolicy } from "./throttle";

/**
 * Admin sign-in and sessions. A session is an admin_sessions row; the browser holds only a random
 * token (inside Auth.js's encrypted cookie) whose SHA-256 is stored, so a database leak does not
 * yield usable sessions and deleting the row ends the session at once.
 */

export const ADMIN_SESSION_TTL_SECONDS = 8 * 60 * 60;

export type AdminPrincipal = { adminId: string; username: string; sessionId: string };

export type SignInAttempt = {
  username: string;
  password: string;
  ipAddress?: string | null;
  userAgent?: string | null;
  now?: Date;
};

export type SignInResult =
  | { ok: true; principal: AdminPrincipal; sessionToken: string }
  | { ok: false; code: "invalid_credentials" }
  | { ok: false; code: "throttled"; retryAfterSeconds: number };

export const hashSessionToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function signInAdmin(db: Db, attempt: SignInAttempt, policy: ThrottlePolicy): Promise<SignInResult> {
  const now = attempt.now ?? new Date();
  const username = attempt.username.trim().toLowerCase();
  const userKey = `user:${username}`;
  const ipKey = attempt.ipAddress ? `ip:${attempt.ipAddress}` : null;
  const ipPolicy = { ...policy, maxFailures: policy.maxFailures * 4 };

  const until = await lockedUntil(db, ipKey ? [userKey, ipKey] : [userKey], now);
  if (until) {
    return { ok: false, code: "throttled", retryAfterSeconds: Math.ceil((until.getTime() - now.getTime()) / 1000) };
  }

  const [admin] = await db
    .select({ id: admins.id, username: admins.username, passwordHash: admins.passwordHash })
    .from(admins)
    .where(eq(sql`lower(${admins.username})`, username));
  const valid = await verifyPassword(admin?.passwordHash ?? (await dummyPasswordHash()), attempt.password);

  if (!admin || !valid) {
    await recordFailure(db, userKey, policy, now);
    if (ipKey) await recordFailure(db, ipKey, ipPolicy, now);
    return { ok: false, code: "invalid_credentials" };
  }

  const sessionToken = randomBytes(32).toString("base64url");
  const sessionId = await db.transaction(async (tx) => {
    const [session] = await tx
      .insert(adminSessions)
      .values({
        adminId: admin.id,
        token: hashSessionToken(sessionToken),
        ipAddress: attempt.ipAddress ?? null,
        userAgent: attempt.userAgent?.slice(0, 500) ?? null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + ADMIN_SESSION_TTL_SECONDS * 1000),
      })
      .returning({ id: adminSessions.id });
    await tx.update(admins).set({ lastLogin: now }).where(eq(admins.id, admin.id));
    await recordEvent(tx, {
      aggregateType: "admin",
      aggregateId: admin.id,
      eventType: "AdminLoggedIn",
      actor: { type: "admin", id: admin.id },
      payload: { adminId: admin.id, sessionId: session!.id, timestamp: now },
      occurredAt: now,
    });
    return session!.id;
  });
  await clearFailures(db, userKey);

  return { ok: true, sessionToken, principal: { adminId: admin.id, username: admin.username, sessionId } };
}

export async function resolveAdminSession(db: Db, sessionToken: string, now = new Date()): Promise<AdminPrincipal | null> {
  const [row] = await db
    .select({ sessionId: adminSessions.id, adminId: admins.id, username: admins.username })
    .from(adminSessions)
    .innerJoin(admins, eq(admins.id, adminSessions.adminId))
    .where(and(eq(adminSessions.token, hashSessionToken(sessionToken)), gt(adminSessions.expiresAt, now)));
  return row ?? null;
}

export async function endAdminSession(db: Db, sessionToken: string): Promise<void> {
  await db.delete(adminSessions).where(eq(adminSessions.token, hashSessionToken(sessionToken)));
}

export async function deleteExpiredAdminSessions(db: Db, now = new Date()): Promise<void> {
  await db.delete(adminSessions).where(lt(adminSessions.expiresAt, now));
}
