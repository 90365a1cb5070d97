/**
 * `npm run bench:api`: API benchmark on a real PostgreSQL holding one million invoices.
 *
 *   1. invoice creation through POST /api/v1/invoices: throughput (invoices/s) at concurrency 16
 *      (target ≥ 300/s), also at 8 and 32;
 *   2. GET /api/v1/invoices/{id}: sequential latency p50/p90/p99/max (target p99 ≤ 10 ms), plus
 *      throughput at concurrency 8.
 *
 * The real route handlers run in-process with real Request objects (tests/helpers/api-client.ts):
 * auth and rate limiting (one statement), zod validation, address derivation, the create statement and
 * serialization are all exercised; only the HTTP socket (and Next's router) is skipped.
 *
 * Env: BENCH_DATABASE_URL  admin URL of the server (default postgres://postgres:postgres@127.0.0.1:5432/postgres)
 *      BENCH_INVOICES      bulk-loaded invoices (default 1000000)
 *      BENCH_KEEP_DB=1     keep the bench_api database afterwards
 *      BENCH_PROFILE=1     afterwards, profile where a create spends its time (phase timings,
 *                          PostgreSQL wait events, commit latency, what-if runs)
 * Writes nothing to disk besides the bench_api database (dropped at the end).
 */
import { databaseUrl, fmt, log, logMachine, machineTicks, msSince, nowNs, percentile, shuffle } from "./bench-common";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { HDKey } from "@scure/bip32";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { setDatabaseForTesting, type Db } from "@/db";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import * as schema from "@/db/schema";
import { systemConfiguration } from "@/db/schema";
import { jsonBody } from "@/lib/api/errors";
import { toCreateInvoiceCommand } from "@/lib/api/invoice-commands";
import { CreateInvoiceBody } from "@/lib/api/schemas";
import { deriveAddress, parseExtendedPublicKey } from "@/lib/chains/addresses";
import { createInvoiceRecord } from "@/lib/invoices/create-invoice";
import { findInvoice, serializeInvoice } from "@/lib/invoices/queries";
import { authenticateApiKeyRequest } from "@/lib/merchants/api-keys";
import { DEFAULT_SYSTEM_CONFIG, getSystemConfig, invalidateSystemConfig } from "@/lib/system-config";
import { api } from "../tests/helpers/api-client";
import { createTestKey, createTestMerchant, seedFreshRates, walletKeys } from "../tests/helpers/merchant-fixtures";

// Ephemeral secrets so settings() neither reads nor creates .data/secrets.json.
process.env.AUTH_SECRET ||= randomBytes(32).toString("base64url");
process.env.ENCRYPTION_KEY ||= randomBytes(32).toString("base64");

const ADMIN_URL = process.env.BENCH_DATABASE_URL || "postgres://postgres:postgres@127.0.0.1:5432/postgres";
const DB_NAME = "bench_api";
const benchUrl = databaseUrl(ADMIN_URL, DB_NAME);
const INVOICES = Number(process.env.BENCH_INVOICES || 1_000_000);
const MERCHANTS = 50;
const CREATE_N = 3000;
const CREATE_CONCURRENCY = [8, 16, 32];
const GET_N = 5000;
const TARGET_CREATE_PER_S = 300;
const TARGET_GET_P99_MS = 10;


// ---------------------------------------------------------------------------------------------
// Helpers


type Stats = {
  n: number;
  errors: number;
  wallMs: number;
  perSec: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** CPU of this Node process (main thread + libuv) per operation, and as % of one core. */
  nodeCpuMsPerOp: number;
  nodeCpuPct: number;
  /** CPU of all postgres processes (backends, WAL writer, checkpointer, autovacuum) per operation. */
  pgCpuMsPerOp: number;
  /** Whole-machine CPU busy % over all cores (Node + PostgreSQL + anything else running). */
  machineBusyPct: number;
};

/** CPU seconds used so far by every `postgres` process on this machine (Linux /proc; NaN elsewhere). */
function postgresCpuMs(): number {
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
      if (stat.slice(stat.indexOf("(") + 1, close) !== "postgres") continue;
      const fields = stat.slice(close + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    }
    return ticks * 10; // USER_HZ = 100
  } catch {
    return NaN;
  }
}

type Meter = { cpu: NodeJS.CpuUsage; ticks: ReturnType<typeof machineTicks>; pgMs: number; start: bigint };
const startMeter = (): Meter => ({ cpu: process.cpuUsage(), ticks: machineTicks(), pgMs: postgresCpuMs(), start: nowNs() });

function stats(latencies: number[], errors: number, meter: Meter): Stats {
  const wallMs = msSince(meter.start);
  const cpu = process.cpuUsage(meter.cpu);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const ticks = machineTicks();
  const machineBusyPct =
    ticks && meter.ticks && ticks.total > meter.ticks.total
      ? ((ticks.busy - meter.ticks.busy) / (ticks.total - meter.ticks.total)) * 100
      : NaN;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    n: latencies.length,
    errors,
    wallMs,
    perSec: (latencies.length / wallMs) * 1000,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    nodeCpuMsPerOp: cpuMs / Math.max(1, latencies.length),
    nodeCpuPct: (cpuMs / wallMs) * 100,
    pgCpuMsPerOp: (postgresCpuMs() - meter.pgMs) / Math.max(1, latencies.length),
    machineBusyPct,
  };
}

