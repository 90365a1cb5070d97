import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, inArray, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import { auditEntries, chainBlocks, chainCursors, invoices, outboxEvents, payments } from "@/db/schema";
import { SYSTEM_AUDIT } from "@/lib/audit";
import { createInvoiceRecord } from "@/lib/invoices/create-invoice";
import { startEvmChain, type EvmChain } from "../helpers/evm-chain";
import { preparePaymentDatabase } from "../helpers/payment-flow";
import { createTestMerchant } from "../helpers/merchant-fixtures";

// Kill -9 the worker process in the middle of a scan, start it again, and check that every
// payment was recorded exactly once. Needs a database two processes can share: PostgreSQL
// (embedded PGlite allows one process per data directory).
const serverUrl = process.env.DATABASE_URL;
const PAYMENTS = 30;

let admin: ReturnType<typeof postgres>;
let dbName: string;
let dbUrl: string;
let h: DatabaseHandle;
let chain: EvmChain;
let proxy: Server;
let proxyUrl: string;
let inFlight = 0;
let secretsDir: string;
const children: ChildProcess[] = [];

/** Forwards JSON-RPC to anvil 20 ms late, so a scan takes long enough to be interrupted. */
async function startSlowProxy(target: string) {
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      inFlight++;
      try {
        await new Promise((r) => setTimeout(r, 20));
        const answer = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body: Buffer.concat(chunks) });
        res.writeHead(answer.status, { "content-type": "application/json" });
        res.end(Buffer.from(await answer.arrayBuffer()));
      } catch {
        res.writeHead(502).end();
      } finally {
        inFlight--;
      }
    });
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
}

function startWorker(): ChildProcess {
  // One process (no tsx launcher in between), so the signals reach the worker itself.
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "development",
      DATABASE_URL: dbUrl,
      LOCAL_SECRETS_FILE: path.join(secretsDir, "secrets.json"),
      ETHEREUM_TEST_RPC_URL: proxyUrl,
      ETHEREUM_TEST_USDT_CONTRACT: chain.token,
      WATCH_MAX_BLOCKS_PER_SCAN: "2",
      WATCH_POLL_INTERVAL_SECONDS: "0.2",
      WATCHER: "off",
      DEV_CHAIN: "false",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return child;
}

async function cursorBlock(): Promise<bigint> {
  const [row] = await h.db.select({ lastBlock: chainCursors.lastBlock }).from(chainCursors).where(eq(chainCursors.source, "ethereum:test"));
  return row?.lastBlock ?? -1n;
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.runIf(serverUrl)("worker crash (PostgreSQL)", () => {
  const invoiceIds: string[] = [];
  const amounts = new Map<string, bigint>();
  let firstBlock = 0n;
  let lastBlock = 0n;

  beforeAll(async () => {
    secretsDir = mkdtempSync(path.join(tmpdir(), "worker-crash-"));
    dbName = `crash_${randomBytes(5).toString("hex")}`;
    admin = postgres(serverUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${dbName}"`);
    const url = new URL(serverUrl!);
    url.pathname = `/${dbName}`;
    dbUrl = url.toString();
    [h, chain] = await Promise.all([openDatabase({ url: dbUrl, poolMax: 4 }), startEvmChain()]);
    await startSlowProxy(chain.url);
    const db = h.db;
    await preparePaymentDatabase(db);
    const { merchantId } = await createTestMerchant(db);
    for (let i = 0; i < PAYMENTS; i++) {
      const { invoice } = await createInvoiceRecord(
        db,
        { merchantId, mode: "test", title: `Crash ${i}`, currency: "USD", items: [{ description: "x", quantity: 1n, unitPriceMinor: 100n + BigInt(i) }], cryptoCurrency: "USDT", network: "ethereum" },
        SYSTEM_AUDIT,
      );
      invoiceIds.push(invoice.id);
      amounts.set(invoice.id, invoice.cryptoAmount);
    }

    // The cursor starts just below the payments; one payment per block.
    const start = await chain.client.getBlock({ blockTag: "latest" });
    await db.insert(chainCursors).values({ source: "ethereum:test", network: "ethereum", lastBlock: start.number, lastBlockHash: start.hash });
    await db.insert(chainBlocks).values({ source: "ethereum:test", number: start.number, hash: start.hash, parentHash: start.parentHash });
    const rows = await db.select().from(invoices).where(inArray(invoices.id, invoiceIds));
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of invoiceIds) await chain.wait(await chain.sendUsdt(byId.get(id)!.paymentAddress, amounts.get(id)!));
    firstBlock = start.number + 1n;
    lastBlock = await chain.head();
    await chain.mine(6); // the early payments are confirmed by the time they are read
  }, 120_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    proxy?.close();
    await chain?.stop();
    await h?.close();
    await admin?.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin?.end({ timeout: 5 });
    if (secretsDir) rmSync(secretsDir, { recursive: true, force: true });
  });

  it("killed in the middle of a scan and restarted, the worker misses nothing and counts nothing twice", async () => {
    const first = startWorker();
    let log = "";
    first.stdout!.on("data", (d: Buffer) => (log += d.toString()));
    first.stderr!.on("data", (d: Buffer) => (log += d.toString()));
    // Kill it once it has committed a few ranges, while a request of the next scan is in flight.
    await until(async () => (await cursorBlock()) >= firstBlock + 6n && inFlight > 0, 60_000, `the first worker to get going (log: ${log})`);
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const atKill = await cursorBlock();
    expect(atKill).toBeLessThan(lastBlock);
    const recordedAtKill = (await h.db.select({ n: sql<number>`count(*)::int` }).from(payments))[0]!.n;
    expect(recordedAtKill).toBeLessThan(PAYMENTS);

    const second = startWorker();
    await until(async () => (await cursorBlock()) >= lastBlock + 6n, 60_000, "the second worker to catch up");
    second.kill("SIGTERM");
    const code = await new Promise<number | null>((r) => second.once("exit", r));
    expect(code).toBe(0);

    const rows = await h.db.select().from(payments).where(inArray(payments.invoiceId, invoiceIds));
    expect(rows).toHaveLength(PAYMENTS);
    for (const id of invoiceIds) {
      const mine = rows.filter((p) => p.invoiceId === id);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.amount).toBe(amounts.get(id));
    }
    const paymentIds = rows.map((p) => p.id);
    const detected = await h.db
      .select({ n: sql<number>`count(*)::int` })
      .from(outboxEvents)
      .where(and(eq(outboxEvents.eventType, "PaymentDetected"), inArray(outboxEvents.aggregateId, paymentIds)));
    expect(detected[0]!.n).toBe(PAYMENTS);
    const audits = await h.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditEntries)
      .where(and(eq(auditEntries.event, "payment.detected"), inArray(auditEntries.invoiceId, invoiceIds)));
    expect(audits[0]!.n).toBe(PAYMENTS);
    const statuses = await h.db.select({ status: invoices.status, received: invoices.amountReceived, id: invoices.id }).from(invoices).where(inArray(invoices.id, invoiceIds));
    for (const s of statuses) {
      expect(s.status).toBe("paid");
      expect(s.received).toBe(amounts.get(s.id));
    }
    const paidEvents = await h.db
      .select({ n: sql<number>`count(*)::int` })
      .from(outboxEvents)
      .where(and(eq(outboxEvents.eventType, "InvoicePaid"), inArray(outboxEvents.aggregateId, invoiceIds)));
    expect(paidEvents[0]!.n).toBe(PAYMENTS);
  }, 120_000);
});
