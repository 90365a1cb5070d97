/**
 * The chain poller: for one source (a chain in live or test mode) it resumes from the stored
 * cursor, notices reorganisations against the stored block hashes, scans bounded block ranges
 * until it reaches the head, and applies each range in one transaction together with the cursor.
 * Then it refreshes confirmations, reads the mempool, and re-examines payments that a reorg
 * orphaned or that wait in the mempool. A network failure is recorded on the cursor and retried at
 * the next poll; it never throws out of `pollSource`.
 */
import { and, desc, eq, gt, lt, sql } from "drizzle-orm";
import type { Db, Executor } from "@/db";
import { chainBlocks, chainCursors } from "@/db/schema";
import { ChainSourceError, confirmationsOf, type BlockRef, type ChainAdapter, type ChainHead, type ObservedTransfer } from "@/lib/chains/types";
import type { Network, PaymentEvent, PaymentStatus } from "@/lib/domain";
import {
  addReports,
  applyObservations,
  changePayments,
  emptyReport,
  openPayments,
  paymentsAbove,
  type ApplyReport,
  type Observation,
} from "@/lib/payments/record-transfers";
import { invoiceWatchSet } from "@/lib/payments/watch-set";
import { getSystemConfig } from "@/lib/system-config";
import { withSourceLock } from "./source-lock";

export interface WatchSource {
  /** `<network>:<live|test>`: the cursor's key. */
  readonly id: string;
  readonly network: Network;
  readonly livemode: boolean;
  readonly adapter: ChainAdapter;
  /** Where a source with no cursor yet starts; default: the head at the first poll. */
  readonly startBlock?: bigint;
}

export interface PollOptions {
  now?: () => Date;
  /** Stop after this many scanned ranges (the rest waits for the next poll). Default: until caught up. */
  maxBatches?: number;
  /** A payment orphaned or waiting in the mempool that stays unseen this long fails. Default 10 minutes. */
  dropAfterMs?: number;
  /** Called after each range is committed (tests use it to stop a poll part-way). */
  onBatch?: (range: { from: bigint; to: bigint }) => Promise<void> | void;
  /** Scan blocks even when no address is watched (default: follow the head without reading them). */
  scanWhenIdle?: boolean;
}

export type PollReport = ApplyReport & {
  source: string;
  /** locked: another poller holds this source; idle: nothing watched, and the head was checked recently. */
  skipped?: "locked" | "idle";
  scannedFrom?: bigint;
  scannedTo?: bigint;
  head?: bigint;
  reorgs: number;
  error?: string;
};

/** How often a source with nothing to watch still moves its cursor to the head. */
export const IDLE_HEAD_CHECK_MS = 5 * 60_000;

/** How many recent block hashes are kept per source to detect reorganisations. */
export const KEPT_BLOCK_HASHES = 128n;

export function sourceId(network: Network, livemode: boolean): string {
  return `${network}:${livemode ? "live" : "test"}`;
}

async function settings(db: Executor) {
  const config = await getSystemConfig(db);
  return { partialGraceMinutes: config.paymentSettings.partialPaymentGraceMinutes };
}

function observe(adapter: ChainAdapter, transfer: ObservedTransfer, head: ChainHead): Observation {
  return { transfer, confirmations: transfer.block ? confirmationsOf(adapter, transfer.block.number, head) : null };
}

async function loadCursor(db: Executor, source: WatchSource) {
  const [cursor] = await db.select().from(chainCursors).where(eq(chainCursors.source, source.id));
  return cursor ?? null;
}

async function initCursor(db: Db, source: WatchSource, head: ChainHead, now: Date) {
  const start = source.startBlock !== undefined ? (source.startBlock > 0n ? source.startBlock - 1n : -1n) : head.number;
  const block = start >= 0n ? await source.adapter.block(start) : null;
  await db.transaction(async (tx) => {
    await tx
      .insert(chainCursors)
      .values({ source: source.id, network: source.network, lastBlock: start < 0n ? 0n : start, lastBlockHash: start < 0n ? null : (block?.hash ?? null), tipBlock: head.number, updatedAt: now })
      .onConflictDoNothing();
    if (block) await tx.insert(chainBlocks).values({ source: source.id, number: block.number, hash: block.hash, parentHash: block.parentHash, seenAt: now }).onConflictDoNothing();
  });
  return loadCursor(db, source);
}

/** How far below the cursor a node's head may be and still count as lagging (not a restarted chain). */
const LAGGING_NODE_BLOCKS = 64n;

