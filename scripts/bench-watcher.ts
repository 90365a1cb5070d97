/**
 * `npm run bench:watcher`: the Ethereum chain watcher (lib/jobs/poll-chains.ts `pollSource` with
 * lib/chains/evm/adapter.ts) against a real anvil node and a real PostgreSQL, with 100 and with
 * 100,000 open invoices watched.
 *
 *   1. per-block cost: the time one `pollSource` call takes to process one new block carrying 1 or
 *      100 matching transfers (USDT Transfer logs, or native ETH transactions) beside 50 transfers
 *      to unwatched addresses; 20 blocks per case after 5 warm-up blocks, split into head, block
 *      reads, scan (RPC and watch-set queries), apply (the range's transaction) and the rest
 *      (lock, cursor, confirmations refresh). Target: grows no more than 1.5x from the smallest
 *      to the largest watched set;
 *   2. detection latency: the worker's scheduler (lib/jobs/watcher.ts `startWatcher`, a poll every
 *      BENCH_POLL_INTERVAL_MS) runs while payments are mined one by one at random moments; measured
 *      from the moment `evm_mine` returned to the moment a separate connection, reading every 10 ms,
 *      sees the invoice's new status. Target: ≤ poll interval + 500 ms. At the largest size also
 *      with busy blocks (each payment beside 99 other matching transfers).
 *
 * Data: test-mode ETH and USDT invoices on ethereum (alternately) of one merchant, with the real
 * EIP-55 addresses its wallet derives at indexes 0..N-1 (derived in one child process per CPU and
 * checked on a sample against the app's `deriveAddress`), bulk-inserted by one set-based statement
 * with their locked exchange_rates rows; the larger set is the smaller one plus new invoices. Every
 * case pays the same invoices (indexes 0..99) in the same way at every size, so that only the
 * number watched differs. anvil runs with automine off: each block holds exactly the transactions
 * sent for it, and the run checks that each poll scanned one block and recorded every transfer.
 *
 * Env: BENCH_DATABASE_URL       admin URL of the server (default postgres://postgres:postgres@127.0.0.1:5432/postgres)
 *      BENCH_OPEN_INVOICES      watched-set sizes, ascending (default "100,100000")
 *      BENCH_BLOCKS             measured blocks per case (default 20)
 *      BENCH_UNWATCHED          transfers to unwatched addresses in every block (default 50)
 *      BENCH_POLL_INTERVAL_MS   the latency phase's poll interval (default 1000)
 *      BENCH_PAYMENTS           payments timed in the latency phase, per size (default 20)
 *      BENCH_BUSY_PAYMENTS      payments timed in busy blocks at the largest size (default 10; 0: skip)
 *      BENCH_KEEP_DB=1          keep the bench_watcher database afterwards
 * Writes nothing to disk besides the bench_watcher database (dropped at the end).
 */
import { databaseUrl, fmt, log, logMachine, machineTicks, msSince, nowNs, percentile, shuffle, sleep } from "./bench-common";
import { spawn } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { HDKey } from "@scure/bip32";
import { mnemonicToSeedSync } from "@scure/bip39";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { createPublicClient, createWalletClient, encodeFunctionData, http, toHex, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import type { Db } from "@/db";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import { merchants, systemConfiguration } from "@/db/schema";
import type { AuditContext } from "@/lib/audit";
import { deriveAddress, parseExtendedPublicKey, toChecksumAddress } from "@/lib/chains/addresses";
import { createEvmAdapter } from "@/lib/chains/evm/adapter";
import { ANVIL_FUNDED_KEY, startAnvil, type AnvilNode } from "@/lib/chains/evm/anvil";
import { TEST_USDT_ABI, deployTestToken } from "@/lib/chains/evm/test-token";
import type { ChainAdapter, WatchSet } from "@/lib/chains/types";
import { pollSource, type PollReport, type WatchSource } from "@/lib/jobs/poll-chains";
import { startWatcher } from "@/lib/jobs/watcher";
import { signUpMerchant } from "@/lib/merchants/accounts";
import { invoiceWatchSet } from "@/lib/payments/watch-set";
import { configureMerchantWallet } from "@/lib/merchants/wallets";
import { DEFAULT_SYSTEM_CONFIG, invalidateSystemConfig } from "@/lib/system-config";

// Ephemeral secrets so settings() neither reads nor creates .data/secrets.json.
process.env.AUTH_SECRET ||= randomBytes(32).toString("base64url");
process.env.ENCRYPTION_KEY ||= randomBytes(32).toString("base64");

const ADMIN_URL = process.env.BENCH_DATABASE_URL || "postgres://postgres:postgres@127.0.0.1:5432/postgres";
const DB_NAME = "bench_watcher";
const benchUrl = databaseUrl(ADMIN_URL, DB_NAME);
const SIZES = (process.env.BENCH_OPEN_INVOICES || "100,100000")
  .split(",")
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0)
  .sort((a, b) => a - b);
