import { and, asc, eq, gt, isNotNull, isNull, ne, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { accounts, quotaRefreshRuns } from "@/db/schema";
import { refreshAccountQuotas, type QuotaRefreshActor } from "./service";
import { createQuotaSource } from "./source";
import type { QuotaSource } from "./types";

/**
 * Bulk refresh: every account that has credentials and is not SOLD, a few at a time, counted in a
 * quota_refresh_runs row as it goes so the admin page can show progress while it runs. Starting
 * and executing are separate so the admin action can start a run and return at once.
 */
export type QuotaRunTrigger = "cron" | "admin";

export type PendingQuotaRun = { id: string; trigger: QuotaRunTrigger; adminId: string | null; accountIds: string[] };

export type StartQuotaRunResult = { started: true; run: PendingQuotaRun } | { started: false; runId: string };

export type QuotaRunReport = { started: true; runId: string; total: number; succeeded: number; failed: number } | { started: false; runId: string };

/** A run not finished after this long is taken to have died with its process. */
export const STALE_RUN_MINUTES = 15;
/** Serialises run starts across app instances (pg_advisory_xact_lock key). */
const RUN_START_LOCK_ID = 720_431_771;

export async function startQuotaRefreshRun(
  db: Db,
  options: { trigger: QuotaRunTrigger; adminId?: string | null; now?: Date },
): Promise<StartQuotaRunResult> {
  const now = options.now ?? new Date();
  const adminId = options.trigger === "admin" ? (options.adminId ?? null) : null;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${RUN_START_LOCK_ID})`);
    const since = new Date(now.getTime() - STALE_RUN_MINUTES * 60_000);
    const [running] = await tx
      .select({ id: quotaRefreshRuns.id })
      .from(quotaRefreshRuns)
      .where(and(isNull(quotaRefreshRuns.finishedAt), gt(quotaRefreshRuns.startedAt, since)))
      .limit(1);
    if (running) return { started: false, runId: running.id };
    const due = await tx
      .select({ id: accounts.id })
      .from(accounts)
      .where(and(isNotNull(accounts.credentialsCiphertext), ne(accounts.status, "SOLD")))
      .orderBy(asc(accounts.quotaUpdatedAt), asc(accounts.id));
    const [run] = await tx
      .insert(quotaRefreshRuns)
      .values({ trigger: options.trigger, adminId, total: due.length, startedAt: now })
      .returning({ id: quotaRefreshRuns.id });
    return { started: true, run: { id: run!.id, trigger: options.trigger, adminId, accountIds: due.map((d) => d.id) } };
  });
}

async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

async function countOutcome(db: Db, runId: string, ok: boolean): Promise<void> {
  await db
    .update(quotaRefreshRuns)
    .set(ok ? { succeeded: sql`${quotaRefreshRuns.succeeded} + 1` } : { failed: sql`${quotaRefreshRuns.failed} + 1` })
    .where(eq(quotaRefreshRuns.id, runId));
}

export async function executeQuotaRefreshRun(
  db: Db,
  run: PendingQuotaRun,
  options: { source?: QuotaSource; concurrency?: number } = {},
): Promise<QuotaRunReport> {
  const source = options.source ?? createQuotaSource();
  const actor: QuotaRefreshActor = run.trigger === "admin" && run.adminId ? { type: "admin", id: run.adminId } : { type: "system" };
  const tally = { succeeded: 0, failed: 0 };
  try {
    await forEachLimited(run.accountIds, options.concurrency ?? 4, async (accountId) => {
      let ok = false;
      try {
        ok = (await refreshAccountQuotas(db, accountId, { source, actor })).ok;
      } catch (error) {
        // An account deleted mid-run, or a database hiccup: count it and carry on with the rest.
        console.error(`[quotas] refresh of account ${accountId} in run ${run.id} failed: ${error instanceof Error ? error.name : typeof error}`);
      }
      tally[ok ? "succeeded" : "failed"] += 1;
      await countOutcome(db, run.id, ok);
    });
  } finally {
    await db.update(quotaRefreshRuns).set({ finishedAt: new Date() }).where(eq(quotaRefreshRuns.id, run.id));
  }
  return { started: true, runId: run.id, total: run.accountIds.length, ...tally };
}

/** Starts and runs a bulk refresh to the end; when one is already running, reports that run instead. */
export async function refreshAllQuotas(
  db: Db,
  options: { trigger: QuotaRunTrigger; adminId?: string | null; concurrency?: number; source?: QuotaSource; now?: Date },
): Promise<QuotaRunReport> {
  const start = await startQuotaRefreshRun(db, options);
  if (!start.started) return start;
  return executeQuotaRefreshRun(db, start.run, options);
}
