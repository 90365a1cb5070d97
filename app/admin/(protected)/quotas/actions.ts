"use server";

import { revalidatePath } from "next/cache";
import { after } from "next/server";
import { z } from "zod";
import { getDb } from "@/db";
import { requireAdmin } from "@/lib/auth/current-admin";
import { settings } from "@/lib/config";
import type { FiatCurrency, QuotaLevel } from "@/lib/domain";
import { formatFiat } from "@/lib/format";
import { executeQuotaRefreshRun, startQuotaRefreshRun } from "@/lib/quotas/refresh-all";
import { AccountNotFoundError, refreshAccountQuotas, type QuotaRefreshResult } from "@/lib/quotas/service";

/** What the refresh button shows: plain, serialisable values only (no bigint, no Date). */
export type QuotaRefreshActionResult =
  | { ok: true; quotaLevel: QuotaLevel; modelCount: number; usableModelCount: number; suggestedPrice: string; needsReview: boolean; updatedAt: string }
  | { ok: false; code: string; message: string; failedAt: string | null };

export type QuotaRunActionResult = { started: boolean; runId: string; message: string };

const QUOTAS_PATH = "/admin/quotas";
const accountIdSchema = z.uuid("accountId must be an account id (a UUID).");

function toActionResult(result: QuotaRefreshResult): QuotaRefreshActionResult {
  if (!result.ok) return { ok: false, code: result.code, message: result.message, failedAt: result.failedAt.toISOString() };
  return {
    ok: true,
    quotaLevel: result.quotaLevel,
    modelCount: result.modelQuotas.length,
    usableModelCount: result.modelQuotas.filter((q) => q.available && q.tpm > 0).length,
    suggestedPrice: formatFiat({ ...result.suggestedPrice, asset: result.suggestedPrice.asset as FiatCurrency }),
    needsReview: result.needsReview,
    updatedAt: result.updatedAt.toISOString(),
  };
}

/** Refreshes one account's quotas now, as the signed-in admin. */
export async function refreshAccountQuotasAction(accountId: string): Promise<QuotaRefreshActionResult> {
  const admin = await requireAdmin(QUOTAS_PATH);
  const parsed = accountIdSchema.safeParse(accountId);
  if (!parsed.success) return { ok: false, code: "invalid_input", message: parsed.error.issues[0]!.message, failedAt: null };
  try {
    const result = await refreshAccountQuotas(await getDb(), parsed.data, { actor: { type: "admin", id: admin.id } });
    // The dashboard, the account pages and this page all show quota state.
    revalidatePath("/admin", "layout");
    return toActionResult(result);
  } catch (error) {
    if (error instanceof AccountNotFoundError) return { ok: false, code: "not_found", message: "No account with this id.", failedAt: null };
    throw error;
  }
}

/**
 * Starts a bulk refresh and returns at once: the run continues after the response (next/server
 * `after`) and reports progress in quota_refresh_runs, which the quotas page shows.
 */
export async function refreshAllQuotasAction(): Promise<QuotaRunActionResult> {
  const admin = await requireAdmin(QUOTAS_PATH);
  const db = await getDb();
  const start = await startQuotaRefreshRun(db, { trigger: "admin", adminId: admin.id });
  revalidatePath(QUOTAS_PATH);
  if (!start.started) return { started: false, runId: start.runId, message: "A refresh is already running; its progress is shown below." };
  const { run } = start;
  after(async () => {
    try {
      await executeQuotaRefreshRun(db, run, { concurrency: settings().QUOTA_REFRESH_CONCURRENCY });
    } catch (error) {
      console.error(`[quotas] run ${run.id} stopped: ${error instanceof Error ? error.name : typeof error}`);
    }
  });
  const count = run.accountIds.length;
  return { started: true, runId: run.id, message: `Refreshing ${count} account${count === 1 ? "" : "s"}…` };
}
