/**
 * `npm run bench:dashboard`: the merchant dashboard's read queries on a real PostgreSQL holding
 * 1,000,000 invoices across 1,000 merchants (issue 6, "Speed").
 *
 *   1. one merchant's invoice list, first page (target p99 ≤ 25 ms), and a deep page reached
 *      through a keyset cursor; also the other sorts and a few filters;
 *   2. full-text search and exact look-ups (reference, customer email, tx hash) (target p99 ≤ 100 ms);
 *   3. the 90-day analytics query, computeMerchantAnalytics (target ≤ 500 ms);
 *   4. EXPLAIN (ANALYZE, BUFFERS) of each measured statement.
 *
 * The timings call the functions the pages call (lib/invoices/dashboard-list.ts,
 * lib/analytics/merchant-analytics.ts) in this process, on a pool like the app's; HTTP and
 * rendering are not included. Merchants are drawn uniformly, and the largest merchant (about
 * 32,000 invoices) is always among them, since invoice counts are skewed as in real life.
 *
 * Env: DATABASE_URL      PostgreSQL server URL, e.g. postgres://postgres@127.0.0.1:5432/test; a fresh
 *                        database bench_dashboard_<random> is created there and dropped at the end
 *      BENCH_INVOICES    invoices to load (default 1000000)
 *      BENCH_MERCHANTS   merchants (default 1000)
 *      BENCH_SAMPLES     timed calls per measure (default 1000)
 *      BENCH_KEEP_DB=1   keep the database afterwards
 *      BENCH_DB=<name>   measure a database kept by an earlier run (no load; implies BENCH_KEEP_DB=1)
 */
import { databaseUrl, fmt, log, logMachine, msSince, nowNs, percentile, shuffle } from "./bench-common";
import { randomBytes, randomInt } from "node:crypto";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Db } from "@/db";
import { openDatabase } from "@/db/client";
import * as schema from "@/db/schema";
import { listDashboardInvoices } from "@/lib/invoices/dashboard-list";
import { DEFAULT_INVOICE_QUERY, encodeListCursor, type InvoiceListQuery } from "@/lib/invoices/dashboard-params";

// Ephemeral secrets so settings() (read by modules the analytics may import) creates no files.
process.env.AUTH_SECRET ||= randomBytes(32).toString("base64url");
process.env.ENCRYPTION_KEY ||= randomBytes(32).toString("base64");

const SERVER_URL = process.env.DATABASE_URL;
const INVOICES = Number(process.env.BENCH_INVOICES || 1_000_000);
const MERCHANTS = Number(process.env.BENCH_MERCHANTS || 1000);
const SAMPLES = Number(process.env.BENCH_SAMPLES || 1000);
const TARGETS = { list: 25, search: 100, analytics: 500 };

type Merchant = { id: string; n: number; live: number };
type Measure = { label: string; target?: number; run: (m: Merchant, i: number) => Promise<unknown> };
type Result = { label: string; p50: number; p95: number; p99: number; max: number; n: number; target?: number };

async function time(label: string, merchants: Merchant[], samples: number, run: Measure["run"], target?: number): Promise<Result> {
  // A first, untimed-for-the-verdict pass touches every merchant once (cold cache), then the measured calls.
  const cold: number[] = [];
  for (const [i, m] of merchants.entries()) {
    const start = nowNs();
    await run(m, i);
    cold.push(msSince(start));
  }
  cold.sort((a, b) => a - b);
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const m = merchants[i % merchants.length]!;
    const start = nowNs();
    await run(m, i);
    times.push(msSince(start));
  }
  times.sort((a, b) => a - b);
  const r = { label, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), max: times.at(-1)!, n: samples, target };
  const verdict = target === undefined ? "" : r.p99 <= target ? `  OK (target p99 ≤ ${target} ms)` : `  MISSED (target p99 ≤ ${target} ms)`;
  log(`  ${label.padEnd(44)} p50 ${fmt(r.p50).padStart(7)}  p95 ${fmt(r.p95).padStart(7)}  p99 ${fmt(r.p99).padStart(7)}  max ${fmt(r.max).padStart(7)} ms${verdict}`);
  log(`  ${"".padEnd(44)} (first pass, cold: p50 ${fmt(percentile(cold, 50))}  p99 ${fmt(percentile(cold, 99))}  max ${fmt(cold.at(-1)!)} ms)`);
  return r;
}

