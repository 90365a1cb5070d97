import { getDatabase, type Db } from "@/db";
import { startDevChain } from "@/lib/chains/dev-chain";
import { deliveryJobs, DELIVERY_INTERVAL_MS, logDeliveryTick, startDeliveryWorker, type DeliveryWorker } from "@/lib/jobs/delivery-worker";
import { logTick, startWatcher, type Watcher } from "@/lib/jobs/watcher";
import { ensureSeeded, type SeedResult } from "@/db/seed";
import { ConfigError, settings } from "@/lib/config";
import { currentKek } from "@/lib/crypto/keys";

/**
 * Opens (and migrates) the database and seeds an empty one. Run once per server start from
 * instrumentation.ts, and by `npm run db:seed`.
 */
export async function prepareDatabase(): Promise<SeedResult> {
  const s = settings();
  const { db, kind } = await getDatabase();
  const result = await ensureSeeded(db, {
    adminUsername: s.ADMIN_USERNAME,
    adminPassword: s.ADMIN_PASSWORD,
    demoData: s.SEED_DEMO_DATA,
    storeName: s.STORE_NAME,
    kek: currentKek(),
    developmentWebhooks: devChainWanted(),
  });
  const where = kind === "pglite" ? `embedded PGlite at ${s.PGLITE_DIR}` : "PostgreSQL (DATABASE_URL)";
  console.log(`[db] ready: ${where}${result.demoDataCreated ? "; demo data created" : ""}`);
  if (result.generatedAdminPassword) {
    // Printed exactly once, when the admin is created; only its hash is stored.
    console.log(
      [
        "",
        "  ┌──────────────────────────────────────────────────────────┐",
        "  │ Admin account created (shown once, store it now)         │",
        `  │   username: ${s.ADMIN_USERNAME.padEnd(45)}│`,
        `  │   password: ${result.generatedAdminPassword.padEnd(45)}│`,
        "  │   sign in:  /admin/sign-in                               │",
        "  └──────────────────────────────────────────────────────────┘",
        "",
      ].join("\n"),
    );
  } else if (result.adminCreated) {
    console.log(`[db] admin "${s.ADMIN_USERNAME}" created with the password from ADMIN_PASSWORD`);
  }
  return result;
}

/**
 * Outside production (or with DEV_CHAIN=true): a local Ethereum node with the test USDT, so test-mode
 * checkouts can be paid for real. Its failure (say, the port is taken) is reported, not fatal.
 */
function devChainWanted(): boolean {
  const s = settings();
  return s.DEV_CHAIN ?? s.NODE_ENV !== "production";
}

async function maybeStartDevChain(): Promise<void> {
  const s = settings();
  if (!devChainWanted()) return;
  try {
    const chain = await startDevChain({ port: s.DEV_CHAIN_PORT, blockTime: s.DEV_CHAIN_BLOCK_TIME });
    console.log(`[dev-chain] anvil at ${chain.url} (chain ${chain.chainId}), test USDT at ${chain.token}`);
  } catch (error) {
    console.warn(`[dev-chain] not started: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Unless WATCHER=off (a worker or cron does it), this process polls the chains and expires
 * invoices, and relays the outbox and sends webhooks every second.
 */
function maybeStartWatcher(db: Db): void {
  const s = settings();
  if (s.WATCHER === "off") return;
  const state = globalThis as unknown as { __watcher?: Watcher; __deliveries?: DeliveryWorker };
  if (state.__watcher) return;
  state.__watcher = startWatcher(db, { intervalMs: s.WATCH_POLL_INTERVAL_SECONDS * 1000, onTick: logTick() });
  state.__deliveries = startDeliveryWorker(db, { intervalMs: DELIVERY_INTERVAL_MS, ...deliveryJobs(db), onTick: logDeliveryTick() });
  console.log(`[watcher] polling every ${s.WATCH_POLL_INTERVAL_SECONDS} s in this process; webhooks every ${DELIVERY_INTERVAL_MS / 1000} s`);
}

/** Server start: a configuration error ends the process with the message, not a stack trace. */
export async function startServer(): Promise<void> {
  try {
    await prepareDatabase();
    await maybeStartDevChain();
    maybeStartWatcher((await getDatabase()).db);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
