import { getDb } from "@/db";
import { settings } from "@/lib/config";
import { cronJson, refuseUnlessCron } from "@/lib/jobs/cron";
import { pollAllChains } from "@/lib/jobs/watcher";
import { sendPendingOrderEmails } from "@/lib/orders/order-emails";

export const dynamic = "force-dynamic";

/**
 * Polls every watched chain once, then sends the order emails its payments made due: for an
 * external scheduler (GET for Vercel-style cron, or POST).
 */
async function handle(request: Request): Promise<Response> {
  const refused = refuseUnlessCron(request, settings().CRON_SECRET);
  if (refused) return refused;
  const db = await getDb();
  const polls = await pollAllChains(db);
  const orderEmails = await sendPendingOrderEmails(db);
  return cronJson({ polls, orderEmails });
}

export const GET = handle;
export const POST = handle;