/** A cursor into the middle of the merchant's live invoices: the page a merchant reaches by paging deep. */
async function deepCursors(client: postgres.Sql, merchants: Merchant[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const m of merchants) {
    const [row] = await client`
      select id, created_at::text as created from invoices where merchant_id = ${m.id} and livemode
      order by created_at desc, id desc offset ${Math.floor(m.live / 2)} limit 1`;
    if (row) out.set(m.id, encodeListCursor({ sort: "created", createdAt: row.created as string, id: row.id as string }));
  }
  return out;
}

type Probe = { reference: string; email: string; word: string; txHash: string | null };

/** Per merchant, real values to search for: a reference, a customer email, a title word, a tx hash. */
async function searchProbes(client: postgres.Sql, merchants: Merchant[]): Promise<Map<string, Probe>> {
  const out = new Map<string, Probe>();
  const words = ["subscription", "annual", "hosting", "license", "consulting", "coffee", "ticket", "bundle"];
  for (const m of merchants) {
    const [inv] = await client`select reference from invoices where merchant_id = ${m.id} and livemode order by random() limit 1`;
    const [cust] = await client`select email from customers where merchant_id = ${m.id} order by random() limit 1`;
    const [pay] = await client`
      select p.tx_hash from payments p join invoices i on i.id = p.invoice_id where i.merchant_id = ${m.id} and i.livemode limit 1`;
    out.set(m.id, {
      reference: (inv?.reference as string) ?? "ORD-1",
      email: (cust?.email as string) ?? "nobody@example.org",
      word: words[randomInt(words.length)]!,
      txHash: (pay?.tx_hash as string) ?? null,
    });
  }
  return out;
}

type Analytics = (db: Db, merchantId: string, options: { from: Date; to: Date; bucket: "day" | "week" | "month" }) => Promise<unknown>;

async function loadAnalytics(): Promise<Analytics | null> {
  try {
    const mod = (await import("@/lib/analytics/merchant-analytics")) as { computeMerchantAnalytics?: Analytics };
    return typeof mod.computeMerchantAnalytics === "function" ? mod.computeMerchantAnalytics : null;
  } catch (error) {
    log(`  (lib/analytics/merchant-analytics could not be loaded: ${(error as Error).message.split("\n")[0]})`);
    return null;
  }
}

