import { getDb } from "@/db";
import { settings } from "@/lib/config";
import { cronJson, refuseUnlessCron } from "@/lib/jobs/cron";
import { expireInvoices } from "@/lib/jobs/expire-invoices";

export const dynamic = "force-dynamic";

/** Expires overdue invoices once (partly paid ones after their grace period). */
async function handle(request: Request): Promise<Response> {
  const refused = refuseUnlessCron(request, settings().CRON_SECRET);
  if (refused) return refused;
  return cronJson({ expiry: await expireInvoices(await getDb()) });
}

export const GET = handle;
export const POST = handle;
