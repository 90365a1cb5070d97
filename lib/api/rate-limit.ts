import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { queryRows } from "@/db/client";

/**
 * Fixed one-minute windows counted in PostgreSQL, so every app instance shares one budget per key.
 * One upsert per request; old windows are swept now and then.
 *
 * The API's per-key count does not run on its own: it is part of the statement that authenticates
 * the key (authenticateApiKey with `countRequest`), so a request pays one round trip for both.
 * The pieces below (window, upsert, decision, sweep) are shared by both paths.
 */
export type RateLimitDecision = { allowed: boolean; limit: number; remaining: number; resetSeconds: number };

/** The bucket of an API key: one budget per key, whichever instance serves the request. */
export const API_KEY_BUCKET_PREFIX = "key:";

/** Start of the one-minute window `now` falls in. */
export function rateLimitWindow(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000);
}

/**
 * `insert … on conflict do update … returning count`: counts one request per row of `source` in
 * (bucket, windowStart). `source` is a `select <bucket>, <window_start>, 1 …` that may yield no row.
 */
export function rateLimitUpsert(source: SQL): SQL {
  return sql`insert into api_rate_limits (bucket, window_start, count)
    ${source}
    on conflict (bucket, window_start) do update set count = api_rate_limits.count + 1
    returning count`;
}

/** Given the requests counted so far in the window (this one included), may this one proceed? */
export function rateLimitDecision(used: number, limit: number, windowStart: Date, now: Date): RateLimitDecision {
  const resetSeconds = Math.max(1, Math.ceil((windowStart.getTime() + 60_000 - now.getTime()) / 1000));
  return { allowed: used <= limit, limit, remaining: Math.max(0, limit - used), resetSeconds };
}

/** On about 1 % of requests, deletes windows that ended more than ten minutes ago. */
export async function maybeSweepRateLimits(db: Executor, windowStart: Date): Promise<void> {
  if (Math.random() < 0.01) {
    await db.execute(sql`delete from api_rate_limits where window_start < ${windowStart.toISOString()}::timestamptz - interval '10 minutes'`);
  }
}

export async function consumeRateLimit(
  db: Executor,
  bucket: string,
  limit: number,
  now = new Date(),
): Promise<RateLimitDecision> {
  const windowStart = rateLimitWindow(now);
  const rows = await queryRows<{ count: number }>(
    db,
    rateLimitUpsert(sql`select ${bucket}, ${windowStart.toISOString()}::timestamptz, 1`),
  );
  const used = Number(rows[0]?.count ?? 1);
  await maybeSweepRateLimits(db, windowStart);
  return rateLimitDecision(used, limit, windowStart, now);
}