const BLOCKS = Number(process.env.BENCH_BLOCKS || 20);
const WARMUP_BLOCKS = 5;
const UNWATCHED = Number(process.env.BENCH_UNWATCHED || 50);
const POLL_INTERVAL_MS = Number(process.env.BENCH_POLL_INTERVAL_MS || 1000);
const PAYMENTS = Number(process.env.BENCH_PAYMENTS || 20);
const BUSY_PAYMENTS = Number(process.env.BENCH_BUSY_PAYMENTS ?? 10);
const MATCHING = [1, 100];
/** The invoices every case pays, in both sizes: the same 100 (indexes 0..99), so blocks are alike. */
const TARGET_POOL = Math.min(100, SIZES[0] ?? 100);
const TARGET_GROWTH = 1.5;
const TARGET_EXTRA_MS = 500;
/** Required confirmations of the invoices: the default tier for ethereum invoices up to $1,000. */
const CONFIRMATIONS = 6;
/** Every invoice: $50, so 50 USDT or 50/3400 ETH. Benchmark payments are tiny (the invoices stay partial). */
const USDT_AMOUNT = 50_000_000n;
const ETH_AMOUNT = 14_705_882_352_941_177n;
const USDT_PAYMENT = 100n;
const ETH_PAYMENT = 1_000_000_000n;
const TRANSFERS_PER_TOKEN_TX = 10;

const MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const MERCHANT_AUDIT: AuditContext = { actor: { type: "merchant" }, ipAddress: "198.51.100.7", userAgent: "bench-watcher" };


// ---------------------------------------------------------------------------------------------
// Helpers

const count = (n: number) => n.toLocaleString("en-US");

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.at(-1) ?? NaN,
    mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
  };
}

function busyPctSince(before: ReturnType<typeof machineTicks>): number {
  const after = machineTicks();
  return after && before && after.total > before.total ? ((after.busy - before.busy) / (after.total - before.total)) * 100 : NaN;
}

/** CPU ms used so far by every process with this command name (Linux /proc; NaN elsewhere). */
function processCpuMs(name: string): number {
  try {
    let ticks = 0;
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      } catch {
        continue; // exited meanwhile
      }
      const close = stat.lastIndexOf(")");
      if (stat.slice(stat.indexOf("(") + 1, close) !== name) continue;
      const fields = stat.slice(close + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    }
    return ticks * 10; // USER_HZ = 100
  } catch {
    return NaN;
  }
}

const randomAddress = () => `0x${randomBytes(20).toString("hex")}` as Address;

// ---------------------------------------------------------------------------------------------
// Address derivation, in one child process per CPU.

const DERIVE_ENV = "BENCH_WATCHER_DERIVE";

/**
 * The receive addresses m/…/0/i of an account xpub: BIP32 public derivation exactly as
 * lib/chains/addresses `deriveAddress` does it (the run checks a sample against it), but about 3x
 * faster for a bulk load: variable-time base-point multiplication (all inputs are public), no HDKey
 * object per child, and one field inversion per 256 addresses.
 */
function deriveRange(xpub: string, from: number, to: number): string[] {
  const receive = HDKey.fromExtendedKey(xpub).deriveChild(0);
  const publicKey = receive.publicKey!;
  const chainCode = receive.chainCode!;
  const { Point } = secp256k1;
  const parent = Point.fromBytes(publicKey);
  const data = Buffer.alloc(37);
  data.set(publicKey, 0);
  const xy = new Uint8Array(64);
  const out: string[] = [];
  for (let start = from; start < to; start += 256) {
    const points = [];
    for (let i = start; i < Math.min(to, start + 256); i++) {
      data.writeUInt32BE(i, 33);
      const tweak = BigInt(`0x${createHmac("sha512", chainCode).update(data).digest().subarray(0, 32).toString("hex")}`);
      if (tweak === 0n || tweak >= Point.Fn.ORDER) throw new Error(`index ${i} has no valid key`); // p ≈ 2^-127
      points.push(parent.add(Point.BASE.multiplyUnsafe(tweak)));
    }
    const inverted = Point.Fp.invertBatch(points.map((p) => p.Z));
    for (const [k, point] of points.entries()) {
      const { x, y } = point.toAffine(inverted[k]);
      xy.set(Point.Fp.toBytes(x), 0);
      xy.set(Point.Fp.toBytes(y), 32);
      out.push(toChecksumAddress(bytesToHex(keccak_256(xy).subarray(-20))));
    }
  }
  return out;
}

function deriveInChild(xpub: string, from: number, to: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    // Same interpreter and loader flags (tsx) as this process, same script, in derivation mode.
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      env: { ...process.env, [DERIVE_ENV]: JSON.stringify({ xpub, from, to }) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d: string) => (out += d));
    child.once("error", reject);
    child.once("exit", (code) => {
      const addresses = out.split("\n").filter(Boolean);
      if (code !== 0 || addresses.length !== to - from) reject(new Error(`derivation ${from}..${to} failed (exit ${code}, ${addresses.length} addresses)`));
      else resolve(addresses);
    });
  });
}

async function deriveAll(xpub: string, n: number): Promise<string[]> {
  const workers = Math.max(1, Math.min(os.cpus().length, Math.ceil(n / 5000)));
  if (workers === 1) return deriveRange(xpub, 0, n);
  const step = Math.ceil(n / workers);
  const parts = await Promise.all(Array.from({ length: workers }, (_, k) => deriveInChild(xpub, k * step, Math.min(n, (k + 1) * step))));
  return parts.flat();
}

// ---------------------------------------------------------------------------------------------
// The chain: anvil with automine off, the test USDT, raw JSON-RPC batches for speed.

type Chain = Awaited<ReturnType<typeof startChain>>;