/**
 * If the block stored at the cursor is no longer on the chain, walks back through the stored
 * hashes to the last block both agree on, orphans the payments mined above it and moves the
 * cursor back there. Returns the fork height, or null when nothing changed.
 *
 * Only a DIFFERENT hash at a height is a reorganisation. A node that does not have the cursor's
 * block yet (one behind the others of a load-balanced provider) is lagging: the poll waits for it.
 * A chain far shorter than the cursor restarted (a local dev node): it is read again from the
 * source's start.
 */
async function handleReorg(db: Db, source: WatchSource, cursor: { lastBlock: bigint; lastBlockHash: string | null }, now: Date): Promise<bigint | null> {
  if (!cursor.lastBlockHash) return null;
  const current = await source.adapter.block(cursor.lastBlock);
  if (current?.hash === cursor.lastBlockHash) return null;
  if (!current) {
    const head = await source.adapter.head();
    if (cursor.lastBlock - head.number <= LAGGING_NODE_BLOCKS) {
      throw new ChainSourceError(source.adapter.description, `the node is behind (head ${head.number}, cursor ${cursor.lastBlock}); waiting for it`);
    }
  }

  const stored = await db
    .select({ number: chainBlocks.number, hash: chainBlocks.hash })
    .from(chainBlocks)
    .where(and(eq(chainBlocks.source, source.id), lt(chainBlocks.number, cursor.lastBlock)))
    .orderBy(desc(chainBlocks.number));
  // The new cursor: the last block both agree on, or (none agrees) a block to read again from.
  let next: { lastBlock: bigint; lastBlockHash: string | null } | null = null;
  if (current) {
    for (const block of stored) {
      const onChain = await source.adapter.block(block.number);
      if (onChain?.hash === block.hash) {
        next = { lastBlock: block.number, lastBlockHash: block.hash };
        break;
      }
    }
  }
  if (!next) {
    // Deeper than every stored hash, or a restarted chain: read again from the source's start, or
    // from the oldest stored height (reading a block twice is harmless).
    next = { lastBlock: source.startBlock ?? stored.at(-1)?.number ?? cursor.lastBlock, lastBlockHash: null };
  }
  const keepUpTo = next.lastBlockHash ? next.lastBlock : next.lastBlock - 1n;

  const config = await settings(db);
  await db.transaction(async (tx) => {
    const orphaned = await paymentsAbove(tx, source, keepUpTo);
    await changePayments(tx, orphaned.map((p) => ({ paymentId: p.id, from: p.status, event: "block_orphaned" as const })), config, now);
    await tx.delete(chainBlocks).where(and(eq(chainBlocks.source, source.id), gt(chainBlocks.number, keepUpTo)));
    await tx
      .update(chainCursors)
      .set({ ...next, updatedAt: now })
      .where(and(eq(chainCursors.source, source.id), eq(chainCursors.lastBlock, cursor.lastBlock)));
  });
  return keepUpTo;
}

/** Applies one scanned range and moves the cursor, in one transaction. False if another poller moved it first. */
async function commitRange(
  db: Db,
  source: WatchSource,
  expectedLast: bigint,
  scanned: { blocks: BlockRef[]; transfers: ObservedTransfer[] },
  head: ChainHead,
  now: Date,
): Promise<ApplyReport | null> {
  const config = await settings(db);
  const last = scanned.blocks.at(-1)!;
  return db.transaction(async (tx) => {
    const [cursor] = await tx.select().from(chainCursors).where(eq(chainCursors.source, source.id)).for("update");
    if (!cursor || cursor.lastBlock !== expectedLast) return null;
    const report = await applyObservations(tx, source, scanned.transfers.map((t) => observe(source.adapter, t, head)), config, now);
    await tx
      .insert(chainBlocks)
      .values(scanned.blocks.map((b) => ({ source: source.id, number: b.number, hash: b.hash, parentHash: b.parentHash, seenAt: now })))
      .onConflictDoUpdate({ target: [chainBlocks.source, chainBlocks.number], set: { hash: sql`excluded.hash`, parentHash: sql`excluded.parent_hash`, seenAt: now } });
    await tx.delete(chainBlocks).where(and(eq(chainBlocks.source, source.id), lt(chainBlocks.number, last.number - KEPT_BLOCK_HASHES)));
    await tx
      .update(chainCursors)
      .set({ lastBlock: last.number, lastBlockHash: last.hash, tipBlock: head.number, updatedAt: now })
      .where(eq(chainCursors.source, source.id));
    return report;
  });
}

/**
 * Brings confirming payments' counts up to date, confirming those that have enough. Each one's
 * block is checked first: a payment recorded above the cursor (found again by a lookup after a
 * reorg) is in a block the reorg check has not stored, and that block may itself have been
 * replaced since; such a payment is orphaned here instead of gaining confirmations.
 */
