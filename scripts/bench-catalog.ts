/**
 * `npm run bench:catalog`: the storefront catalog page (`/`, app/(store)/page.tsx) served over HTTP
 * by the production build under `npm start`'s server (scripts/server.mjs), on a real PostgreSQL holding 10,000 accounts.
 *
 *   1. cold: one request at a time, each right after a change to an account (so the catalog
 *      version moved and the page's data is a cache miss), over every URL of the mix;
 *   2. warm: 50 concurrent clients (closed loop, keep-alive) over a weighted mix of catalog URLs (no
 *      filter, each filter, search terms, sorts, deep pages). Target: time to first byte (response
 *      headers received) p95 ≤ 50 ms;
 *   3. churn: the same load while another connection changes one account every second (at least
 *      15 changes), as an admin or the chain watcher would;
 *   4. EXPLAIN (ANALYZE) of the listing query each filter issues, showing the indexes used.
 *
 * Each phase prints p50/p95/p99/max of time to first byte and of the whole response, requests/s,
 * errors, and the CPU used per request by the server (its process tree) and by PostgreSQL.
 *
 * Needs a build in the current directory (`npx next build`); it is reused, never built here.
 * Env: DATABASE_URL          PostgreSQL server URL, e.g. postgres://postgres@127.0.0.1:5432/test; a
 *                            fresh database bench_catalog_<random> is created there and dropped at the end
 *      BENCH_ACCOUNTS        accounts in the catalog (default 10000)
 *      BENCH_CONCURRENCY     concurrent clients (default 50)
 *      BENCH_REQUESTS        measured requests of the warm and churn phases (default 5000)
 *      BENCH_PORT            port of the server (default 3290)
 *      BENCH_KEEP_DB=1       keep the database afterwards
 *      BENCH_CPU_PROF=<dir>  write a V8 CPU profile of the server into <dir> (open it in Chrome DevTools)
 *      BENCH_SERVER_CPUS     pin the server to these CPUs with taskset (e.g. 0; run the script itself under taskset -c 1)
 */
import { fmt, log, logMachine, machineTicks, msSince, nowNs, percentile, shuffle, sleep } from "./bench-common";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Db } from "@/db";
import { openDatabase } from "@/db/client";
import { DEFAULT_CATALOG_QUERY, parseCatalogQuery, searchAccountListings, type CatalogQuery } from "@/db/queries/catalog";
import * as schema from "@/db/schema";
import { accountModelQuotas, accountOrders, accounts, invoices } from "@/db/schema";
import { ensureSeeded } from "@/db/seed";
import {
  CLAUDE_MODELS,
  DEFAULT_MODEL_QUOTAS,
  classifyQuotaLevel,
  createQuotaProfile,
  getModelDisplayName,
  type ModelQuota,
} from "@/lib/domain";

const SERVER_URL = process.env.DATABASE_URL;
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS || 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 50);
const REQUESTS = Number(process.env.BENCH_REQUESTS || 5000);
const PORT = Number(process.env.BENCH_PORT || 3290);
const TARGET_P95_MS = 50;
const CHURN_INTERVAL_MS = 1000;
const CHURN_CHANGES = 15;


// ---------------------------------------------------------------------------------------------
// The URL mix: [path, weight]. The storefront's landing page dominates real traffic.

