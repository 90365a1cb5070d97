import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { queryRows } from "@/db/client";

/**
 * Fixed one-minute windows counted in PostgreSQL, so every app instance shares one budget per key.
 * One upsert per request; old windows are swept now and then.
 */
export type RateLimitDecision = { allowed: boolean; limit: number; remaining: number; resetSeconds: number };

export async function consumeRateLimit(
  db: Executor,
  bucket: string,
  limit: number,
  now = new Date(),
): Promise<RateLimitDecision> {
  const windowStart = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const rows = await queryRows<{ count: number }>(
    db,
    sql`insert into api_rate_limits (bucket, window_start, count)
        values (${bucket}, ${windowStart.toISOString()}::timestamptz, 1)
        on conflict (bucket, window_start) do update set count = api_rate_limits.count + 1
        returning count`,
  );
  const used = Number(rows[0]?.count ?? 1);
  if (Math.random() < 0.01) {
    await db.execute(sql`delete from api_rate_limits where window_start < ${windowStart.toISOString()}::timestamptz - interval '10 minutes'`);
  }
  const resetSeconds = Math.max(1, Math.ceil((windowStart.getTime() + 60_000 - now.getTime()) / 1000));
  return { allowed: used <= limit, limit, remaining: Math.max(0, limit - used), resetSeconds };
}