async function startChain() {
  const node: AnvilNode = await startAnvil();
  const chain = { ...foundry, rpcUrls: { default: { http: [node.url] } } };
  const account = privateKeyToAccount(ANVIL_FUNDED_KEY);
  const client = createPublicClient({ chain, transport: http(node.url), cacheTime: 0, pollingInterval: 50 });
  const wallet = createWalletClient({ chain, transport: http(node.url), account });
  const token = await deployTestToken(wallet, client);
  const mint = await wallet.writeContract({ address: token, abi: TEST_USDT_ABI, functionName: "mint", args: [account.address, 10n ** 15n] });
  await client.waitForTransactionReceipt({ hash: mint, pollingInterval: 20 });

  let id = 0;
  async function rpc<T = unknown>(calls: { method: string; params: unknown[] }[]): Promise<T[]> {
    if (calls.length === 0) return [];
    const body = calls.map((c) => ({ jsonrpc: "2.0", id: ++id, method: c.method, params: c.params }));
    const res = await fetch(node.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const answers = (await res.json()) as { id: number; result?: T; error?: { message: string } }[];
    const byId = new Map(answers.map((a) => [a.id, a]));
    return body.map((b) => {
      const a = byId.get(b.id);
      if (!a || a.error) throw new Error(`${b.method}: ${a?.error?.message ?? "no answer"}`);
      return a.result as T;
    });
  }
  const call = async <T = unknown>(method: string, params: unknown[] = []) => (await rpc<T>([{ method, params }]))[0]!;

  await call("evm_setAutomine", [false]);
  let nonce = Number(BigInt(await call<Hex>("eth_getTransactionCount", [account.address, "pending"])));
  const fees = { maxFeePerGas: toHex(100_000_000_000n), maxPriorityFeePerGas: toHex(1_000_000_000n) };

  type Tx = { to: Address; value?: bigint; data?: Hex; gas: bigint };
  /** Sends the transactions (anvil's unlocked account 0, explicit nonces) in one JSON-RPC batch; they wait for `mine`. */
  async function send(txs: Tx[]): Promise<Hex[]> {
    return rpc<Hex>(
      txs.map((tx) => ({
        method: "eth_sendTransaction",
        params: [{ from: account.address, to: tx.to, value: toHex(tx.value ?? 0n), data: tx.data ?? "0x", gas: toHex(tx.gas), nonce: toHex(nonce++), ...fees }],
      })),
    );
  }
  const eth = (to: string, wei: bigint): Tx => ({ to: to as Address, value: wei, gas: 21_000n });
  const usdtMany = (transfers: { to: string; units: bigint }[]): Tx => ({
    to: token,
    data: encodeFunctionData({ abi: TEST_USDT_ABI, functionName: "transferMany", args: [transfers.map((t) => t.to as Address), transfers.map((t) => t.units)] }),
    gas: 60_000n + 40_000n * BigInt(transfers.length),
  });

  /** Mines one block with everything pending; checks that it holds `expectTxs` transactions, all successful. */
  async function mine(expectTxs: number): Promise<{ number: bigint; minedAt: bigint }> {
    await call("evm_mine");
    const minedAt = nowNs();
    const block = await call<{ number: Hex; transactions: Hex[] }>("eth_getBlockByNumber", ["latest", false]);
    if (block.transactions.length !== expectTxs) throw new Error(`block ${BigInt(block.number)} holds ${block.transactions.length} transactions, expected ${expectTxs}`);
    if (expectTxs > 0) {
      const receipts = await rpc<{ status: Hex }>(block.transactions.map((h) => ({ method: "eth_getTransactionReceipt", params: [h] })));
      const failed = receipts.filter((r) => r.status !== "0x1").length;
      if (failed > 0) throw new Error(`${failed} transactions of block ${BigInt(block.number)} reverted`);
    }
    return { number: BigInt(block.number), minedAt };
  }

  return { node, url: node.url, token, send, eth, usdtMany, mine, call, stop: () => node.stop() };
}

// ---------------------------------------------------------------------------------------------
// A timing wrapper around the adapter: where each poll spends its time.

type PollTimes = { headMs: number; blockReadsMs: number; scanMs: number; watchDbMs: number; applyMs: number; lastScanEnd: bigint };

/**
 * Wraps calls that may overlap (the confirmations refresh reads several blocks at once): adds to
 * the total the wall time during which at least one call was running, not the sum of their times.
 */
function wallClock(add: (ms: number) => void) {
  let inflight = 0;
  let since = 0n;
  return async <T>(call: () => Promise<T>): Promise<T> => {
    if (inflight++ === 0) since = nowNs();
    try {
      return await call();
    } finally {
      if (--inflight === 0) add(msSince(since));
    }
  };
}

function timedAdapter(base: ChainAdapter, t: PollTimes): ChainAdapter {
  const head = wallClock((ms) => (t.headMs += ms));
  const block = wallClock((ms) => (t.blockReadsMs += ms));
  const watchDb = wallClock((ms) => (t.watchDbMs += ms));
  const scan = wallClock((ms) => {
    t.scanMs += ms;
    t.lastScanEnd = nowNs();
  });
  const timedWatch = (watch: WatchSet): WatchSet => ({
    match: (candidates) => watchDb(() => watch.match(candidates)),
    list: (limit) => watchDb(() => watch.list(limit)),
  });
  return {
    ...base,
    head: () => head(() => base.head()),
    block: (number) => block(() => base.block(number)),
    scan: (from, to, watch) => scan(() => base.scan(from, to, timedWatch(watch))),
  };
}

/**
 * Counts the SQL statements drizzle sends, through its logger hook (set on the session, which
 * transactions copy). Not counted: BEGIN/COMMIT and the advisory lock's two statements per poll.
 */
const statements = { n: 0, counting: false };
function countStatements(db: Db): void {
  const session = (db as unknown as { session?: { logger?: unknown; options?: { logger?: unknown } } }).session;
  if (!session?.options) return;
  const logger = { logQuery: () => void statements.n++ };
  session.logger = logger;
  session.options.logger = logger;
  statements.counting = true;
}

// ---------------------------------------------------------------------------------------------
// Data

type Asset = "USDT" | "ETH";
type Target = { id: string; address: string; index: number };

/** One set-based statement: `addresses[k]` becomes invoice index offset+k with its locked rate. */
async function insertInvoices(sqlc: postgres.Sql, merchantId: string, addresses: string[], offset: number): Promise<void> {
  await sqlc`
    with src as materialized (
      select a.address, (a.ord - 1 + ${offset}::int)::int as idx, gen_random_uuid() as rate_id,
             case when (a.ord - 1 + ${offset}::int) % 2 = 0 then 'USDT' else 'ETH' end as crypto
      from unnest(${addresses}::text[]) with ordinality as a(address, ord)
    ),
    rates as (
      insert into exchange_rates (id, from_currency, to_currency, rate, source, locked_at, expires_at)
      select rate_id, 'USD', crypto::crypto_currency, case crypto when 'USDT' then 1 else 3400 end,
             'median(bench)', now(), now() + interval '15 minutes'
      from src
    )
    insert into invoices (
      merchant_id, livemode, reference, title, status, exception, fiat_currency,
      subtotal_minor, tax_minor, total_minor, crypto_currency, network, crypto_amount, amount_received,
      exchange_rate_id, payment_address, derivation_index, address_generated_at,
      underpayment_threshold_bps, overpayment_threshold_bps, overpayment_action, required_confirmations,
      metadata, expires_at, created_at, updated_at)
    select ${merchantId}::uuid, false, 'bench_' || idx, 'Order #' || idx, 'pending', 'none', 'USD',
      5000, 0, 5000, crypto::crypto_currency, 'ethereum',
      case crypto when 'USDT' then ${USDT_AMOUNT.toString()}::numeric else ${ETH_AMOUNT.toString()}::numeric end, 0,
      rate_id, address, idx, now(),
      50, 100, 'credit', ${CONFIRMATIONS}::int,
      '{}'::jsonb, now() + interval '3 hours', now(), now()
    from src`;
  await sqlc`update merchant_wallets set next_index = ${offset + addresses.length} where merchant_id = ${merchantId}::uuid and network = 'ethereum' and mode = 'test'`;
}

/**
 * The invoices the cases pay, the same at every size: those of the first TARGET_POOL indexes in
 * `asset` (even indexes are USDT invoices, odd ones ETH), so a block's work does not depend on the
 * size. With 100, a block of 100 matching transfers pays each of the 50 invoices twice.
 */
async function targetPool(sqlc: postgres.Sql, asset: Asset): Promise<Target[]> {
  const rows = (await sqlc`
    select id, payment_address, derivation_index from invoices
    where network = 'ethereum' and livemode = false and derivation_index < ${TARGET_POOL} and crypto_currency = ${asset}
    order by derivation_index`) as unknown as { id: string; payment_address: string; derivation_index: number }[];
  return rows.map((r) => ({ id: r.id, address: r.payment_address, index: r.derivation_index }));
}

// ---------------------------------------------------------------------------------------------
// Measurements

type BlockSample = {
  totalMs: number;
  headMs: number;
  /** adapter.block(): the reorg check at the cursor, and the confirmations refresh's check of each payment's block. */
  blockReadsMs: number;
  scanRpcMs: number;
  watchDbMs: number;
  applyMs: number;
  restMs: number;
  nodeCpuMs: number;
  pgCpuMs: number;
  anvilCpuMs: number;
  paymentsChanged: number;
  statements: number;
};

type CaseResult = { size: number; asset: Asset; matching: number; txs: number; samples: BlockSample[]; errors: string[] };

type Bench = {
  db: Db;
  sqlc: postgres.Sql;
  chain: Chain;
  source: WatchSource;
  times: PollTimes;
};

/** One timed `pollSource` call (the adapter wrapper splits the time). */
async function timedPoll(b: Bench): Promise<{ report: PollReport; sample: BlockSample }> {
  Object.assign(b.times, { headMs: 0, blockReadsMs: 0, scanMs: 0, watchDbMs: 0, applyMs: 0, lastScanEnd: 0n });
  const cpu0 = process.cpuUsage();
  const pg0 = processCpuMs("postgres");
  const anvil0 = processCpuMs("anvil");
  const n0 = statements.n;
  const t0 = nowNs();
  const report = await pollSource(b.db, b.source, {
    onBatch: () => {
      b.times.applyMs += msSince(b.times.lastScanEnd);
    },
  });
  const totalMs = msSince(t0);
  const cpu = process.cpuUsage(cpu0);
  const t = b.times;
  return {
    report,
    sample: {
      totalMs,
      headMs: t.headMs,
      blockReadsMs: t.blockReadsMs,
      scanRpcMs: t.scanMs - t.watchDbMs,
      watchDbMs: t.watchDbMs,
      applyMs: t.applyMs,
      restMs: totalMs - t.headMs - t.blockReadsMs - t.scanMs - t.applyMs,
      nodeCpuMs: (cpu.user + cpu.system) / 1000,
      pgCpuMs: processCpuMs("postgres") - pg0,
      anvilCpuMs: processCpuMs("anvil") - anvil0,
      paymentsChanged: report.paymentsChanged,
      statements: statements.counting ? statements.n - n0 : NaN,
    },
  };
}

/** Mines empty blocks and polls until no payment is left confirming, then refreshes statistics. */
async function settle(b: Bench): Promise<void> {
  await b.chain.call("anvil_mine", [toHex(CONFIRMATIONS)]);
  for (let i = 0; i < 20; i++) {
    const report = await pollSource(b.db, b.source);
    if (report.error) throw new Error(`poll failed while settling: ${report.error}`);
    const [row] = (await b.sqlc`select count(*)::int as n from payments where status in ('detected', 'confirming', 'orphaned')`) as unknown as [{ n: number }];
    if (row.n === 0) break;
  }
  // autovacuum is off on the benchmark server: keep the planner's statistics current, as it would.
  await b.sqlc`analyze`;
}

/** Builds, sends and mines one block: `matching` transfers to targets (starting at `cursor`) plus UNWATCHED others. */
async function mineBlock(b: Bench, asset: Asset, matching: number, targets: Target[], cursor: number): Promise<number> {
  const transfers = shuffle([
    ...Array.from({ length: matching }, (_, j) => ({ to: targets[(cursor + j) % targets.length]!.address })),
    ...Array.from({ length: UNWATCHED }, () => ({ to: randomAddress() as string })),
  ]);
  const txs =
    asset === "ETH"
      ? transfers.map((t) => b.chain.eth(t.to, ETH_PAYMENT))
      : Array.from({ length: Math.ceil(transfers.length / TRANSFERS_PER_TOKEN_TX) }, (_, k) =>
          b.chain.usdtMany(transfers.slice(k * TRANSFERS_PER_TOKEN_TX, (k + 1) * TRANSFERS_PER_TOKEN_TX).map((t) => ({ to: t.to, units: USDT_PAYMENT }))),
        );
  await b.chain.send(txs);
  await b.chain.mine(txs.length);
  return txs.length;
}

async function runCase(b: Bench, size: number, asset: Asset, matching: number, targets: Target[]): Promise<CaseResult> {
  const result: CaseResult = { size, asset, matching, txs: 0, samples: [], errors: [] };
  let cursor = 0;
  for (let i = 0; i < WARMUP_BLOCKS + BLOCKS; i++) {
    result.txs = await mineBlock(b, asset, matching, targets, cursor);
    cursor += matching;
    const { report, sample } = await timedPoll(b);
    const problem = report.error
      ? `poll error: ${report.error}`
      : report.scannedTo === undefined || report.scannedFrom !== report.scannedTo
        ? `scanned ${report.scannedFrom}..${report.scannedTo}, expected exactly one block`
        : report.paymentsRecorded !== matching || report.unmatched !== 0
          ? `recorded ${report.paymentsRecorded} payments (unmatched ${report.unmatched}), expected ${matching}`
          : null;
    if (problem) result.errors.push(`block ${i}: ${problem}`);
    if (i >= WARMUP_BLOCKS) result.samples.push(sample);
  }
  await settle(b);
  const s = summary(result.samples.map((x) => x.totalMs));
  const m = (k: keyof BlockSample) => fmt(summary(result.samples.map((x) => x[k])).p50);
  const mean = (k: keyof BlockSample) => fmt(summary(result.samples.map((x) => x[k])).mean);
  log(
    `  ${asset.padEnd(4)} ${String(matching).padStart(3)} matching + ${UNWATCHED} others (${result.txs} txs): ` +
      `p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms, max ${fmt(s.max)} ms` +
      (result.errors.length ? ` — ${result.errors.length} ERRORS, first: ${result.errors[0]}` : ""),
  );
  log(
    `        p50 parts: head ${m("headMs")}, block reads ${m("blockReadsMs")}, scan RPC ${m("scanRpcMs")}, watch-set DB ${m("watchDbMs")}, ` +
      `apply ${m("applyMs")}, rest ${m("restMs")} ms; per block: ${mean("statements")} SQL statements, ${mean("paymentsChanged")} confirmation updates; ` +
      `CPU/block: Node ${mean("nodeCpuMs")}, PostgreSQL ${mean("pgCpuMs")}, anvil ${mean("anvilCpuMs")} ms`,
  );
  return result;
}

type LatencyResult = { size: number; busy: number; latencies: number[]; polls: number[]; errors: string[] };

/**
 * The worker's scheduler (`startWatcher`: poll, expire invoices, then sleep POLL_INTERVAL_MS) runs
 * while `count` payments are mined one by one at random moments. Each payment pays the remainder
 * of a pool invoice not yet paid in full (pending or partial → confirming); with `busy` > 0 its
 * block also carries that many other matching transfers to pool invoices.
 */
async function latencyPhase(b: Bench, size: number, count: number, busy: number): Promise<LatencyResult> {
  const targets = (await b.sqlc`
    select id, payment_address as address, derivation_index as index, crypto_currency::text as asset,
           (crypto_amount - amount_received)::text as remaining
    from invoices
    where network = 'ethereum' and livemode = false and derivation_index < ${TARGET_POOL} and status in ('pending', 'partial')
    order by derivation_index limit ${count}`) as unknown as (Target & { asset: Asset; remaining: string })[];
  if (targets.length < count) throw new Error(`only ${targets.length} unpaid invoices left in the pool for the latency phase`);
  const pools = { USDT: await targetPool(b.sqlc, "USDT"), ETH: await targetPool(b.sqlc, "ETH") };
  const watcher = postgres(benchUrl, { max: 1, onnotice: () => {} });
  const polls: number[] = [];
  const errors: string[] = [];
  // The worker's own scheduler (lib/jobs/watcher.ts): poll, expire invoices, sleep the interval.
  let tickStart = nowNs();
  const watcherLoop = startWatcher(b.db, {
    intervalMs: POLL_INTERVAL_MS,
    sources: async () => {
      tickStart = nowNs();
      return [b.source];
    },
    onTick: (tick) => {
      polls.push(msSince(tickStart));
      for (const p of tick.polls) if (p.error) errors.push(`poll error: ${p.error}`);
      if ("error" in tick.expiry) errors.push(`expiry error: ${tick.expiry.error}`);
    },
  });
  const latencies: number[] = [];
  try {
    await sleep(POLL_INTERVAL_MS); // the scheduler is in its rhythm
    for (const [k, target] of targets.entries()) {
      const remaining = BigInt(target.remaining);
      const others = pools[target.asset].filter((t) => t.id !== target.id);
      const extra = Array.from({ length: busy }, (_, j) => others[j % others.length]!.address);
      const txs =
        target.asset === "ETH"
          ? [b.chain.eth(target.address, remaining), ...extra.map((to) => b.chain.eth(to, ETH_PAYMENT))]
          : [
              b.chain.usdtMany([{ to: target.address, units: remaining }]),
              ...Array.from({ length: Math.ceil(extra.length / TRANSFERS_PER_TOKEN_TX) }, (_, i) =>
                b.chain.usdtMany(extra.slice(i * TRANSFERS_PER_TOKEN_TX, (i + 1) * TRANSFERS_PER_TOKEN_TX).map((to) => ({ to, units: USDT_PAYMENT }))),
              ),
            ];
      await b.chain.send(txs);
      await sleep(Math.random() * POLL_INTERVAL_MS); // a random moment of the poll cycle
      const { minedAt } = await b.chain.mine(txs.length);
      const deadline = minedAt + BigInt((POLL_INTERVAL_MS + 15_000) * 1e6);
      for (;;) {
        const [row] = (await watcher`select status::text as status from invoices where id = ${target.id}::uuid`) as unknown as [{ status: string }];
        if (row.status !== "pending" && row.status !== "partial") {
          latencies.push(msSince(minedAt));
          if (row.status !== "confirming") errors.push(`payment ${k}: invoice went to ${row.status}, expected confirming`);
          break;
        }
        if (nowNs() > deadline) {
          errors.push(`payment ${k}: not detected within ${POLL_INTERVAL_MS + 15_000} ms`);
          break;
        }
        await sleep(10);
      }
    }
  } finally {
    await watcherLoop.stop();
    await watcher.end({ timeout: 5 });
  }
  await settle(b);
  const s = summary(latencies);
  const p = summary(polls);
  log(
    `  detection latency, ${latencyLabel(busy)}, ${s.n} payments (poll every ${POLL_INTERVAL_MS} ms): ` +
      `p50 ${fmt(s.p50, 0)} ms, p95 ${fmt(s.p95, 0)} ms, max ${fmt(s.max, 0)} ms` +
      (errors.length ? ` — ${errors.length} ERRORS, first: ${errors[0]}` : ""),
  );
  log(`        ${p.n} ticks (poll + expiry) during the phase: p50 ${fmt(p.p50)} ms, p95 ${fmt(p.p95)} ms, max ${fmt(p.max)} ms`);
  return { size, busy, latencies, polls, errors };
}

const latencyLabel = (busy: number) => (busy > 0 ? `busy blocks (the payment + ${busy} other matching transfers)` : "one payment per block");

// ---------------------------------------------------------------------------------------------

async function main() {
  if (SIZES.length === 0) throw new Error("BENCH_OPEN_INVOICES names no size");
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  let handle: DatabaseHandle | null = null;
  let chain: Chain | null = null;
  let sqlc: postgres.Sql | null = null;
  const started = nowNs();
  try {
    const machine = await logMachine(admin, log, fmt);
    const loadAvg = () => os.loadavg().map((x) => fmt(x)).join(" / ");
    const idle = machineTicks();
    await sleep(3000);
    const background = busyPctSince(idle);
    log(
      `  idle CPU  machine ${fmt(background, 0)}% busy over 3 s before starting (load avg ${loadAvg()})` +
        (background > 15 ? " — WARNING: something else is using the CPU, figures will be noisy" : ""),
    );
    const settings = (await admin`
      select name, setting from pg_settings where name in ('shared_buffers', 'synchronous_commit', 'autovacuum', 'jit')`) as unknown as { name: string; setting: string }[];
    log(`  postgres  ${settings.map((s) => `${s.name}=${s.setting}`).join(", ")}`);

    // 1. Database, merchant, wallet; address derivation and the chain meanwhile.
    const largest = SIZES.at(-1)!;
    log(`\nSetup (${DB_NAME}; sizes ${SIZES.map(count).join(", ")}; ${BLOCKS} measured + ${WARMUP_BLOCKS} warm-up blocks per case)`);
    let t0 = nowNs();
    const xpub = HDKey.fromMasterSeed(mnemonicToSeedSync(MNEMONIC)).derive("m/44'/60'/0'").publicExtendedKey;
    const deriving = (async () => {
      const t = nowNs();
      const addresses = await deriveAll(xpub, largest);
      return { addresses, ms: msSince(t) };
    })();
    const chainStarting = (async () => {
      const t = nowNs();
      const c = await startChain();
      return { chain: c, ms: msSince(t) };
    })();
    await admin.unsafe(`drop database if exists "${DB_NAME}" with (force)`);
    await admin.unsafe(`create database "${DB_NAME}"`);
    handle = await openDatabase({ url: benchUrl, poolMax: 10 });
    const db = handle.db;
    countStatements(db);
    await db.insert(systemConfiguration).values({ ...DEFAULT_SYSTEM_CONFIG, exchangeRateProviders: [{ id: "static", enabled: false, priority: 1 }] });
    invalidateSystemConfig(db);
    const principal = await signUpMerchant(db, { businessName: "Bench merchant", contactEmail: `bench-${Date.now()}@example.com`, password: "a-long-merchant-password" });
    const merchantId = principal.merchantId;
    await db.update(merchants).set({ status: "active", planType: "pro" }).where(eq(merchants.id, merchantId));
    await configureMerchantWallet(db, merchantId, { network: "ethereum", mode: "test", extendedPublicKey: xpub }, MERCHANT_AUDIT);
    log(`  database created and migrated, merchant and its ethereum test wallet in ${fmt(msSince(t0) / 1000, 1)} s`);

    const started2 = await chainStarting;
    chain = started2.chain;
    const anvilProcess = chain.node.process;
    process.once("exit", () => anvilProcess.kill("SIGTERM")); // should the run die without its finally

    log(`  anvil started (automine off), TestUSDT deployed at ${chain.token} in ${fmt(started2.ms / 1000, 1)} s`);
    const { addresses, ms: deriveMs } = await deriving;
    if (new Set(addresses).size !== addresses.length) throw new Error("derived addresses are not unique");
    const parsed = parseExtendedPublicKey("ethereum", xpub, { testnet: true });
    const sample = [...Array.from({ length: Math.min(largest, 100) }, (_, i) => i), ...Array.from({ length: Math.floor(largest / 997) }, (_, k) => k * 997 + 500), largest - 1];
    for (const i of sample.filter((i) => i < largest)) {
      if (deriveAddress(parsed, i) !== addresses[i]) throw new Error(`address ${i} does not match the app's deriveAddress`);
    }
    log(
      `  ${count(largest)} addresses derived (indexes 0..${largest - 1}, EIP-55, all distinct) in ${fmt(deriveMs / 1000, 1)} s; ` +
        `${sample.filter((i) => i < largest).length} of them checked against the app's deriveAddress`,
    );

    sqlc = postgres(benchUrl, { max: 1, onnotice: () => {} });
    const times: PollTimes = { headMs: 0, blockReadsMs: 0, scanMs: 0, watchDbMs: 0, applyMs: 0, lastScanEnd: 0n };
    const adapter = timedAdapter(createEvmAdapter({ rpcUrl: chain.url, usdtContract: chain.token }), times);
    const source: WatchSource = { id: "ethereum:test", network: "ethereum", livemode: false, adapter };
    const b: Bench = { db, sqlc, chain, source, times };
    const first = await pollSource(db, source); // creates the cursor at the head
    if (first.error) throw new Error(first.error);

    // 2. Per size: load up to the size, then the cases and the latency phase.
    const results: (CaseResult & { phase: number })[] = [];
    const latencies: LatencyResult[] = [];
    let loaded = 0;
    for (const [phase, size] of SIZES.entries()) {
      t0 = nowNs();
      await insertInvoices(sqlc, merchantId, addresses.slice(loaded, size), loaded);
      const insertMs = msSince(t0);
      t0 = nowNs();
      await sqlc`vacuum (analyze) invoices`;
      await sqlc`vacuum (analyze) exchange_rates`;
      await sqlc`checkpoint`;
      loaded = size;
      const [c] = (await sqlc`
        select count(*)::int as watched,
               count(*) filter (where status in ('pending', 'partial', 'confirming'))::int as open,
               count(*) filter (where crypto_currency = 'USDT')::int as usdt,
               pg_size_pretty(pg_total_relation_size('invoices')) as size
        from invoices where network = 'ethereum' and livemode = false`) as unknown as [{ watched: number; open: number; usdt: number; size: string }];
      log(
        `\n${count(size)} open invoices (${count(c.open)} open, ${count(c.watched)} watched, ${count(c.usdt)} in USDT; invoices table ${c.size}); ` +
          `inserted in ${fmt(insertMs / 1000, 1)} s, vacuum analyze + checkpoint ${fmt(msSince(t0) / 1000, 1)} s`,
      );
      log(`  watch.list(200) → ${(await invoiceWatchSetProbe(b))}`);
      for (const asset of ["USDT", "ETH"] as const) {
        const targets = await targetPool(sqlc, asset);
        for (const matching of MATCHING) results.push({ ...(await runCase(b, size, asset, matching, targets)), phase });
      }
      latencies.push(await latencyPhase(b, size, PAYMENTS, 0));
      if (phase === SIZES.length - 1 && BUSY_PAYMENTS > 0) latencies.push(await latencyPhase(b, size, BUSY_PAYMENTS, 99));
    }

    // 3. Summary.
    const mark = (ok: boolean) => (ok ? "OK" : "MISSED");
    log(`\nSummary — per-block cost (pollSource processing one new block; ${BLOCKS} blocks per case, after ${WARMUP_BLOCKS} warm-up blocks)`);
    log("| Open invoices | Block | Txs | p50 ms | p95 ms | max ms | scan RPC p50 | watch-set DB p50 | apply p50 | rest p50 | SQL statements | errors |");
    log("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (const r of results) {
      const p = (k: keyof BlockSample) => fmt(summary(r.samples.map((x) => x[k])).p50);
      const s = summary(r.samples.map((x) => x.totalMs));
      log(
        `| ${count(r.size)} | ${r.matching} ${r.asset} + ${UNWATCHED} others | ${r.txs} | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.max)} | ` +
          `${p("scanRpcMs")} | ${p("watchDbMs")} | ${p("applyMs")} | ${p("restMs")} | ${fmt(summary(r.samples.map((x) => x.statements)).mean, 0)} | ${r.errors.length} |`,
      );
    }
    const smallest = SIZES[0]!;
    let growthOk = true;
    if (SIZES.length > 1) {
      log(`\nGrowth of the per-block cost from ${count(smallest)} to ${count(largest)} open invoices (p50 / p50; target ≤ ${TARGET_GROWTH}x)`);
      log("| Block | p50 small | p50 large | ratio | p95 ratio | |");
      log("|---|---|---|---|---|---|");
      for (const asset of ["USDT", "ETH"] as const) {
        for (const matching of MATCHING) {
          const at = (phase: number) => results.find((r) => r.phase === phase && r.asset === asset && r.matching === matching)!;
          const a = summary(at(0).samples.map((x) => x.totalMs));
          const z = summary(at(SIZES.length - 1).samples.map((x) => x.totalMs));
          const ratio = z.p50 / a.p50;
          growthOk &&= ratio <= TARGET_GROWTH;
          log(`| ${matching} ${asset} | ${fmt(a.p50)} ms | ${fmt(z.p50)} ms | ${fmt(ratio)}x | ${fmt(z.p95 / a.p95)}x | ${mark(ratio <= TARGET_GROWTH)} |`);
        }
      }
    }
    const latencyTarget = POLL_INTERVAL_MS + TARGET_EXTRA_MS;
    let latencyOk = true;
    log(`\nDetection latency (mined block → invoice status in the database; poll every ${POLL_INTERVAL_MS} ms; target ≤ ${latencyTarget} ms)`);
    log("| Open invoices | Blocks | Payments | p50 ms | p95 ms | max ms | tick p50 / max ms | errors | |");
    log("|---|---|---|---|---|---|---|---|---|");
    for (const l of latencies) {
      const s = summary(l.latencies);
      const p = summary(l.polls);
      const ok = s.n === (l.busy > 0 ? BUSY_PAYMENTS : PAYMENTS) && s.max <= latencyTarget && l.errors.length === 0;
      latencyOk &&= ok;
      log(
        `| ${count(l.size)} | ${latencyLabel(l.busy)} | ${s.n} | ${fmt(s.p50, 0)} | ${fmt(s.p95, 0)} | ${fmt(s.max, 0)} | ` +
          `${fmt(p.p50)} / ${fmt(p.max)} | ${l.errors.length} | ${mark(ok)} |`,
      );
    }
    const errors = results.reduce((n, r) => n + r.errors.length, 0);
    log(`\nmachine: ${machine.cpu}, ${machine.ram} RAM, Node ${machine.node}, ${machine.postgres.split(" on ")[0]}; load avg now ${loadAvg()}`);
    log(`total run time ${fmt(msSince(started) / 1000, 0)} s; block errors ${errors}`);
    if (!growthOk) log(`MISSED: per-block cost grew more than ${TARGET_GROWTH}x`);
    if (!latencyOk) log(`MISSED: detection latency above ${latencyTarget} ms (or payments not detected)`);
    if (errors > 0) log(`ERRORS: ${errors} blocks were not processed as expected`);
  } finally {
    if (sqlc) await sqlc.end({ timeout: 5 });
    if (chain) await chain.stop();
    if (handle) await handle.close();
    if (process.env.BENCH_KEEP_DB === "1") {
      log(`\nkept database ${DB_NAME} (BENCH_KEEP_DB=1)`);
    } else {
      await admin.unsafe(`drop database if exists "${DB_NAME}" with (force)`).catch((e: unknown) => console.error(e));
    }
    await admin.end({ timeout: 5 });
  }
}

/** What the adapter learns from the watch set at this size: the address list (≤ 200) or "too many". */
async function invoiceWatchSetProbe(b: Bench): Promise<string> {
  const t0 = nowNs();
  const listed = await invoiceWatchSet(b.db, b.source, new Date()).list(200);
  const ms = msSince(t0);
  return listed
    ? `${listed.length} addresses in ${fmt(ms)} ms: USDT logs filtered by the "to" topic`
    : `null (more than 200) in ${fmt(ms)} ms: USDT logs fetched unfiltered and matched in the database`;
}

if (process.env[DERIVE_ENV]) {
  // Child process: derive a range of addresses and print them, one a line.
  const { xpub, from, to } = JSON.parse(process.env[DERIVE_ENV]!) as { xpub: string; from: number; to: number };
  process.stdout.write(deriveRange(xpub, from, to).join("\n") + "\n");
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
