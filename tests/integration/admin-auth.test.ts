import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { admins, adminSessions, outboxEvents } from "@/db/schema";
import { endAdminSession, hashSessionToken, resolveAdminSession, signInAdmin } from "@/lib/auth/admin-session";
import { hashPassword } from "@/lib/auth/password";
import { createTestDatabase, targetName } from "../helpers/test-db";

const policy = { maxFailures: 3, lockSeconds: 60, windowSeconds: 900 };

describe(`admin sign-in and sessions (${targetName()})`, () => {
  let h: DatabaseHandle;
  let adminId: string;

  beforeAll(async () => {
    h = await createTestDatabase();
    const [a] = await h.db
      .insert(admins)
      .values({ username: "root", passwordHash: await hashPassword("a-long-good-password") })
      .returning();
    adminId = a!.id;
  });
  afterAll(async () => h?.close());

  it("signs in: a session row holding only the token's hash, lastLogin set, AdminLoggedIn recorded", async () => {
    const now = new Date("2026-11-01T10:00:00Z");
    const result = await signInAdmin(h.db, { username: "ROOT", password: "a-long-good-password", ipAddress: "203.0.113.9", userAgent: "vitest", now }, policy);
    if (!result.ok) throw new Error(`sign-in failed: ${result.code}`);
    const [session] = await h.db.select().from(adminSessions).where(eq(adminSessions.id, result.principal.sessionId));
    expect(session!.token).toBe(hashSessionToken(result.sessionToken));
    expect(session!.token).not.toContain(result.sessionToken);
    expect(session!.ipAddress).toBe("203.0.113.9");
    expect(session!.expiresAt.getTime() - now.getTime()).toBe(8 * 3600 * 1000);
    const [admin] = await h.db.select().from(admins).where(eq(admins.id, adminId));
    expect(admin!.lastLogin).toEqual(now);
    const events = await h.db.select().from(outboxEvents).where(eq(outboxEvents.eventType, "AdminLoggedIn"));
    expect(events.at(-1)!.payload).toMatchObject({ adminId, sessionId: result.principal.sessionId });

    expect(await resolveAdminSession(h.db, result.sessionToken, now)).toMatchObject({ adminId, username: "root" });
    expect(await resolveAdminSession(h.db, result.sessionToken, new Date(now.getTime() + 9 * 3600 * 1000))).toBeNull();
    expect(await resolveAdminSession(h.db, "forged-token", now)).toBeNull();
    await endAdminSession(h.db, result.sessionToken);
    expect(await resolveAdminSession(h.db, result.sessionToken, now)).toBeNull();
  });

  it("refuses a wrong password and an unknown user alike", async () => {
    const now = new Date("2026-11-01T11:00:00Z");
    expect(await signInAdmin(h.db, { username: "root", password: "nope", now }, policy)).toEqual({ ok: false, code: "invalid_credentials" });
    expect(await signInAdmin(h.db, { username: "ghost", password: "nope", now }, policy)).toEqual({ ok: false, code: "invalid_credentials" });
  });

  it("slows down repeated failures: locked after the limit, even for the right password, then lets in after the lock", async () => {
    const t0 = new Date("2026-11-02T10:00:00Z");
    for (let i = 0; i < policy.maxFailures; i++) {
      const r = await signInAdmin(h.db, { username: "root", password: `wrong-${i}`, now: new Date(t0.getTime() + i * 1000) }, policy);
      expect(r).toEqual({ ok: false, code: "invalid_credentials" });
    }
    const during = new Date(t0.getTime() + 10_000);
    const locked = await signInAdmin(h.db, { username: "root", password: "a-long-good-password", now: during }, policy);
    expect(locked.ok).toBe(false);
    expect(locked).toMatchObject({ code: "throttled" });
    expect((locked as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(40);

    const after = new Date(t0.getTime() + 2 * 60_000 + 5_000);
    const ok = await signInAdmin(h.db, { username: "root", password: "a-long-good-password", now: after }, policy);
    expect(ok.ok).toBe(true);
  });

  it("doubles the lock for each further failure", async () => {
    const t0 = new Date("2026-11-03T10:00:00Z");
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    for (let i = 0; i < policy.maxFailures; i++) await signInAdmin(h.db, { username: "root", password: "x", now: at(i) }, policy);
    // First lock: 60 s. Wait it out, fail once more: the lock is now 120 s.
    const again = await signInAdmin(h.db, { username: "root", password: "x", now: at(70) }, policy);
    expect(again).toEqual({ ok: false, code: "invalid_credentials" });
    const r = await signInAdmin(h.db, { username: "root", password: "a-long-good-password", now: at(75) }, policy);
    expect(r).toMatchObject({ ok: false, code: "throttled" });
    expect((r as { retryAfterSeconds: number }).retryAfterSeconds).toBe(115);
  });
});