async function refreshConfirmations(db: Db, source: WatchSource, head: ChainHead, now: Date): Promise<ApplyReport> {
  const open = await openPayments(db, source, ["confirming"]);
  const changes: { paymentId: string; from: PaymentStatus; event: PaymentEvent | null; confirmations: number }[] = [];
  const blocks = new Map<bigint, Promise<BlockRef | null>>();
  const blockAt = (n: bigint) => {
    if (!blocks.has(n)) blocks.set(n, source.adapter.block(n));
    return blocks.get(n)!;
  };
  const current = await Promise.all(open.map((p) => (p.blockNumber === null ? null : blockAt(p.blockNumber))));
  for (const [i, p] of open.entries()) {
    if (p.blockNumber === null) continue;
    if (current[i] === null) continue; // the node does not have that block yet: ask again next poll
    if (current[i]!.hash !== p.blockHash) {
      changes.push({ paymentId: p.id, from: p.status, event: "block_orphaned", confirmations: 0 });
      continue;
    }
    const { count, final } = confirmationsOf(source.adapter, p.blockNumber, head);
    const enough = count >= p.requiredConfirmations && final;
    // Counts only grow here; a block that left the chain is handled above.
    if (count <= p.confirmations && !enough) continue;
    changes.push({ paymentId: p.id, from: p.status, event: enough ? "sufficient_confirmations" : null, confirmations: count });
  }
  if (changes.length === 0) return emptyReport();
  const config = await settings(db);
  return db.transaction((tx) => changePayments(tx, changes, config, now));
}

/**
 * Orphaned payments and payments waiting in the mempool: asks the chain where each one is now.
 * Found in a block or waiting → recorded as such; gone (dropped, replaced) or reverted for longer
 * than `dropAfterMs` → failed.
 */
async function reexamine(db: Db, source: WatchSource, head: ChainHead, now: Date, dropAfterMs: number): Promise<ApplyReport> {
  const candidates = (await openPayments(db, source, ["orphaned", "detected"], 200)).filter((p) => p.status === "orphaned" || p.blockNumber === null);
  if (candidates.length === 0) return emptyReport();
  const observations: Observation[] = [];
  const failures: { paymentId: string; from: PaymentStatus; event: PaymentEvent; reason: string }[] = [];
  for (const p of candidates) {
    const found = await source.adapter.lookup({ txHash: p.txHash, index: p.index, asset: p.asset, toAddress: p.toAddress });
    if (found.state === "mined" || found.state === "mempool") {
      // Recorded as seen either way (an unchanged sighting only refreshes last_seen_at).
      observations.push(observe(source.adapter, found.transfer, head));
      continue;
    }
    // Gone or reverted for longer than the grace period since the chain last showed it: failed.
    if (found.state === "reverted" || now.getTime() - p.lastSeenAt.getTime() >= dropAfterMs) {
      const event: PaymentEvent = p.status === "orphaned" ? "transaction_dropped" : "transaction_failed";
      failures.push({ paymentId: p.id, from: p.status, event, reason: found.reason });
    }
  }
  const config = await settings(db);
  return db.transaction(async (tx) =>
    addReports(await applyObservations(tx, source, observations, config, now), await changePayments(tx, failures, config, now)),
  );
}

/** No address watched and no payment in flight on this source. */
async function isIdle(db: Db, source: WatchSource, watch: ReturnType<typeof invoiceWatchSet>): Promise<boolean> {
  if ((await watch.list(0)) === null) return false;
  return (await openPayments(db, source, ["detected", "confirming", "orphaned"], 1)).length === 0;
}

async function fastForward(db: Db, source: WatchSource, expectedLast: bigint, head: ChainHead, now: Date) {
  await db.transaction(async (tx) => {
    const [moved] = await tx
      .update(chainCursors)
      .set({ lastBlock: head.number, lastBlockHash: head.hash, tipBlock: head.number, lastPolledAt: now, lastError: null, lastErrorAt: null, updatedAt: now })
      .where(and(eq(chainCursors.source, source.id), eq(chainCursors.lastBlock, expectedLast)))
      .returning({ source: chainCursors.source });
    if (!moved) return;
    await tx.delete(chainBlocks).where(eq(chainBlocks.source, source.id));
    await tx.insert(chainBlocks).values({ source: source.id, number: head.number, hash: head.hash, parentHash: null, seenAt: now });
  });
}

async function recordError(db: Db, source: WatchSource, message: string, now: Date) {
  await db
    .update(chainCursors)
    .set({ lastError: message.slice(0, 1000), lastErrorAt: now, updatedAt: now })
    .where(eq(chainCursors.source, source.id));
}

