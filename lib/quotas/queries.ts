import { and, desc, eq, isNotNull, ne } from "drizzle-orm";
import type { Executor } from "@/db";
import { accounts, quotaRefreshRuns } from "@/db/schema";
import { STALE_RUN_MINUTES } from "./refresh-all";

/** Read models of the admin quotas page. */
export type QuotaRunRow = {
  id: string;
  trigger: string;
  total: number;
  succeeded: number;
  failed: number;
  startedAt: Date;
  finishedAt: Date | null;
  /** Unfinished and recent: still working. */
  inProgress: boolean;
};

export type QuotaAccountRow = {
  id: string;
  name: string;
  displayName: string;
  status: string;
  quotaLevel: string;
  quotaUpdatedAt: Date | null;
  quotaError: string | null;
  quotaErrorAt: Date | null;
};

export async function listQuotaRuns(db: Executor, options: { limit?: number; now?: Date } = {}): Promise<QuotaRunRow[]> {
  const now = options.now ?? new Date();
  const rows = await db.select().from(quotaRefreshRuns).orderBy(desc(quotaRefreshRuns.startedAt)).limit(options.limit ?? 5);
  return rows.map((r) => ({
    id: r.id,
    trigger: r.trigger,
    total: r.total,
    succeeded: r.succeeded,
    failed: r.failed,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    inProgress: r.finishedAt === null && now.getTime() - r.startedAt.getTime() < STALE_RUN_MINUTES * 60_000,
  }));
}

const accountColumns = {
  id: accounts.id,
  name: accounts.name,
  displayName: accounts.displayName,
  status: accounts.status,
  quotaLevel: accounts.quotaLevel,
  quotaUpdatedAt: accounts.quotaUpdatedAt,
  quotaError: accounts.quotaError,
  quotaErrorAt: accounts.quotaErrorAt,
};

/** Accounts whose applied quotas all read as zero, not yet sold. */
export async function listAccountsNeedingReview(db: Executor, limit = 100): Promise<QuotaAccountRow[]> {
  return db
    .select(accountColumns)
    .from(accounts)
    .where(and(eq(accounts.needsReview, true), ne(accounts.status, "SOLD")))
    .orderBy(accounts.name)
    .limit(limit);
}

/** Accounts whose last refresh failed (the error stays until a refresh succeeds), newest failure first. */
export async function listAccountsWithQuotaErrors(db: Executor, limit = 100): Promise<QuotaAccountRow[]> {
  return db.select(accountColumns).from(accounts).where(isNotNull(accounts.quotaError)).orderBy(desc(accounts.quotaErrorAt)).limit(limit);
}