/** EXPLAIN (ANALYZE, BUFFERS) of every statement `run` issues, printed as PostgreSQL formats it. */
async function explain(url: string, label: string, run: (db: Db) => Promise<unknown>): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  const captured: { sql: string; params: unknown[] }[] = [];
  const db = drizzle(client, { schema, logger: { logQuery: (text, params) => void captured.push({ sql: text, params }) } }) as unknown as Db;
  try {
    await run(db);
    log(`\n--- ${label}: ${captured.length} statement(s)`);
    for (const q of captured) {
      const params = q.params.map((p) => (typeof p === "bigint" ? p.toString() : p instanceof Date ? p.toISOString() : p)) as postgres.ParameterOrJSON<never>[];
      log(q.sql.length > 600 ? `${q.sql.slice(0, 600)} …` : q.sql);
      const rows = await client.unsafe(`explain (analyze, buffers) ${q.sql}`, params);
      for (const r of rows) log(`    ${r["QUERY PLAN"] as string}`);
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

// ---------------------------------------------------------------------------------------------
// Data, generated in SQL (INSERT … SELECT over generate_series): merchants, 20 customers each,
// invoices with a skewed merchant distribution (merchant n gets a share ∝ 1/√n: the largest about
// 3 % of all), statuses and currencies in realistic proportions, created over the past year.

const TITLES = ["Annual subscription", "Monthly subscription", "Hosting plan", "Software license", "Consulting hours", "Coffee beans", "Concert ticket", "Starter bundle", "Pro plan upgrade", "Domain renewal"];

async function loadDashboardData(client: postgres.Sql, counts: { invoices: number; merchants: number }) {
  const start = nowNs();
  await client`
    insert into exchange_rates (from_currency, to_currency, rate, source, locked_at, expires_at)
    select f::fiat_currency, c::crypto_currency, 1, 'bench', now() - interval '2 years', now() + interval '1 day'
    from unnest(array['USD', 'EUR', 'CNY']) f, unnest(array['BTC', 'ETH', 'USDT']) c`;
  await client`
    insert into merchants (business_name, contact_email, status, plan_type, created_at)
    select 'Bench Merchant ' || g, 'merchant' || g || '@bench.example.com', 'active', 'pro', now() - interval '400 days'
    from generate_series(0, ${counts.merchants - 1}::int) g`;
  await client`create table bench_m as select (regexp_replace(business_name, '[^0-9]', '', 'g'))::int as n, id from merchants`;
  await client`create unique index on bench_m (n)`;
  await client`
    insert into customers (merchant_id, email, created_at)
    select m.id, 'customer' || k || '.m' || m.n || '@example.org', now() - interval '380 days' from bench_m m, generate_series(0, 19) k`;
  await client`
    create table bench_c as
    select m.n, (regexp_replace(split_part(c.email, '.', 1), '[^0-9]', '', 'g'))::int as k, c.id
    from customers c join bench_m m on m.id = c.merchant_id`;
  await client`create unique index on bench_c (n, k)`;
  const batch = 100_000;
  for (let first = 0; first < counts.invoices; first += batch) {
    const last = Math.min(counts.invoices, first + batch) - 1;
    await client`
      insert into invoices (merchant_id, customer_id, livemode, reference, title, description, status, exception, fiat_currency,
        subtotal_minor, tax_minor, total_minor, crypto_currency, network, crypto_amount, amount_received, exchange_rate_id,
        payment_address, derivation_index, underpayment_threshold_bps, overpayment_threshold_bps, overpayment_action,
        required_confirmations, expires_at, created_at, updated_at, address_generated_at, paid_at)
      select m.id, c.id, x.r_live < 0.85, 'ORD-' || lpad(x.g::text, 7, '0'),
        (${TITLES}::text[])[1 + floor(x.r_title * 10)::int] || ' #' || (x.g % 1000),
        case when x.r_title < 0.3 then 'Order for customer ' || coalesce(x.ck::text, 'guest') || ', delivered by email' end,
        s.status::invoice_status, 'none', a.fiat::fiat_currency, x.sub, t.tax, x.sub + t.tax, a.crypto::crypto_currency, a.network::blockchain_network,
        x.sub * a.factor, case when s.status in ('paid', 'refunded', 'confirming') then x.sub * a.factor when s.status = 'partial' then x.sub * a.factor / 2 else 0 end,
        r.id,
        case a.network when 'bitcoin' then 'bc1q' || substr(md5(x.g::text), 1, 38)
          when 'ethereum' then '0x' || substr(md5(x.g::text) || md5(x.g::text || 'e'), 1, 40)
          else 'T' || substr(md5(x.g::text), 1, 33) end,
        x.g, 100, 500, 'credit', a.confirmations, x.created + interval '30 minutes', x.created, x.created, x.created,
        case when s.status in ('paid', 'refunded') then x.created + x.r_time * interval '25 minutes' end
      from (
        select g, floor(${counts.merchants}::int * power(random(), 2))::int as mn, random() as r_status, random() as r_cur, random() as r_asset,
          random() as r_time, random() as r_live, random() as r_title, floor(random() * 28)::int as ck,
          (500 + floor(random() * 250000))::bigint as sub, random() as r_tax,
          now() - random() * interval '365 days' as created
        from generate_series(${first}::int, ${last}::int) g
      ) x
      join bench_m m on m.n = x.mn
      left join bench_c c on c.n = x.mn and c.k = x.ck
      cross join lateral (select case when x.r_tax < 0.4 then x.sub / 10 else 0 end as tax) t
      cross join lateral (select case
          when x.created > now() - interval '3 days' and x.r_status < 0.5 then (array['pending', 'partial', 'confirming'])[1 + floor(x.r_status * 6)::int]
          when x.r_status < 0.62 then 'paid' when x.r_status < 0.87 then 'expired' when x.r_status < 0.96 then 'cancelled' else 'refunded' end as status) s
      cross join lateral (select case when x.r_cur < 0.6 then 'USD' when x.r_cur < 0.9 then 'EUR' else 'CNY' end as fiat,
          case when x.r_asset < 0.3 then 'BTC' when x.r_asset < 0.5 then 'ETH' else 'USDT' end as crypto,
          case when x.r_asset < 0.3 then 'bitcoin' when x.r_asset < 0.75 then 'ethereum' else 'tron' end as network,
          case when x.r_asset < 0.3 then 1 when x.r_asset < 0.5 then 3000000000000 else 10000 end as factor,
          case when x.r_asset < 0.3 then 2 when x.r_asset < 0.75 then 12 else 19 end as confirmations) a
      join exchange_rates r on r.from_currency = a.fiat::fiat_currency and r.to_currency = a.crypto::crypto_currency`;
    process.stdout.write(`\r  loaded ${last + 1} invoices in ${fmt(msSince(start) / 1000, 1)} s`);
  }
  process.stdout.write("\n");
  // One on-chain payment for a fifth of the paid invoices, so tx hashes can be searched.
  await client`
    insert into payments (invoice_id, network, tx_hash, output_index, asset, amount, to_address, status, confirmations,
      required_confirmations, block_number, detected_at, last_seen_at, confirmed_at)
    select id, network, case network when 'ethereum' then '0x' else '' end || md5(id::text) || md5(id::text || 'p'), 0, crypto_currency,
      crypto_amount, payment_address, 'confirmed', required_confirmations, required_confirmations, 800000, created_at + interval '5 minutes',
      paid_at, paid_at
    from invoices where status in ('paid', 'refunded') and random() < 0.2`;
  await client`vacuum analyze`;
  return dataStats(client, msSince(start));
}

async function dataStats(client: postgres.Sql, ms: number) {
  const [stats] = await client`
    select (select count(*) from invoices)::int as invoices, (select count(*) from merchants)::int as merchants,
      (select count(*) from customers)::int as customers, (select count(*) from payments)::int as payments,
      pg_size_pretty(pg_total_relation_size('invoices')) as size`;
  const [per] = await client`
    select max(n)::int as largest, percentile_disc(0.5) within group (order by n)::int as median, min(n)::int as smallest
    from (select count(*) as n from invoices group by merchant_id) t`;
  return { ...(stats as { invoices: number; merchants: number; customers: number; payments: number; size: string }), ...(per as { largest: number; median: number; smallest: number }), ms };
}

async function main(): Promise<void> {
  if (!SERVER_URL) throw new Error("Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/test");
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  const reuse = process.env.BENCH_DB;
  if (reuse && !/^bench_dashboard_[a-z0-9]+$/.test(reuse)) throw new Error("BENCH_DB must name a bench_dashboard_… database");
  const name = reuse ?? `bench_dashboard_${randomBytes(5).toString("hex")}`;
  const keep = Boolean(reuse) || process.env.BENCH_KEEP_DB === "1";
  const url = databaseUrl(SERVER_URL, name);
  try {
    await logMachine(admin, log, fmt);
    if (!reuse) await admin.unsafe(`create database "${name}"`);
    const handle = await openDatabase({ url, poolMax: 4 }); // migrates
    const client = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const loaded = reuse ? await dataStats(client, 0) : await loadDashboardData(client, { invoices: INVOICES, merchants: MERCHANTS });
      log(`\nData: ${loaded.invoices} invoices, ${loaded.merchants} merchants, ${loaded.customers} customers, ${loaded.payments} payments; ${reuse ? "reused" : `loaded in ${fmt(loaded.ms / 1000, 1)} s`} (database ${name})`);
      log(`  invoices per merchant: largest ${loaded.largest}, median ${loaded.median}, smallest ${loaded.smallest}; invoices table with indexes ${loaded.size}`);
      const all = (await client`
        select m.id, row_number() over (order by count(*) desc) as n, count(*) filter (where i.livemode) as live
        from merchants m join invoices i on i.merchant_id = m.id group by m.id`).map((r) => ({ id: r.id as string, n: Number(r.n), live: Number(r.live) }));
      const largest = all.find((m) => m.n === 1)!;
      // Uniform over merchants, with the largest always included.
      const sample = [largest, ...shuffle(all.filter((m) => m !== largest)).slice(0, 199)];
      const deep = await deepCursors(client, sample);
      const probes = await searchProbes(client, sample);
      const db = handle.db;
      const q = (over: Partial<InvoiceListQuery>): InvoiceListQuery => ({ ...DEFAULT_INVOICE_QUERY, ...over });
      const days = (n: number) => new Date(Date.now() - n * 86_400_000);
      const day0 = new Date(new Date().toISOString().slice(0, 10));

      log(`\nInvoice list (${SAMPLES} calls each over ${sample.length} merchants; 25 rows a page, live mode)`);
      const results: Result[] = [];
      const list = (label: string, query: (m: Merchant) => InvoiceListQuery, target?: number) =>
        time(label, sample, SAMPLES, (m) => listDashboardInvoices(db, m.id, query(m)), target).then((r) => results.push(r));
      await list("first page, newest first", () => q({}), TARGETS.list);
      await list("deep page (middle of history, keyset)", (m) => q({ after: deep.get(m.id) }), TARGETS.list);
      await list("first page, oldest first", () => q({ dir: "asc" }), TARGETS.list);
      await list("first page, by total (largest first)", () => q({ sort: "total" }), TARGETS.list);
      await list("first page, by status", () => q({ sort: "status", dir: "asc" }), TARGETS.list);
      await list("status = pending", () => q({ status: "pending" }), TARGETS.list);
      await list("currency = EUR", () => q({ currency: "EUR" }), TARGETS.list);
      await list("last 30 days, paid", () => q({ status: "paid", from: days(30), toExclusive: new Date(day0.getTime() + 86_400_000) }), TARGETS.list);

      log(`\nSearch (${SAMPLES} calls each)`);
      const search = (label: string, term: (p: Probe) => string | null) =>
        time(label, sample, SAMPLES, (m) => listDashboardInvoices(db, m.id, q({ q: term(probes.get(m.id)!) ?? "none" })), TARGETS.search).then((r) => results.push(r));
      await search("full-text: a title word", (p) => p.word);
      await search("full-text: two words", (p) => `${p.word} plan`);
      await search("order reference", (p) => p.reference);
      await search("customer email", (p) => p.email);
      await search("transaction hash", (p) => p.txHash);

      const analytics = await loadAnalytics();
      if (!analytics) {
        log("\nAnalytics: SKIPPED — lib/analytics/merchant-analytics.ts with computeMerchantAnalytics does not exist yet.");
      } else {
        const n = Math.min(SAMPLES, 200);
        log(`\nAnalytics, 90 days by day (${n} calls)`);
        const run = (m: Merchant) => analytics(db, m.id, { from: days(90), to: new Date(), bucket: "day" });
        results.push(await time("computeMerchantAnalytics 90 days", sample, n, run, TARGETS.analytics));
        results.push(await time("  … the largest merchant only", [largest], 20, run, TARGETS.analytics));
      }

      log("\nEXPLAIN (ANALYZE, BUFFERS), largest merchant:");
      const probe = probes.get(largest.id)!;
      const explained: [string, (d: Db) => Promise<unknown>][] = [
        ["list: first page", (d) => listDashboardInvoices(d, largest.id, q({}))],
        ["list: deep page", (d) => listDashboardInvoices(d, largest.id, q({ after: deep.get(largest.id) }))],
        ["list: by total", (d) => listDashboardInvoices(d, largest.id, q({ sort: "total" }))],
        ["list: by status", (d) => listDashboardInvoices(d, largest.id, q({ sort: "status", dir: "asc" }))],
        ["list: currency = EUR", (d) => listDashboardInvoices(d, largest.id, q({ currency: "EUR" }))],
        ["search: title word", (d) => listDashboardInvoices(d, largest.id, q({ q: probe.word }))],
        ["search: two words", (d) => listDashboardInvoices(d, largest.id, q({ q: `${probe.word} plan` }))],
        ["search: reference", (d) => listDashboardInvoices(d, largest.id, q({ q: probe.reference }))],
        ["search: customer email", (d) => listDashboardInvoices(d, largest.id, q({ q: probe.email }))],
        ["search: tx hash", (d) => listDashboardInvoices(d, largest.id, q({ q: probe.txHash ?? "none" }))],
      ];
      if (analytics) explained.push(["analytics: 90 days", (d) => analytics(d, largest.id, { from: days(90), to: new Date(), bucket: "day" })]);
      for (const [label, run] of explained) await explain(url, label, run);

      log("\nSummary");
      for (const r of results) {
        const ok = r.target === undefined ? "" : r.p99 <= r.target ? "OK" : "MISSED";
        log(`  ${r.label.padEnd(44)} p99 ${fmt(r.p99).padStart(7)} ms ${ok}`);
      }
    } finally {
      await client.end({ timeout: 5 });
      await handle.close();
    }
  } finally {
    if (keep) log(`\nKept database ${name}`);
    else await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end({ timeout: 5 });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
