import { getDb } from "@/db";
import { settings } from "@/lib/config";
import { cronJson, refuseUnlessCron } from "@/lib/jobs/cron";
import { pollAllChains } from "@/lib/jobs/watcher";

export const dynamic = "force-dynamic";

/** Polls every watched chain once: for an external scheduler (GET for Vercel-style cron, or POST). */
async function handle(request: Request): Promise<Response> {
  const refused = refuseUnlessCron(request, settings().CRON_SECRET);
  if (refused) return refused;
  const polls = await pollAllChains(await getDb());
  return cronJson({ polls });
}

export const GET = handle;
export const POST = handle;
