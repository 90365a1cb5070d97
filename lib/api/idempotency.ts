import { createHash } from "node:crypto";
import { and, eq, lt, sql, type SQLWrapper } from "drizzle-orm";
import type { Executor } from "@/db";
import { idempotencyKeys } from "@/db/schema";
import { ApiError } from "./errors";

/**
 * Idempotency-Key for POST requests. The first request with a key records the hash of its method,
 * path and exact body, runs, and stores its response; a retry with the same key and body gets that
 * response again, a retry with a different body gets 409. A key whose first request is still
 * running gets 409 with Retry-After, and an abandoned in-progress claim can be retaken after its
 * lock expires. Failed (non-2xx) requests release the key so a corrected retry can proceed.
 */

export const IDEMPOTENCY_LOCK_SECONDS = 60;
export const IDEMPOTENCY_RETENTION_HOURS = 24;

export type IdempotencyScope = { merchantId: string; mode: "live" | "test"; key: string };

export function requestFingerprint(method: string, path: string, body: string): string {
  return createHash("sha256").update(`${method}\n${path}\n`).update(body).digest("hex");
}

export function parseIdempotencyKey(header: string | null): string | null {
  if (header === null) return null;
  const key = header.trim();
  if (key.length === 0 || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
    throw new ApiError(400, "idempotency.invalid_key", "Idempotency-Key must be 1-255 visible ASCII characters");
  }
  return key;
}

export type IdempotencyClaim = { kind: "claimed" } | { kind: "replay"; status: number; body: string };

/** The record of a scope; the values may be placeholders of a prepared statement. */
const scopeWhere = (s: { [K in keyof IdempotencyScope]: IdempotencyScope[K] | SQLWrapper }) =>
  and(eq(idempotencyKeys.merchantId, s.merchantId), eq(idempotencyKeys.mode, s.mode), eq(idempotencyKeys.key, s.key));

const scopePlaceholders = {
  merchantId: sql.placeholder("merchantId"),
  mode: sql.placeholder("mode"),
  key: sql.placeholder("key"),
};

/**
 * The two statements of every request with an Idempotency-Key, prepared once per database handle
 * (they run on the pool): the claim, and the completion.
 *
 * The claim inserts the record, or replaces one that is past retention (it no longer counts), in
 * one statement; it returns no row when a live record exists.
 */
function buildStatements(db: Executor) {
  const claim = db
    .insert(idempotencyKeys)
    .values({
      ...scopePlaceholders,
      requestHash: sql.placeholder("requestHash"),
      lockedUntil: sql`${sql.placeholder("lockedUntil")}::timestamptz`,
      createdAt: sql`${sql.placeholder("now")}::timestamptz`,
    })
    .onConflictDoUpdate({
      target: [idempotencyKeys.merchantId, idempotencyKeys.mode, idempotencyKeys.key],
      set: {
        requestHash: sql`excluded.request_hash`,
        state: "in_progress",
        responseStatus: null,
        responseBody: null,
        lockedUntil: sql`excluded.locked_until`,
        createdAt: sql`excluded.created_at`,
      },
      setWhere: lt(idempotencyKeys.createdAt, sql`${sql.placeholder("retentionStart")}::timestamptz`),
    })
    .returning({ key: idempotencyKeys.key })
    .prepare("idempotency_claim");
  const complete = db
    .update(idempotencyKeys)
    .set({ state: "complete", responseStatus: sql`${sql.placeholder("status")}::integer`, responseBody: sql`${sql.placeholder("body")}::text` })
    .where(and(scopeWhere(scopePlaceholders), eq(idempotencyKeys.state, "in_progress")))
    .prepare("idempotency_complete");
  return { claim, complete };
}

const statements = new WeakMap<Executor, ReturnType<typeof buildStatements>>();
function statementsFor(db: Executor) {
  let prepared = statements.get(db);
  if (!prepared) statements.set(db, (prepared = buildStatements(db)));
  return prepared;
}

export async function claimIdempotencyKey(
  db: Executor,
  scope: IdempotencyScope,
  requestHash: string,
  now = new Date(),
): Promise<IdempotencyClaim> {
  const lockedUntil = new Date(now.getTime() + IDEMPOTENCY_LOCK_SECONDS * 1000);
  const retentionStart = new Date(now.getTime() - IDEMPOTENCY_RETENTION_HOURS * 3600_000);
  const inserted = await statementsFor(db).claim.execute({
    ...scope,
    requestHash,
    lockedUntil: lockedUntil.toISOString(),
    now: now.toISOString(),
    retentionStart: retentionStart.toISOString(),
  });
  if (inserted.length > 0) return { kind: "claimed" };

  const [existing] = await db.select().from(idempotencyKeys).where(scopeWhere(scope));
  if (!existing) return claimIdempotencyKey(db, scope, requestHash, now); // released meanwhile
  if (existing.requestHash !== requestHash) {
    throw new ApiError(
      409,
      "idempotency.key_reused",
      "This Idempotency-Key was already used with a different request; use a new key for a new request",
      { idempotencyKey: scope.key },
    );
  }
  if (existing.state === "complete") {
    return { kind: "replay", status: existing.responseStatus!, body: existing.responseBody! };
  }
  if (existing.lockedUntil > now) {
    const wait = Math.max(1, Math.ceil((existing.lockedUntil.getTime() - now.getTime()) / 1000));
    throw new ApiError(
      409,
      "idempotency.in_progress",
      "A request with this Idempotency-Key is still being processed; retry shortly",
      { idempotencyKey: scope.key },
      { "Retry-After": String(Math.min(wait, 5)) },
    );
  }
  // The first attempt died without finishing: take the claim over.
  const retaken = await db
    .update(idempotencyKeys)
    .set({ lockedUntil })
    .where(and(scopeWhere(scope), eq(idempotencyKeys.state, "in_progress"), lt(idempotencyKeys.lockedUntil, now)))
    .returning({ key: idempotencyKeys.key });
  if (retaken.length === 0) return claimIdempotencyKey(db, scope, requestHash, now);
  return { kind: "claimed" };
}

export async function completeIdempotencyKey(db: Executor, scope: IdempotencyScope, status: number, body: string) {
  await statementsFor(db).complete.execute({ ...scope, status, body });
}

export async function releaseIdempotencyKey(db: Executor, scope: IdempotencyScope) {
  await db.delete(idempotencyKeys).where(and(scopeWhere(scope), eq(idempotencyKeys.state, "in_progress")));
}

export async function sweepIdempotencyKeys(db: Executor, now = new Date()) {
  await db.execute(
    sql`delete from idempotency_keys where created_at < ${now.toISOString()}::timestamptz - make_interval(hours => ${IDEMPOTENCY_RETENTION_HOURS})`,
  );
}