const MIX: [string, number][] = [
  ["/", 20],
  ["/?stock=1", 6],
  ["/?level=HIGH", 4],
  ["/?level=MEDIUM&stock=1", 3],
  ["/?level=LOW", 2],
  ...CLAUDE_MODELS.map((m): [string, number] => [`/?model=${m}`, 2]),
  ["/?model=claude-4.0-opus-4-v1&level=HIGH&stock=1", 3],
  ["/?min=100&max=300", 3],
  ["/?max=150&stock=1", 2],
  ["/?min=800", 2],
  ["/?q=opus", 4],
  ["/?q=us-east-1", 3],
  ["/?q=sonnet+high", 2],
  ["/?q=frankfurt", 2],
  ["/?q=enterprise&stock=1", 2],
  ["/?sort=price_asc", 4],
  ["/?sort=price_desc", 3],
  ["/?sort=quota", 3],
  ["/?sort=price_asc&stock=1", 2],
  ["/?page=2", 4],
  ["/?page=50", 2],
  ["/?page=400", 1],
  ["/?sort=price_desc&page=300", 1],
  ["/?level=LOW&page=100", 1],
  ["/?stock=1&sort=quota&page=200", 1],
];
const WEIGHTED = MIX.flatMap(([path, weight]) => Array<string>(weight).fill(path));
const pickPath = () => WEIGHTED[randomInt(WEIGHTED.length)]!;

// ---------------------------------------------------------------------------------------------
// Data: realistic accounts with quota rows, bulk-inserted.

const REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-central-1", "eu-west-1", "eu-west-3", "ap-northeast-1", "ap-southeast-2"];
const CITY: Record<string, string> = {
  "us-east-1": "Virginia", "us-east-2": "Ohio", "us-west-2": "Oregon", "eu-central-1": "Frankfurt",
  "eu-west-1": "Ireland", "eu-west-3": "Paris", "ap-northeast-1": "Tokyo", "ap-southeast-2": "Sydney",
};
const TIERS = ["Starter", "Standard", "Plus", "High Throughput", "Enterprise", "Volume"];
/** Applied TPM as tenths of the default, per tier: the level follows from the quotas, as in the app. */
const TIER_MULTIPLES = [[8, 12], [10, 16], [15, 30], [30, 60], [40, 120], [12, 25]] as const;

function buildQuotas(i: number): ModelQuota[] {
  const tier = i % TIERS.length;
  const [low, high] = TIER_MULTIPLES[tier]!;
  const models = shuffle([...CLAUDE_MODELS]).slice(0, 2 + (i % 5));
  return models.map((model, k) => {
    const base = DEFAULT_MODEL_QUOTAS[model];
    const tenths = k === 0 ? high : low + randomInt(high - low + 1);
    const zero = i % 97 === 0 && k > 0;
    return {
      model,
      rpm: zero ? 0 : Math.round((base.rpm * tenths) / 10),
      tpm: zero ? 0 : Math.round((base.tpm * tenths) / 10),
      tpd: zero ? 0 : Math.round((base.tpd * tenths) / 10),
      available: i % 53 !== 0 || k === 0,
    };
  });
}

function buildAccount(i: number, now: Date) {
  const quotas = buildQuotas(i);
  const region = REGIONS[i % REGIONS.length]!;
  const tier = TIERS[i % TIERS.length]!;
  const roll = randomInt(100);
  const status = roll < 70 ? "AVAILABLE" : roll < 85 ? "MAINTENANCE" : "SOLD";
  const headline = getModelDisplayName(quotas[0]!.model);
  return {
    row: {
      name: `bench-${i}-${region}`,
      displayName: `${headline} ${tier} #${i} — ${region}`,
      status,
      priceMinor: BigInt(1_900 + randomInt(150_000)),
      regions: i % 4 === 0 ? [region, REGIONS[(i + 3) % REGIONS.length]!] : [region],
      instructions: `Delivered as an IAM user in ${CITY[region]} (${region}). ${tier} tier.`,
      quotaLevel: classifyQuotaLevel(createQuotaProfile({ lastUpdated: now, modelQuotas: quotas })),
      quotaUpdatedAt: new Date(now.getTime() - randomInt(7 * 86_400_000)),
      soldAt: status === "SOLD" ? now : null,
    } as const,
    quotas,
  };
}

async function loadAccounts(db: Db, count: number): Promise<void> {
  const now = new Date();
  for (let start = 0; start < count; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - start) }, (_, k) => buildAccount(start + k, now));
    const ids = await db.insert(accounts).values(batch.map((b) => b.row)).returning({ id: accounts.id });
    const quotaRows = batch.flatMap((b, k) => b.quotas.map((q) => ({ ...q, accountId: ids[k]!.id })));
    await db.insert(accountModelQuotas).values(quotaRows);
  }
}

