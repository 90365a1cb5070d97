import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { signInThrottles } from "@/db/schema";

/**
 * Slows down repeated failed sign-ins. Counters live in the database so every app instance sees
 * them. After `maxFailures` failures within the window a key is locked; each further failure
 * doubles the lock, up to 64 times the base.
 */
export type ThrottlePolicy = { maxFailures: number; lockSeconds: number; windowSeconds: number };

export async function lockedUntil(db: Executor, keys: string[], now: Date): Promise<Date | null> {
  let latest: Date | null = null;
  for (const key of keys) {
    const [row] = await db
      .select({ lockedUntil: signInThrottles.lockedUntil })
      .from(signInThrottles)
      .where(eq(signInThrottles.key, key));
    const until = row?.lockedUntil;
    if (until && until > now && (!latest || until > latest)) latest = until;
  }
  return latest;
}

export async function recordFailure(db: Executor, key: string, policy: ThrottlePolicy, now: Date): Promise<void> {
  // Raw sql parameters reach the driver untyped: pass timestamps as ISO text with a cast, which
  // both postgres.js and PGlite accept (postgres.js refuses a Date there).
  const windowStart = sql`${new Date(now.getTime() - policy.windowSeconds * 1000).toISOString()}::timestamptz`;
  const nowParam = sql`${now.toISOString()}::timestamptz`;
  const [row] = await db
    .insert(signInThrottles)
    .values({ key, failures: 1, windowStartedAt: now })
    .onConflictDoUpdate({
      target: signInThrottles.key,
      set: {
        failures: sql`case when ${signInThrottles.windowStartedAt} < ${windowStart} then 1 else ${signInThrottles.failures} + 1 end`,
        windowStartedAt: sql`case when ${signInThrottles.windowStartedAt} < ${windowStart} then ${nowParam} else ${signInThrottles.windowStartedAt} end`,
      },
    })
    .returning({ failures: signInThrottles.failures });
  const failures = row?.failures ?? 1;
  if (failures >= policy.maxFailures) {
    const factor = 2 ** Math.min(failures - policy.maxFailures, 6);
    await db
      .update(signInThrottles)
      .set({ lockedUntil: new Date(now.getTime() + policy.lockSeconds * 1000 * factor) })
      .where(and(eq(signInThrottles.key, key)));
  }
}

export async function clearFailures(db: Executor, key: string): Promise<void> {
  await db.delete(signInThrottles).where(eq(signInThrottles.key, key));
}
