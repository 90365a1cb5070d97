/**
 * The scheduler shared by the worker command (scripts/worker.ts) and the in-process watcher that
 * the app runs on the embedded database: every interval it polls each watched chain and expires
 * overdue invoices. The cron routes run the same two jobs once per request.
 */
import type { Db } from "@/db";
import { devChain } from "@/lib/chains/dev-chain";
import { watchSources } from "@/lib/chains/sources";
import { settings } from "@/lib/config";
import { sendPendingOrderEmails } from "@/lib/orders/order-emails";
import { getSystemConfig } from "@/lib/system-config";
import { expireInvoices, type ExpireReport } from "./expire-invoices";
import { startLoop, type Loop } from "./loop";
import { pollSource, type PollReport, type WatchSource } from "./poll-chains";

export async function currentSources(db: Db): Promise<WatchSource[]> {
  return watchSources(settings(), await getSystemConfig(db), await devChain());
}

/**
 * Polls every source once, one after the other: a poll holds one pooled connection for its lock
 * and uses another for its queries, so polling in sequence needs two connections whatever the
 * number of networks.
 */
export async function pollAllChains(db: Db, sources?: WatchSource[]): Promise<PollReport[]> {
  const list = sources ?? (await currentSources(db));
  const reports: PollReport[] = [];
  for (const source of list) reports.push(await pollSource(db, source));
  return reports;
}

export type WatcherTick = { polls: PollReport[]; expiry: ExpireReport | { error: string } };

export type Watcher = Loop;

/**
 * Runs until stopped: tick, wait `intervalMs`, tick… `stop()` lets the running tick finish (each
 * applied range is one transaction, so even a hard kill loses nothing, but a graceful stop leaves
 * no work to redo).
 */
export function startWatcher(
  db: Db,
  options: { intervalMs: number; sources?: () => Promise<WatchSource[]>; onTick?: (tick: WatcherTick) => void },
): Watcher {
  return startLoop(options.intervalMs, async () => {
    // A tick never ends the loop: a database outage is reported and the next tick tries again.
    try {
      const sources = await (options.sources ?? (() => currentSources(db)))();
      const polls = await pollAllChains(db, sources);
      const expiry = await expireInvoices(db).catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
      options.onTick?.({ polls, expiry });
      await sendPendingOrderEmails(db); // after the tick's payments, outside their transactions
    } catch (error) {
      options.onTick?.({ polls: [], expiry: { error: error instanceof Error ? error.message : String(error) } });
    }
  });
}

/** One log line per tick that found something, and each source's failure once until it recovers. */
export function logTick(log: (line: string) => void = console.log) {
  const lastError = new Map<string, string>();
  return ({ polls, expiry }: WatcherTick) => {
    for (const p of polls) {
      if (p.error) {
        // Once when a source starts failing (its messages vary from call to call), then quiet.
        if (!lastError.has(p.source)) log(`[watcher] ${p.source}: ${p.error}`);
        lastError.set(p.source, p.error);
        continue;
      }
      if (lastError.delete(p.source)) log(`[watcher] ${p.source}: recovered`);
      if (p.paymentsRecorded || p.paymentsChanged || p.invoicesChanged || p.reorgs) {
        log(
          `[watcher] ${p.source}: blocks ${p.scannedFrom ?? "-"}..${p.scannedTo ?? "-"} of ${p.head}; ` +
            `${p.paymentsRecorded} new payments, ${p.paymentsChanged} changed, ${p.invoicesChanged} invoices changed` +
            (p.reorgs ? `, ${p.reorgs} reorg(s)` : ""),
        );
      }
    }
    if ("error" in expiry) log(`[watcher] expiry: ${expiry.error}`);
    else if (expiry.changed > 0) log(`[watcher] expiry: ${expiry.changed} invoices expired or updated`);
  };
}