/** Holds some available accounts for buyers, one per demo invoice (an order needs its own invoice). */
async function reserveAccounts(db: Db): Promise<number> {
  const invoiceIds = (await db.select({ id: invoices.id }).from(invoices)).map((r) => r.id);
  const free = await db
    .select({ id: accounts.id, priceMinor: accounts.priceMinor })
    .from(accounts)
    .where(sql`${accounts.status} = 'AVAILABLE'`)
    .orderBy(sql`random()`)
    .limit(invoiceIds.length);
  if (free.length === 0) return 0;
  await db.insert(accountOrders).values(
    free.map((a, k) => ({
      accountId: a.id,
      invoiceId: invoiceIds[k]!,
      priceMinor: a.priceMinor,
      priceCurrency: "USD" as const,
      accessTokenHash: randomBytes(32).toString("hex"),
      reservedUntil: new Date(Date.now() + 3_600_000),
    })),
  );
  return free.length;
}

async function prepareData(url: string): Promise<{ accounts: number; quotas: number; reserved: number; ms: number }> {
  const start = nowNs();
  const handle = await openDatabase({ url, poolMax: 4 });
  try {
    const db = handle.db;
    // The demo data brings the store merchant and invoices that reservations can point at.
    await ensureSeeded(db, { adminUsername: "admin", adminPassword: randomBytes(12).toString("hex"), demoData: true, storeName: "Bench Store", kek: { id: "bench", key: randomBytes(32) } });
    const [{ n: demo } = { n: 0 }] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(accounts);
    await loadAccounts(db, Math.max(0, ACCOUNTS - demo));
    const reserved = await reserveAccounts(db);
    await db.execute(sql`analyze`);
    const [counts] = await db
      .select({
        accounts: sql<number>`(select count(*) from ${accounts})`.mapWith(Number),
        quotas: sql<number>`(select count(*) from ${accountModelQuotas})`.mapWith(Number),
      })
      .from(sql`(select 1) one`);
    return { accounts: counts!.accounts, quotas: counts!.quotas, reserved, ms: msSince(start) };
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The server

function startServer(url: string): { child: ChildProcess; output: string[] } {
  const output: string[] = [];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(PORT),
    DATABASE_URL: url,
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    ADMIN_USERNAME: "admin",
    ADMIN_PASSWORD: randomBytes(12).toString("hex"),
    APP_URL: `http://127.0.0.1:${PORT}`,
    TELEGRAM_USERNAME: "bedrock_store_bench",
    WATCHER: "off",
    DEV_CHAIN: "false",
    SEED_DEMO_DATA: "false",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const args = [...profile, "scripts/server.mjs", "-p", String(PORT), "-H", "127.0.0.1"];
  // BENCH_SERVER_CPUS pins the server (taskset), so that with the client pinned elsewhere
  // (`taskset -c 1 npm run bench:catalog`) the two stop competing for the same core.
  const pin = process.env.BENCH_SERVER_CPUS;
  const child = pin
    ? spawn("taskset", ["-c", pin, process.execPath, ...args], { env, stdio: ["ignore", "pipe", "pipe"] })
    : spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const keep = (chunk: Buffer) => output.push(chunk.toString());
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  return { child, output };
}

async function waitUntilReady(child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output.join("")}`);
    const ok = await timedGet(new http.Agent(), "/api/health").then((r) => r.status === 200, () => false);
    if (ok) return;
    await sleep(250);
  }
  throw new Error(`the server did not answer /api/health within 90 s:\n${output.join("")}`);
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, sleep(10_000)]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

// ---------------------------------------------------------------------------------------------
// HTTP measurement

type Sample = { path: string; status: number; ttfb: number; total: number; bytes: number; body?: string };

/** One GET: time to the response headers (TTFB) and to the end of the body, from before the request is written. */
function timedGet(agent: http.Agent, path: string, keepBody = false): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const start = nowNs();
    const req = http.request({ host: "127.0.0.1", port: PORT, path, agent, headers: { accept: "text/html" } }, (res) => {
      const ttfb = msSince(start);
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (keepBody) chunks.push(chunk);
      });
      res.on("end", () =>
        resolve({ path, status: res.statusCode ?? 0, ttfb, total: msSince(start), bytes, body: keepBody ? Buffer.concat(chunks).toString() : undefined }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** CPU ms used so far by a process and all its descendants (Linux /proc; NaN elsewhere). */
function treeCpuMs(rootPid: number): number {
  try {
    const procs = new Map<number, { ppid: number; ticks: number }>();
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readStat(Number(entry));
      if (stat) procs.set(Number(entry), stat);
    }
    let ticks = 0;
    for (const [pid, p] of procs) if (descendsFrom(pid, rootPid, procs)) ticks += p.ticks;
    return ticks * 10; // USER_HZ = 100
  } catch {
    return NaN;
  }
}

function readStat(pid: number): { ppid: number; ticks: number; name: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = stat.lastIndexOf(")");
    const fields = stat.slice(close + 2).split(" ");
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), name: stat.slice(stat.indexOf("(") + 1, close) };
  } catch {
    return null; // exited meanwhile
  }
}

function descendsFrom(pid: number, root: number, procs: Map<number, { ppid: number }>): boolean {
  for (let p: number | undefined = pid; p !== undefined && p > 1; p = procs.get(p)?.ppid) if (p === root) return true;
  return false;
}

/** CPU ms used so far by every `postgres` process (the server's backends and helpers). */
function postgresCpuMs(): number {
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    const stat = /^\d+$/.test(entry) ? readStat(Number(entry)) : null;
    if (stat?.name === "postgres") ticks += stat.ticks;
  }
  return ticks * 10;
}

type Meter = { start: bigint; server: number; pg: number; ticks: ReturnType<typeof machineTicks> };
const startMeter = (serverPid: number): Meter => ({ start: nowNs(), server: treeCpuMs(serverPid), pg: postgresCpuMs(), ticks: machineTicks() });

type PhaseResult = {
  name: string;
  n: number;
  errors: number;
  perSec: number;
  ttfb: number[];
  total: number[];
  bytes: number;
  serverCpu: number;
  pgCpu: number;
  busyPct: number;
};

function finishPhase(name: string, samples: Sample[], meter: Meter, serverPid: number): PhaseResult {
  const wallMs = msSince(meter.start);
  const ticks = machineTicks();
  const ok = samples.filter((s) => s.status === 200);
  const sorted = (pick: (s: Sample) => number) => ok.map(pick).sort((a, b) => a - b);
  return {
    name,
    n: samples.length,
    errors: samples.length - ok.length,
    perSec: (samples.length / wallMs) * 1000,
    ttfb: sorted((s) => s.ttfb),
    total: sorted((s) => s.total),
    bytes: ok.reduce((sum, s) => sum + s.bytes, 0) / Math.max(1, ok.length),
    serverCpu: (treeCpuMs(serverPid) - meter.server) / samples.length,
    pgCpu: (postgresCpuMs() - meter.pg) / samples.length,
    busyPct: meter.ticks && ticks ? (100 * (ticks.busy - meter.ticks.busy)) / Math.max(1, ticks.total - meter.ticks.total) : NaN,
  };
}

const dist = (v: number[]) => `p50 ${fmt(percentile(v, 50))} / p95 ${fmt(percentile(v, 95))} / p99 ${fmt(percentile(v, 99))} / max ${fmt(v.at(-1) ?? NaN)} ms`;

function report(r: PhaseResult): void {
  log(`\n${r.name}: ${r.n} requests, ${r.errors} errors, ${fmt(r.perSec, 1)} req/s, machine ${fmt(r.busyPct, 0)} % busy`);
  log(`  TTFB   ${dist(r.ttfb)}`);
  log(`  whole  ${dist(r.total)}`);
  log(`  CPU per request: server ${fmt(r.serverCpu)} ms, PostgreSQL ${fmt(r.pgCpu)} ms; ${fmt(r.bytes / 1024, 1)} KiB per response`);
}

/** `total` requests from `concurrency` closed-loop clients, each on its own keep-alive socket. */
/** `total` requests from `concurrency` closed-loop clients, going on until `minMs` have passed too. */
async function runLoad(total: number, concurrency: number, minMs = 0): Promise<Sample[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const samples: Sample[] = [];
  const until = Date.now() + minMs;
  let issued = 0;
  const client = async () => {
    while (issued < total || Date.now() < until) {
      issued++;
      samples.push(await timedGet(agent, pickPath()).catch((): Sample => ({ path: "", status: 0, ttfb: NaN, total: NaN, bytes: 0 })));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  agent.destroy();
  return samples;
}

/** A real change to one account, as an admin edit would make: the triggers move the catalog version. */
async function touchAccount(admin: postgres.Sql): Promise<void> {
  await admin`update accounts set updated_at = now() where id = (select id from accounts order by random() limit 1)`;
}

async function coldPhase(admin: postgres.Sql, rounds: number): Promise<Sample[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const samples: Sample[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [path] of MIX) {
      await touchAccount(admin);
      samples.push(await timedGet(agent, path));
    }
  }
  agent.destroy();
  return samples;
}

async function churnPhase(admin: postgres.Sql): Promise<{ samples: Sample[]; changes: number }> {
  let running = true;
  let changes = 0;
  const writer = (async () => {
    while (running) {
      await sleep(CHURN_INTERVAL_MS);
      if (!running) break;
      await touchAccount(admin);
      changes++;
    }
  })();
  // Long enough for CHURN_CHANGES changes, however fast the server answers.
  const samples = await runLoad(REQUESTS, CONCURRENCY, CHURN_CHANGES * CHURN_INTERVAL_MS + CHURN_INTERVAL_MS / 2);
  running = false;
  await writer;
  return { samples, changes };
}

/** Every URL answers 200 with the catalog in it (results or the empty state), before anything is timed. */
async function checkPages(): Promise<void> {
  const agent = new http.Agent({ keepAlive: true });
  for (const [path] of MIX) {
    const r = await timedGet(agent, path, true);
    if (r.status !== 200 || !r.body?.includes('data-testid="result-count"')) throw new Error(`GET ${path} answered ${r.status} without the catalog`);
  }
  agent.destroy();
}

// ---------------------------------------------------------------------------------------------
// EXPLAIN (ANALYZE) of the listing query of each filter

type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; "Actual Rows"?: number; Plans?: PlanNode[] };

function scans(node: PlanNode): string[] {
  const own = node["Relation Name"] || node["Index Name"]
    ? [`${node["Node Type"]}${node["Index Name"] ? ` using ${node["Index Name"]}` : ""}${node["Relation Name"] ? ` on ${node["Relation Name"]}` : ""} (${node["Actual Rows"]} rows)`]
    : [];
  return [...own, ...(node.Plans ?? []).flatMap(scans)];
}

const EXPLAINED: [string, string][] = [
  ["no filter", "/"],
  ["in stock", "/?stock=1"],
  ["level HIGH", "/?level=HIGH"],
  ["level MEDIUM + in stock", "/?level=MEDIUM&stock=1"],
  ["model Opus 4", "/?model=claude-4.0-opus-4-v1"],
  ["price 100–300", "/?min=100&max=300"],
  ["price ≥ 800", "/?min=800"],
  ["search 'frankfurt'", "/?q=frankfurt"],
  ["search 'opus'", "/?q=opus"],
  ["price_asc, page 300", "/?sort=price_asc&page=300"],
];

function queryOf(path: string): CatalogQuery {
  const params = Object.fromEntries(new URL(path, "http://x").searchParams);
  return { ...DEFAULT_CATALOG_QUERY, ...parseCatalogQuery(params).query };
}

async function explainFilters(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  const captured: { sql: string; params: unknown[] }[] = [];
  const db = drizzle(client, { schema, logger: { logQuery: (text, params) => void captured.push({ sql: text, params }) } }) as unknown as Db;
  log("\nEXPLAIN (ANALYZE) of each filter's listing query (the statement that filters, sorts and pages):");
  try {
    for (const [label, path] of EXPLAINED) {
      captured.length = 0;
      await searchAccountListings(db, queryOf(path));
      const listing = captured[0]!;
      const params = listing.params.map((p) => (typeof p === "bigint" ? p.toString() : p)) as postgres.ParameterOrJSON<never>[];
      const [row] = await client.unsafe(`explain (analyze, format json) ${listing.sql}`, params);
      const plan = (row!["QUERY PLAN"] as [{ Plan: PlanNode; "Execution Time": number }])[0];
      log(`  ${label.padEnd(26)} ${fmt(plan["Execution Time"])} ms  ${scans(plan.Plan).join("; ")}`);
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!SERVER_URL) throw new Error("Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/test");
  if (!existsSync(".next/BUILD_ID")) throw new Error("No production build in this directory: run `npx next build` first (the benchmark never builds).");
  log(`Reusing the production build in ${process.cwd()}/.next (BUILD_ID ${readFileSync(".next/BUILD_ID", "utf8").trim()})`);

  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  const name = `bench_catalog_${randomBytes(5).toString("hex")}`;
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  let server: ReturnType<typeof startServer> | undefined;
  try {
    await logMachine(admin, log, fmt);
    await admin.unsafe(`create database "${name}"`);
    const data = await prepareData(url.toString());
    log(`\nData: ${data.accounts} accounts, ${data.quotas} quota rows, ${data.reserved} reserved, loaded in ${fmt(data.ms / 1000, 1)} s (database ${name})`);
    const bench = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      server = startServer(url.toString());
      await waitUntilReady(server.child, server.output);
      await measure(bench, server.child.pid!);
      await explainFilters(url.toString());
    } finally {
      await bench.end({ timeout: 5 });
    }
  } finally {
    if (server) await stopServer(server.child);
    if (process.env.BENCH_KEEP_DB === "1") log(`\nKept database ${name}`);
    else await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end({ timeout: 5 });
  }
}

async function measure(bench: postgres.Sql, pid: number): Promise<void> {
  await checkPages();
  log(`\nURL mix: ${MIX.length} URLs, weighted (${MIX.map(([p, w]) => `${p} ×${w}`).join(", ")})`);

  let meter = startMeter(pid);
  report(finishPhase(`Cold: one at a time, each after a change to an account (cache miss), ${MIX.length} URLs × 3`, await coldPhase(bench, 3), meter, pid));

  for (const [path] of MIX) for (let i = 0; i < 3; i++) await timedGet(new http.Agent(), path);
  await runLoad(1000, CONCURRENCY); // warm-up: JIT, connection pool, every URL cached

  meter = startMeter(pid);
  const warm = finishPhase(`Warm: ${CONCURRENCY} concurrent clients, catalog unchanged`, await runLoad(REQUESTS, CONCURRENCY), meter, pid);
  report(warm);
  const p95 = percentile(warm.ttfb, 95);
  log(`  Target: TTFB p95 ≤ ${TARGET_P95_MS} ms at ${CONCURRENCY} concurrent: ${fmt(p95)} ms, ${p95 <= TARGET_P95_MS && warm.errors === 0 ? "OK" : "MISSED"}`);

  meter = startMeter(pid);
  const churn = await churnPhase(bench);
  report(finishPhase(`Churn: ${CONCURRENCY} concurrent clients, one account changed every ${CHURN_INTERVAL_MS} ms (${churn.changes} changes)`, churn.samples, meter, pid));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