const cpuNote = (s: Stats) =>
  `CPU per op: Node ${fmt(s.nodeCpuMsPerOp)} ms (Node at ${fmt(s.nodeCpuPct, 0)}% of a core), PostgreSQL ${fmt(s.pgCpuMsPerOp)} ms; ` +
  `machine ${fmt(s.machineBusyPct, 0)}% busy`;

type WalSnapshot = { bytes: number; fpi: number; checkpoints: number };
let statsSql: postgres.Sql | null = null;

/** WAL volume, full-page images and checkpoints so far (server-wide, pg_stat_wal / pg_stat_bgwriter). */
async function walSnapshot(): Promise<WalSnapshot> {
  statsSql ??= postgres(benchUrl, { max: 1, onnotice: () => {} });
  const [row] = (await statsSql`
    select w.wal_bytes::float8 as bytes, w.wal_fpi::float8 as fpi,
           (b.checkpoints_timed + b.checkpoints_req)::int as checkpoints
    from pg_stat_wal w, pg_stat_bgwriter b`) as unknown as [WalSnapshot];
  return row;
}

async function walNote(before: WalSnapshot, n: number): Promise<string> {
  const after = await walSnapshot();
  return (
    `WAL ${fmt((after.bytes - before.bytes) / 1024 / n, 1)} kB/op (${fmt((after.fpi - before.fpi) / n, 1)} full-page images/op), ` +
    `checkpoints during run: ${after.checkpoints - before.checkpoints}`
  );
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight; per-call latency in ms. */
async function pool(n: number, concurrency: number, task: (i: number) => Promise<boolean>): Promise<Stats> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const meter = startMeter();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= n) return;
        const t0 = nowNs();
        const ok = await task(i);
        latencies.push(msSince(t0));
        if (!ok) errors += 1;
      }
    }),
  );
  return stats(latencies, errors, meter);
}

let firstError: string | null = null;
function noteError(what: string, status: number, text: string) {
  if (firstError === null) {
    firstError = `${what}: HTTP ${status} ${text.slice(0, 500)}`;
    console.error(`first error — ${firstError}`);
  }
}

const BODIES = [
  { title: "Bench", currency: "USD", items: [{ description: "x", quantity: 1, unit_price: "49.00" }], crypto_currency: "BTC" },
  { title: "Bench", currency: "USD", items: [{ description: "x", quantity: 1, unit_price: "49.00" }], crypto_currency: "ETH" },
  {
    title: "Bench",
    currency: "USD",
    items: [{ description: "x", quantity: 1, unit_price: "49.00" }],
    crypto_currency: "USDT",
    network: "tron",
  },
];

async function createOne(key: string, i: number, idempotent = false): Promise<boolean> {
  const res = await api("POST", "/api/v1/invoices", {
    key,
    body: BODIES[i % BODIES.length],
    headers: idempotent ? { "idempotency-key": `bench-${randomBytes(12).toString("hex")}` } : undefined,
  });
  if (res.status !== 201) {
    noteError("POST /api/v1/invoices", res.status, res.text);
    return false;
  }
  return true;
}

