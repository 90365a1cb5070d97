import { getDb } from "@/db";
import { settings } from "@/lib/config";
import { cronJson, refuseUnlessCron } from "@/lib/jobs/cron";
import { refreshAllQuotas } from "@/lib/quotas/refresh-all";

export const dynamic = "force-dynamic";
/** A bulk refresh reads every account from AWS: allow it minutes, not seconds, where the host honours this. */
export const maxDuration = 300;

/**
 * Refreshes every unsold account's quotas, QUOTA_REFRESH_CONCURRENCY at a time, for an external
 * scheduler (GET for Vercel-style cron, or POST). Progress is recorded in quota_refresh_runs; a run
 * already in progress is reported rather than started twice.
 */
async function handle(request: Request): Promise<Response> {
  const s = settings();
  const refused = refuseUnlessCron(request, s.CRON_SECRET);
  if (refused) return refused;
  const quotaRefresh = await refreshAllQuotas(await getDb(), { trigger: "cron", concurrency: s.QUOTA_REFRESH_CONCURRENCY });
  return cronJson({ quotaRefresh });
}

export const GET = handle;
export const POST = handle;