/** One poll of one source. Never throws: failures are reported and stored on the cursor. */
export async function pollSource(db: Db, source: WatchSource, options: PollOptions = {}): Promise<PollReport> {
  const clock = options.now ?? (() => new Date());
  const base: PollReport = { ...emptyReport(), source: source.id, reorgs: 0 };
  let outcome: Awaited<ReturnType<typeof withSourceLock<PollReport>>>;
  try {
    outcome = await withSourceLock(db, `chain:${source.id}`, async () => {
    let report = base;
    const startedAt = clock();
    try {
      const watch = invoiceWatchSet(db, source, clock());
      const stored = await loadCursor(db, source);
      if (stored && !options.scanWhenIdle && (await isIdle(db, source, watch))) {
        // Nothing to find: follow the head without reading blocks, and only now and then, so an
        // unused network costs next to nothing. The first invoice is created after this point.
        const polled = stored.lastPolledAt?.getTime() ?? 0;
        if (clock().getTime() - polled < IDLE_HEAD_CHECK_MS) return { ...report, skipped: "idle" as const };
        const head = await source.adapter.head();
        await fastForward(db, source, stored.lastBlock, head, clock());
        return { ...report, head: head.number };
      }
      let head = await source.adapter.head();
      report.head = head.number;
      let cursor = stored ?? (await initCursor(db, source, head, clock()));
      if (!cursor) throw new Error("the cursor could not be created");

      let batches = 0;
      let mismatches = 0;
      for (;;) {
        const fork = await handleReorg(db, source, cursor, clock());
        if (fork !== null) {
          report.reorgs++;
          cursor = (await loadCursor(db, source))!;
        }
        const scannable = head.number - BigInt(source.adapter.scanLag ?? 0);
        if (cursor.lastBlock >= scannable && cursor.lastBlockHash !== null) break;
        if (options.maxBatches !== undefined && batches >= options.maxBatches) break;
        const from = cursor.lastBlockHash === null ? cursor.lastBlock : cursor.lastBlock + 1n;
        const limit = from + BigInt(source.adapter.maxBlocksPerScan) - 1n;
        const to = scannable < limit ? scannable : limit;
        if (from > to) break;
        const scanned = await source.adapter.scan(from, to, watch);
        if (scanned.blocks.length === 0) break;
        if (cursor.lastBlockHash !== null && scanned.blocks[0]!.parentHash !== cursor.lastBlockHash) {
          // The chain changed between the reorg check and the scan: check again, a few times.
          if (++mismatches > 3) {
            throw new ChainSourceError(source.adapter.description, `block ${from} keeps not following block ${cursor.lastBlock}; will retry at the next poll`);
          }
          head = await source.adapter.head();
          continue;
        }
        mismatches = 0;
        const applied = await commitRange(db, source, cursor.lastBlock, scanned, head, clock());
        if (!applied) break; // another poller moved the cursor
        report = { ...addReports(report, applied), source: report.source, reorgs: report.reorgs, head: head.number };
        report.scannedFrom ??= from;
        report.scannedTo = to;
        batches++;
        await options.onBatch?.({ from, to });
        cursor = (await loadCursor(db, source))!;
        if (cursor.lastBlock >= scannable) head = await source.adapter.head();
      }

      if (source.adapter.mempool) {
        const waiting = await source.adapter.mempool(watch);
        if (waiting.length > 0) {
          const config = await settings(db);
          const applied = await db.transaction((tx) => applyObservations(tx, source, waiting.map((t) => observe(source.adapter, t, head)), config, clock()));
          report = { ...report, ...addReports(report, applied) };
        }
      }
      report = { ...report, ...addReports(report, await refreshConfirmations(db, source, head, clock())) };
      report = { ...report, ...addReports(report, await reexamine(db, source, head, clock(), options.dropAfterMs ?? 10 * 60_000)) };
      await db
        .update(chainCursors)
        // lastPolledAt: the chain is known up to the moment this poll began (the expiry job relies on it).
        .set({ tipBlock: head.number, lastPolledAt: startedAt, lastError: null, lastErrorAt: null, updatedAt: clock() })
        .where(eq(chainCursors.source, source.id));
      return report;
    } catch (error) {
      const message =
        error instanceof ChainSourceError ? `${error.source}: ${error.message}` : error instanceof Error ? error.message : String(error);
      await recordError(db, source, message, clock()).catch(() => {});
      return { ...report, error: message };
    }
  });
  } catch (error) {
    // The database itself failed (taking the lock, or recording the error): report, never throw.
    return { ...base, error: `database: ${error instanceof Error ? error.message : String(error)}` };
  }
  return outcome.locked ? outcome.value : { ...base, skipped: "locked" };
}
