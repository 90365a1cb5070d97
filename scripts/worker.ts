// `npm run worker`: polls the watched chains, expires invoices, sends order emails, relays the outbox and
// delivers webhooks on a schedule, for deployments that run the app with WATCHER=off (several app
// instances, or a separate job process). Needs
// DATABASE_URL: the embedded PGlite allows one process, and the app watches in-process there.
// `npm run worker -- --once` runs one round and exits. SIGTERM/SIGINT finish the current round.
import { getDatabase } from "@/db";
import { settings } from "@/lib/config";
import { logTick, pollAllChains, startWatcher } from "@/lib/jobs/watcher";
import { expireInvoices } from "@/lib/jobs/expire-invoices";
import { sendPendingOrderEmails } from "@/lib/orders/order-emails";
import { deliveryJobs, DELIVERY_INTERVAL_MS, logDeliveryTick, runDeliveryRound, startDeliveryWorker } from "@/lib/jobs/delivery-worker";

async function main() {
  const s = settings();
  const handle = await getDatabase();
  if (handle.kind === "pglite") {
    console.warn("[worker] using the embedded PGlite database: make sure the app is not running on the same directory");
  }
  if (process.argv.includes("--once")) {
    const log = logTick();
    log({ polls: await pollAllChains(handle.db), expiry: await expireInvoices(handle.db) });
    await sendPendingOrderEmails(handle.db);
    logDeliveryTick()(await runDeliveryRound(handle.db, deliveryJobs(handle.db)));
    await handle.close?.();
    return;
  }
  const watcher = startWatcher(handle.db, { intervalMs: s.WATCH_POLL_INTERVAL_SECONDS * 1000, onTick: logTick() });
  const deliveries = startDeliveryWorker(handle.db, { intervalMs: DELIVERY_INTERVAL_MS, ...deliveryJobs(handle.db), onTick: logDeliveryTick() });
  console.log(`[worker] polling every ${s.WATCH_POLL_INTERVAL_SECONDS} s, webhooks every ${DELIVERY_INTERVAL_MS / 1000} s (pid ${process.pid})`);
  const shutdown = async (signal: string) => {
    console.log(`[worker] ${signal}: finishing the current round`);
    await Promise.all([watcher.stop(), deliveries.stop()]);
    await handle.close?.();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
  await Promise.all([watcher.done, deliveries.done]);
}

main().catch((error: unknown) => {
  console.error("[worker] failed:", error instanceof Error ? error.message : error);
  process.exit(1);
});