async function getOne(key: string, id: string): Promise<boolean> {
  const res = await api("GET", `/api/v1/invoices/${id}`, { key });
  if (res.status !== 200 || res.json.id !== id) {
    noteError(`GET /api/v1/invoices/${id}`, res.status, res.text);
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Bulk load: set-based, one statement per table, inside the server.

async function bulkLoad(merchantIds: string[]): Promise<{ invoicesMs: number; itemsMs: number; vacuumMs: number }> {
  const sql = postgres(benchUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`set synchronous_commit = off`;
    await sql`set maintenance_work_mem = '256MB'`;
    await sql`set work_mem = '64MB'`;
    await sql`select setseed(0.4242)`;
    let t0 = nowNs();
    // One statement: per-row random draws (src), then one locked exchange_rates row per invoice (as
    // the API writes: locked at creation, expiring with the invoice) and the invoice itself.
    // Merchant 0 (the one with the API key) owns every 10th invoice (10%), the rest are spread over
    // 1..49; ~30% are test mode. Terminal statuses are spread over the past 365 days; the few open
    // ones (pending/partial/confirming) were created in the last 25 minutes and have not expired.
    await sql`
      with src as materialized (
        select p.*, c.created_at,
          case when p.status in ('paid', 'refunded')
               then c.created_at + interval '1 minute' + p.r_pay * interval '28 minutes' end as paid_at,
          r.rate,
          ceil((p.subtotal + p.tax)::numeric / 100 / r.rate
               * power(10::numeric, case p.crypto when 'BTC' then 8 when 'ETH' then 18 else 6 end))::numeric(78, 0) as crypto_amount,
          gen_random_uuid() as rate_id
        from (
          select s.g,
            case when s.g % 10 = 0 then 0 else 1 + (s.g % 49) end as m,
            s.r_live >= 0.30 as livemode,
            case when s.g % 20 < 14 then 'USD' when s.g % 20 < 18 then 'EUR' else 'CNY' end as fiat,
            case when s.r_asset < 0.45 then 'BTC' when s.r_asset < 0.65 then 'ETH' else 'USDT' end as crypto,
            case when s.r_asset < 0.45 then 'bitcoin' when s.r_asset < 0.80 then 'ethereum' else 'tron' end as network,
            case when s.r_status < 0.620 then 'paid'
                 when s.r_status < 0.870 then 'expired'
                 when s.r_status < 0.960 then 'cancelled'
                 when s.r_status < 0.995 then 'refunded'
                 when s.r_status < 0.998 then 'pending'
                 when s.r_status < 0.999 then 'partial'
                 else 'confirming' end as status,
            (500 + floor(s.r_amount * s.r_amount * 200000))::bigint as subtotal,
            case when s.g % 4 = 0 then (50 + floor(s.r_amount * s.r_amount * 20000))::bigint else 0::bigint end as tax,
            s.r_time, s.r_pay, s.r_rate
          from (
            select g, random() as r_live, random() as r_asset, random() as r_status, random() as r_amount,
                   random() as r_time, random() as r_pay, random() as r_rate
            from generate_series(1, ${INVOICES}::int) as g
          ) s
        ) p
        cross join lateral (
          select case when p.status in ('pending', 'partial', 'confirming')
                      then now() - p.r_time * interval '25 minutes'
                      else now() - interval '1 hour' - p.r_time * interval '365 days' end as created_at
        ) c
        cross join lateral (
          select case when p.crypto = 'USDT' then v.base else round(v.base * (0.7 + 0.6 * p.r_rate)::numeric, 2) end as rate
          from (values ('USD','BTC',97000), ('USD','ETH',3400), ('USD','USDT',1),
                       ('EUR','BTC',92000), ('EUR','ETH',3220.5), ('EUR','USDT',0.95),
                       ('CNY','BTC',700000), ('CNY','ETH',24500), ('CNY','USDT',7.2)) v(fiat, crypto, base)
          where v.fiat = p.fiat and v.crypto = p.crypto
        ) r
      ),
      rates as (
        insert into exchange_rates (id, from_currency, to_currency, rate, source, locked_at, expires_at)
        select rate_id, fiat::fiat_currency, crypto::crypto_currency, rate, 'median(coingecko,binance,kraken)',
               created_at, created_at + interval '30 minutes'
        from src
      )
      insert into invoices (
        merchant_id, livemode, reference, title, description, status, exception, fiat_currency,
        subtotal_minor, tax_minor, total_minor, crypto_currency, network, crypto_amount, amount_received,
        exchange_rate_id, payment_address, derivation_index, address_generated_at,
        underpayment_threshold_bps, overpayment_threshold_bps, overpayment_action, required_confirmations,
        metadata, expires_at, created_at, updated_at, paid_at)
      select
        (${merchantIds}::uuid[])[p.m + 1], p.livemode, 'ord_' || p.g, 'Order #' || p.g,
        case when p.g % 3 = 0 then 'Bulk-loaded invoice ' || p.g end,
        p.status::invoice_status, 'none', p.fiat::fiat_currency,
        p.subtotal, p.tax, p.subtotal + p.tax, p.crypto::crypto_currency, p.network::blockchain_network,
        p.crypto_amount,
        case when p.status in ('paid', 'refunded', 'confirming') then p.crypto_amount
             when p.status = 'partial' then floor(p.crypto_amount / 2)
             else 0 end,
        p.rate_id,
        -- Address-shaped, unique per g: 42-char tb1q…/bc1q…, 0x + 40 lowercase hex, T + 33 chars.
        -- (Not checksum-valid for bitcoin/tron; the API only checks the shape when building payment URIs.)
        case p.network
          when 'bitcoin' then (case when p.livemode then 'bc1q' else 'tb1q' end)
                              || substr(md5(p.g::text), 1, 28) || lpad(p.g::text, 10, '0')
          when 'ethereum' then '0x' || substr(md5(p.g::text), 1, 30) || lpad(to_hex(p.g), 10, '0')
          else 'T' || lpad(p.g::text, 10, '0') || substr(md5(p.g::text), 1, 23) end,
        p.g, p.created_at,
        50, 100, 'credit',
        case p.network
          when 'bitcoin' then case when p.subtotal + p.tax <= 100000 then 1 when p.subtotal + p.tax <= 1000000 then 2 else 6 end
          when 'ethereum' then case when p.subtotal + p.tax <= 100000 then 6 when p.subtotal + p.tax <= 1000000 then 12 else 32 end
          else 19 end,
        case when p.g % 2 = 0 then jsonb_build_object('order_id', 'A-' || p.g) else '{}'::jsonb end,
        p.created_at + interval '30 minutes',
        p.created_at,
        coalesce(p.paid_at, case when p.status = 'expired' then p.created_at + interval '30 minutes' else p.created_at end),
        p.paid_at
      from src p`;
    const invoicesMs = msSince(t0);
    log(`  invoices + their locked exchange_rates: ${INVOICES.toLocaleString("en-US")} rows each in ${fmt(invoicesMs / 1000, 1)} s`);

    t0 = nowNs();
    await sql`
      insert into invoice_items (invoice_id, position, description, quantity, unit_price_minor, amount_minor)
      select id, 0, 'Item for ' || title, 1, subtotal_minor, subtotal_minor from invoices`;
    const itemsMs = msSince(t0);
    log(`  invoice_items:  ${INVOICES.toLocaleString("en-US")} rows in ${fmt(itemsMs / 1000, 1)} s`);

    t0 = nowNs();
    await sql`vacuum (analyze) invoices`;
    await sql`vacuum (analyze) invoice_items`;
    await sql`vacuum (analyze) exchange_rates`;
    await sql`analyze`;
    await sql`checkpoint`;
    const vacuumMs = msSince(t0);
    log(`  vacuum analyze + checkpoint: ${fmt(vacuumMs / 1000, 1)} s`);
    return { invoicesMs, itemsMs, vacuumMs };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

// ---------------------------------------------------------------------------------------------
// BENCH_PROFILE=1: where does the time go? Diagnostic only, run after the measurements.

/** Time spent in BIP32 child derivation (synchronous, so wall = CPU) while `f` runs; behaviour unchanged. */
const derivationClock = { ms: 0 };
async function withDerivationClock<T>(f: () => Promise<T>): Promise<T> {
  const original = HDKey.prototype.deriveChild;
  HDKey.prototype.deriveChild = function (this: HDKey, index: number): HDKey {
    const t = nowNs();
    try {
      return original.call(this, index);
    } finally {
      derivationClock.ms += msSince(t);
    }
  };
  try {
    return await f();
  } finally {
    HDKey.prototype.deriveChild = original;
  }
}

type PhaseTable = Map<string, { wall: number[]; cpu: number[] }>;

function printPhases(title: string, table: PhaseTable, n: number) {
  log(`\n  ${title}`);
  log(`  | phase | round trips | wall mean ms | wall p50 ms | wall p99 ms | Node CPU mean ms |`);
  log(`  |---|---|---|---|---|---|`);
  let wall = 0;
  let cpu = 0;
  for (const [phase, v] of table) {
    const sorted = [...v.wall].sort((x, y) => x - y);
    const wm = v.wall.reduce((x, y) => x + y, 0) / n;
    const cm = v.cpu.reduce((x, y) => x + y, 0) / n;
    wall += wm;
    cpu += cm;
    const [name, trips] = phase.split("|");
    log(`  | ${name} | ${trips} | ${fmt(wm)} | ${fmt(percentile(sorted, 50))} | ${fmt(percentile(sorted, 99))} | ${fmt(cm)} |`);
  }
  log(`  | total | | ${fmt(wall)} | | | ${fmt(cpu)} |`);
}

/** Times `f` (wall and this process's CPU) into `table[phase]`; meaningful for CPU only at concurrency 1. */
async function phase<T>(table: PhaseTable, name: string, f: () => Promise<T> | T): Promise<T> {
  const c0 = process.cpuUsage();
  const t0 = nowNs();
  const result = await f();
  const wall = msSince(t0);
  const c = process.cpuUsage(c0);
  if (!table.has(name)) table.set(name, { wall: [], cpu: [] });
  table.get(name)!.wall.push(wall);
  table.get(name)!.cpu.push((c.user + c.system) / 1000);
  return result;
}

/** The POST handler's steps, called one at a time with timings (same functions, same order). */
async function phasedCreate(db: Db, key: string, i: number, table: PhaseTable): Promise<void> {
  const now = new Date();
  const request = await phase(table, "build Request, read body|0", async () => {
    const r = new Request("http://localhost:3000/api/v1/invoices", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(BODIES[i % BODIES.length]),
    });
    return JSON.parse(await r.text()) as unknown;
  });
  const { principal } = await phase(table, "auth ⋈ merchant + rate-limit count (one statement)|1", () =>
    authenticateApiKeyRequest(db, key, now, { countRequest: true }),
  );
  await phase(table, "system config (5 s cache)|0", () => getSystemConfig(db));
  const command = await phase(table, "zod parse + command|0", () => toCreateInvoiceCommand(principal, CreateInvoiceBody.parse(request)));
  derivationClock.ms = 0;
  const written = await phase(table, "createInvoiceRecord: rate lookup, wallet read, write statement|3", () =>
    createInvoiceRecord(db, command, { actor: { type: "api_key", id: principal.apiKeyId }, requestId: `req_${i}` }),
  );
  // Derivation runs inside createInvoiceRecord: moved to its own line (synchronous, so wall = CPU).
  const derive = derivationClock.ms;
  const record = table.get("createInvoiceRecord: rate lookup, wallet read, write statement|3")!;
  record.wall[record.wall.length - 1]! -= derive;
  record.cpu[record.cpu.length - 1]! -= derive;
  if (!table.has("  of which: address derivation (cached per index)|0")) table.set("  of which: address derivation (cached per index)|0", { wall: [], cpu: [] });
  table.get("  of which: address derivation (cached per index)|0")!.wall.push(derive);
  table.get("  of which: address derivation (cached per index)|0")!.cpu.push(derive);
  await phase(table, "serialize + Response|0", async () => {
    const body = serializeInvoice(written.invoice, written.items, written.rate);
    const r = new Response(jsonBody(body), { status: 201, headers: { "content-type": "application/json" } });
    return JSON.parse(await r.text()) as unknown;
  });
}

async function phasedGet(db: Db, key: string, id: string, table: PhaseTable): Promise<void> {
  const now = new Date();
  const { principal } = await phase(table, "auth ⋈ merchant + rate-limit count (one statement)|1", () =>
    authenticateApiKeyRequest(db, key, now, { countRequest: true }),
  );
  await phase(table, "system config (5 s cache)|0", () => getSystemConfig(db));
  const resource = await phase(table, "findInvoice: invoice ⋈ rate ⟕ items (one statement)|1", () =>
    findInvoice(db, { merchantId: principal.merchantId, livemode: principal.livemode }, id),
  );
  await phase(table, "serialize + Response|0", async () => {
    const r = new Response(jsonBody(resource), { status: 200, headers: { "content-type": "application/json" } });
    return JSON.parse(await r.text()) as unknown;
  });
}

/** Samples pg_stat_activity of the app's connections while `work` runs: what the backends wait on. */
async function sampleWaits<T>(work: () => Promise<T>): Promise<T> {
  const sampler = postgres(benchUrl, { max: 1, onnotice: () => {} });
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = (await sampler`
        select state, coalesce(wait_event_type || ':' || wait_event, 'on CPU') as wait, left(query, 50) as query
        from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and application_name = 'cryptocheckout'`) as unknown as {
        state: string;
        wait: string;
        query: string;
      }[];
      samples += 1;
      for (const r of rows) {
        const label =
          r.state === "active"
            ? r.wait === "Client:ClientRead"
              ? "active, Client:ClientRead (backend waiting for input from Node)"
              : `active, ${r.wait}${/^(Lock|IO|LWLock)/.test(r.wait) ? ` — ${r.query.replace(/\s+/g, " ")}` : ""}`
            : r.state === "idle"
              ? "idle (connection free in the pool)"
              : `${r.state} (waiting for Node's next statement)`;
        counts.set(label, (counts.get(label) ?? 0) + 1);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  try {
    return await work();
  } finally {
    running = false;
    await loop;
    await sampler.end({ timeout: 5 });
    log(`    PostgreSQL backends of the pool (10), ${samples} samples of pg_stat_activity — mean number in each state:`);
    for (const [label, n] of [...counts.entries()].sort((x, y) => y[1] - x[1]).slice(0, 10)) {
      log(`      ${fmt(n / samples, 2).padStart(5)}  ${label}`);
    }
  }
}

async function profile(handle: DatabaseHandle, key: string, merchantId: string, ids: string[]) {
  log(`\nProfile (BENCH_PROFILE=1)`);
  const db = handle.db;

  // a. Durable commit latency of this disk: single-row autocommit inserts, like the rate limiter.
  const probe = postgres(benchUrl, { max: 1, onnotice: () => {} });
  await probe`create table bench_commit_probe (x int)`;
  const probeRun = async () => {
    const lat: number[] = [];
    const m = startMeter();
    for (let i = 0; i < 300; i++) {
      const t = nowNs();
      await probe`insert into bench_commit_probe values (${i})`;
      lat.push(msSince(t));
    }
    return stats(lat, 0, m);
  };
  const on = await probeRun();
  await probe`set synchronous_commit = off`;
  const off = await probeRun();
  await probe`drop table bench_commit_probe`;
  await probe.end({ timeout: 5 });
  log(`  a. one-row INSERT autocommit, synchronous_commit=on:  p50 ${fmt(on.p50)} ms, p99 ${fmt(on.p99)} ms (WAL fsync of this disk)`);
  log(`     one-row INSERT autocommit, synchronous_commit=off: p50 ${fmt(off.p50)} ms, p99 ${fmt(off.p99)} ms`);

  // b. Unit costs on the Node side.
  const trips: number[] = [];
  const tm = startMeter();
  for (let i = 0; i < 2000; i++) {
    const t = nowNs();
    await db.execute(sql`select ${i}::int as n`);
    trips.push(msSince(t));
  }
  const trip = stats(trips, 0, tm);
  log(`  b. one DB round trip (drizzle, select 1 on the app pool): p50 ${fmt(trip.p50)} ms wall, Node CPU ${fmt(trip.nodeCpuMsPerOp, 3)} ms`);
  const wk = walletKeys(0);
  for (const [network, xpub] of [
    ["bitcoin", wk.bitcoinTest],
    ["ethereum", wk.ethereum],
    ["tron", wk.tron],
  ] as const) {
    const parsed = parseExtendedPublicKey(network, xpub, { testnet: true });
    deriveAddress(parsed, 900_000);
    const c0 = process.cpuUsage();
    for (let i = 0; i < 200; i++) deriveAddress(parsed, 800_000 + i);
    const c = process.cpuUsage(c0);
    log(`     address derivation, ${network.padEnd(8)}: Node CPU ${fmt((c.user + c.system) / 1000 / 200, 3)} ms per address`);
  }

  // c. Phase tables at concurrency 1 (wall and CPU attributable to each step).
  const createTable: PhaseTable = new Map();
  await withDerivationClock(async () => {
    for (let i = 0; i < 300; i++) await phasedCreate(db, key, i, createTable);
  });
  printPhases("c. POST /api/v1/invoices, step by step, 300 sequential creates", createTable, 300);
  const getTable: PhaseTable = new Map();
  for (const id of ids.slice(0, 2000)) await phasedGet(db, key, id, getTable);
  printPhases("   GET /api/v1/invoices/{id}, step by step, 2000 sequential GETs", getTable, 2000);

  // d. Full API path at C=16 with wait sampling and what-if runs.
  log(`\n  d. Full API path, N = 1500, C = 16`);
  const sampled = await sampleWaits(() => pool(1500, 16, (i) => createOne(key, i)));
  log(`    (while sampling: ${fmt(sampled.perSec, 0)} invoices/s — the sampler itself costs some CPU)`);
  const wb = await walSnapshot();
  const base = await pool(1500, 16, (i) => createOne(key, i));
  log(`    baseline, as benchmarked:               ${fmt(base.perSec, 0)} invoices/s, p50 ${fmt(base.p50)} ms, p99 ${fmt(base.p99)} ms — ${cpuNote(base)}; ${await walNote(wb, base.n)}`);

  const line = (label: string, r: Stats) =>
    log(`    ${label.padEnd(46)} ${fmt(r.perSec, 0).padStart(4)} invoices/s, p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms — ${cpuNote(r)}`);
  const createRun = (k = key) => pool(1500, 16, (i) => createOne(k, i));

  // Each what-if changes one thing outside the application code and is undone afterwards.
  const keys = [key];
  for (let k = 1; k < 10; k++) keys.push((await createTestKey(db, merchantId, "test")).key);
  line("10 API keys (rate-limit row not shared):", await pool(1500, 16, (i) => createOne(keys[i % keys.length]!, i)));

  line("baseline again (drift check):", await createRun());

  // Every commit asynchronous: an upper bound for "no request waits for a WAL flush" (not a fix for invoices).
  const asyncClient = postgres(benchUrl, {
    max: 10,
    onnotice: () => {},
    connection: { application_name: "cryptocheckout", synchronous_commit: "off" },
  });
  const asyncHandle: DatabaseHandle = {
    db: drizzle(asyncClient, { schema }) as unknown as Db,
    kind: "postgres",
    close: () => asyncClient.end({ timeout: 5 }),
  };
  setDatabaseForTesting(asyncHandle);
  try {
    line("synchronous_commit=off everywhere:", await createRun());
    const lat: number[] = [];
    const m = startMeter();
    for (const id of ids.slice(0, 2000)) {
      const t = nowNs();
      await getOne(key, id);
      lat.push(msSince(t));
    }
    const g = stats(lat, 0, m);
    log(`    synchronous_commit=off, 2000 sequential GETs: p50 ${fmt(g.p50)} ms, p90 ${fmt(g.p90)} ms, p99 ${fmt(g.p99)} ms, max ${fmt(g.max)} ms`);
  } finally {
    setDatabaseForTesting(handle);
    await asyncHandle.close();
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  let handle: DatabaseHandle | null = null;
  try {
    const machine = await logMachine(admin, log, fmt);
    const loadAvg = () => os.loadavg().map((x) => fmt(x)).join(" / ");
    const idle = startMeter();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const background = stats([], 0, idle).machineBusyPct;
    log(
      `  idle CPU  machine ${fmt(background, 0)}% busy over 3 s before starting (load avg ${loadAvg()})` +
        (background > 15 ? " — WARNING: something else is using the CPU, figures will be noisy" : ""),
    );

    // 1. Fresh database, migrations, configuration, merchants, key.
    log(`\nSetup (${DB_NAME})`);
    let t0 = nowNs();
    await admin.unsafe(`drop database if exists "${DB_NAME}" with (force)`);
    await admin.unsafe(`create database "${DB_NAME}"`);
    handle = await openDatabase({ url: benchUrl, poolMax: 10 });
    setDatabaseForTesting(handle);
    const db = handle.db;
    log(`  database created and migrated in ${fmt(msSince(t0) / 1000, 1)} s`);

    await db.insert(systemConfiguration).values({
      ...DEFAULT_SYSTEM_CONFIG,
      // Offline: only the static provider, so a stale rate is refreshed without touching the network.
      exchangeRateProviders: [{ id: "static", enabled: true, priority: 1 }],
      securitySettings: { ...DEFAULT_SYSTEM_CONFIG.securitySettings, apiRateLimitPerMinute: 10_000_000 },
    });
    invalidateSystemConfig(db);

    t0 = nowNs();
    const merchantIds: string[] = [];
    for (let account = 0; account < MERCHANTS; account++) {
      // Only merchant 0 creates invoices through the API, so only it needs wallets.
      const m = await createTestMerchant(db, { plan: "pro", account, wallets: account === 0 });
      merchantIds.push(m.merchantId);
    }
    const { key } = await createTestKey(db, merchantIds[0]!, "test");
    log(`  ${MERCHANTS} merchants (+ wallets and a test key for merchant 0) in ${fmt(msSince(t0) / 1000, 1)} s`);

    // 2. Bulk load.
    log(`\nBulk load`);
    t0 = nowNs();
    const load = await bulkLoad(merchantIds);
    const loadMs = msSince(t0);
    log(`  total ${fmt(loadMs / 1000, 1)} s`);

    const sqlClient = postgres(benchUrl, { max: 1, onnotice: () => {} });
    const [counts] = (await sqlClient`
      select count(*)::int as total,
             count(*) filter (where merchant_id = ${merchantIds[0]!})::int as merchant0,
             count(*) filter (where merchant_id = ${merchantIds[0]!} and not livemode)::int as merchant0_test,
             pg_size_pretty(pg_total_relation_size('invoices')) as invoices_size,
             pg_size_pretty(pg_total_relation_size('invoice_items')) as items_size
      from invoices`) as unknown as [{ total: number; merchant0: number; merchant0_test: number; invoices_size: string; items_size: string }];
    const statusMix = (await sqlClient`
      select status::text, count(*)::int as n from invoices group by 1 order by 2 desc`) as unknown as { status: string; n: number }[];
    // Sample GET ids from the bulk-loaded rows of merchant 0 in test mode (the key's scope).
    const idRows = (await sqlClient`
      select id from invoices where merchant_id = ${merchantIds[0]!} and livemode = false
      order by random() limit ${GET_N}`) as unknown as { id: string }[];
    await sqlClient.end({ timeout: 5 });
    const ids = idRows.map((r) => r.id);
    log(
      `  ${counts.total.toLocaleString("en-US")} invoices (${counts.invoices_size} with indexes), items ${counts.items_size}; ` +
        `merchant 0 owns ${counts.merchant0.toLocaleString("en-US")} (${counts.merchant0_test.toLocaleString("en-US")} test mode)`,
    );
    log(`  status mix: ${statusMix.map((s) => `${s.status} ${fmt((s.n / counts.total) * 100, 1)}%`).join(", ")}`);
    if (ids.length === 0) throw new Error("no test-mode invoices for merchant 0");
    if (ids.length < GET_N) log(`  note: only ${ids.length} distinct ids to GET (small BENCH_INVOICES); they are reused`);
    while (ids.length < GET_N) ids.push(ids[ids.length % idRows.length]!);

    // Fresh quotes now (they are valid for 15 minutes of locking), after the long load.
    await seedFreshRates(db);

    // 3. Warm-up.
    log(`\nWarm-up: 200 creates (concurrency 8), 500 GETs`);
    await pool(200, 8, (i) => createOne(key, i));
    for (let i = 0; i < 500; i++) await getOne(key, ids[i % ids.length]!);

    // 4. Create throughput.
    log(`\nPOST /api/v1/invoices, N = ${CREATE_N} per run`);
    const createRuns: { concurrency: number; s: Stats; idempotent: boolean }[] = [];
    for (const concurrency of CREATE_CONCURRENCY) {
      const w = await walSnapshot();
      const s = await pool(CREATE_N, concurrency, (i) => createOne(key, i));
      createRuns.push({ concurrency, s, idempotent: false });
      log(
        `  C=${String(concurrency).padStart(2)}: ${fmt(s.perSec, 0)} invoices/s, p50 ${fmt(s.p50)} ms, p99 ${fmt(s.p99)} ms, ` +
          `max ${fmt(s.max)} ms, errors ${s.errors}\n        ${cpuNote(s)}\n        ${await walNote(w, s.n)}`,
      );
    }
    {
      // Informational: the same with an Idempotency-Key per request, as well-behaved clients send.
      const w = await walSnapshot();
      const s = await pool(CREATE_N, 16, (i) => createOne(key, i, true));
      createRuns.push({ concurrency: 16, s, idempotent: true });
      log(
        `  C=16 + Idempotency-Key: ${fmt(s.perSec, 0)} invoices/s, p50 ${fmt(s.p50)} ms, p99 ${fmt(s.p99)} ms, ` +
          `max ${fmt(s.max)} ms, errors ${s.errors}\n        ${cpuNote(s)}\n        ${await walNote(w, s.n)}`,
      );
    }

    // 5. GET latency (sequential) and throughput (concurrency 8).
    log(`\nGET /api/v1/invoices/{id}, ${GET_N} random bulk-loaded ids of merchant 0`);
    const seqLat: number[] = [];
    let seqErrors = 0;
    const wSeq = await walSnapshot();
    const seqMeter = startMeter();
    for (const id of ids) {
      const t = nowNs();
      const ok = await getOne(key, id);
      seqLat.push(msSince(t));
      if (!ok) seqErrors += 1;
    }
    const getSeq = stats(seqLat, seqErrors, seqMeter);
    log(
      `  sequential: p50 ${fmt(getSeq.p50)} ms, p90 ${fmt(getSeq.p90)} ms, p99 ${fmt(getSeq.p99)} ms, max ${fmt(getSeq.max)} ms, ` +
        `errors ${getSeq.errors}\n        ${cpuNote(getSeq)}\n        ${await walNote(wSeq, getSeq.n)}`,
    );
    const shuffled = shuffle(ids);
    const wC8 = await walSnapshot();
    const getC8 = await pool(shuffled.length, 8, (i) => getOne(key, shuffled[i]!));
    log(
      `  C=8: ${fmt(getC8.perSec, 0)} req/s, p50 ${fmt(getC8.p50)} ms, p99 ${fmt(getC8.p99)} ms, max ${fmt(getC8.max)} ms, ` +
        `errors ${getC8.errors}\n        ${cpuNote(getC8)}\n        ${await walNote(wC8, getC8.n)}`,
    );

    // 6. Summary.
    const headline = createRuns.find((r) => r.concurrency === 16 && !r.idempotent)!.s;
    const mark = (ok: boolean) => (ok ? "OK" : "MISSED");
    log(`\nSummary (${counts.total.toLocaleString("en-US")} invoices, ${MERCHANTS} merchants; load ${fmt(loadMs / 1000, 1)} s)`);
    log("| Measure | Result | p50 ms | p90 ms | p99 ms | max ms | errors | Target | |");
    log("|---|---|---|---|---|---|---|---|---|");
    for (const r of createRuns) {
      const isHeadline = r.concurrency === 16 && !r.idempotent;
      log(
        `| Create, C=${r.concurrency}${r.idempotent ? " + Idempotency-Key" : ""} | ${fmt(r.s.perSec, 0)} invoices/s | ${fmt(r.s.p50)} | ${fmt(r.s.p90)} | ${fmt(r.s.p99)} | ${fmt(r.s.max)} | ${r.s.errors}/${r.s.n} | ` +
          `${isHeadline ? `≥ ${TARGET_CREATE_PER_S}/s` : "—"} | ${isHeadline ? mark(r.s.perSec >= TARGET_CREATE_PER_S && r.s.errors === 0) : ""} |`,
      );
    }
    log(
      `| GET by id, sequential | ${fmt(getSeq.perSec, 0)} req/s | ${fmt(getSeq.p50)} | ${fmt(getSeq.p90)} | ${fmt(getSeq.p99)} | ${fmt(getSeq.max)} | ${getSeq.errors}/${getSeq.n} | ` +
        `p99 ≤ ${TARGET_GET_P99_MS} ms | ${mark(getSeq.p99 <= TARGET_GET_P99_MS && getSeq.errors === 0)} |`,
    );
    log(
      `| GET by id, C=8 | ${fmt(getC8.perSec, 0)} req/s | ${fmt(getC8.p50)} | ${fmt(getC8.p90)} | ${fmt(getC8.p99)} | ${fmt(getC8.max)} | ${getC8.errors}/${getC8.n} | — | |`,
    );
    log(
      `\nload: invoices ${fmt(load.invoicesMs / 1000, 1)} s, items ${fmt(load.itemsMs / 1000, 1)} s, ` +
        `vacuum/analyze/checkpoint ${fmt(load.vacuumMs / 1000, 1)} s`,
    );
    log(`machine: ${machine.cpu}, ${machine.ram} RAM, Node ${machine.node}, ${machine.postgres.split(" on ")[0]}; load avg now ${loadAvg()}`);
    if (headline.perSec < TARGET_CREATE_PER_S) log(`MISSED: create throughput ${fmt(headline.perSec, 0)}/s < ${TARGET_CREATE_PER_S}/s`);
    if (getSeq.p99 > TARGET_GET_P99_MS) log(`MISSED: GET p99 ${fmt(getSeq.p99)} ms > ${TARGET_GET_P99_MS} ms`);

    if (process.env.BENCH_PROFILE === "1") await profile(handle, key, merchantIds[0]!, ids);
  } finally {
    if (statsSql) await statsSql.end({ timeout: 5 });
    if (handle) await handle.close();
    if (process.env.BENCH_KEEP_DB === "1") {
      log(`\nkept database ${DB_NAME} (BENCH_KEEP_DB=1)`);
    } else {
      await admin.unsafe(`drop database if exists "${DB_NAME}" with (force)`).catch((e: unknown) => console.error(e));
    }
    await admin.end({ timeout: 5 });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
