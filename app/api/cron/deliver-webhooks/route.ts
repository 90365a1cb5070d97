import { getDb } from "@/db";
import { settings } from "@/lib/config";
import { cronJson, refuseUnlessCron } from "@/lib/jobs/cron";
import { deliveryJobs, runDeliveryRound } from "@/lib/jobs/delivery-worker";

export const dynamic = "force-dynamic";

/** One round of the delivery loop: relays the outbox and sends the webhooks (and emails) now due. */
async function handle(request: Request): Promise<Response> {
  const refused = refuseUnlessCron(request, settings().CRON_SECRET);
  if (refused) return refused;
  const db = await getDb();
  return cronJson(await runDeliveryRound(db, deliveryJobs(db)));
}

export const GET = handle;
export const POST = handle;
