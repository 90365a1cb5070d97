import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db";
import type { DatabaseHandle } from "@/db/client";
import { chainCursors } from "@/db/schema";
import type { BlockRef, ChainAdapter, ChainHead, ObservedTransfer, TransferLookup, WatchSet } from "@/lib/chains/types";
import { expireInvoices } from "@/lib/jobs/expire-invoices";
import { pollSource, type WatchSource } from "@/lib/jobs/poll-chains";
import { paymentQueries, preparePaymentDatabase, testInvoice } from "../helpers/payment-flow";
import { createTestMerchant } from "../helpers/merchant-fixtures";
import { createTestDatabase } from "../helpers/test-db";

type T = Omit<ObservedTransfer, "block">;
type FB = BlockRef & { transfers: T[] };

/** An in-memory chain: blocks, a mempool, and a node that may lag behind the tip. */
class FakeChain {
  blocks: FB[] = [];
  pool: T[] = [];
  /** The node answering head()/block() sees only up to here (a lagging node behind a load balancer). */
  lag: bigint | null = null;
  seq = 0;
  constructor(t0: Date) {
    this.blocks.push({ number: 0n, hash: "0xgenesis", parentHash: null, timestamp: t0, transfers: [] });
  }
  get tip() { return this.blocks.at(-1)!; }
  mine(transfers: T[] = [], timestamp?: Date) {
    const prev = this.tip;
    const b: FB = { number: prev.number + 1n, hash: `0xb${++this.seq}`, parentHash: prev.hash, timestamp: timestamp ?? new Date(prev.timestamp.getTime() + 12_000), transfers };
    this.blocks.push(b);
    this.pool = this.pool.filter((p) => !transfers.some((t) => t.txHash === p.txHash));
    return b;
  }
  visible(n: bigint) { return this.lag === null || n <= this.lag; }
  adapter(): ChainAdapter {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the adapter's methods read the chain's current state
    const c = this;
    const ref = (b: FB): BlockRef => ({ number: b.number, hash: b.hash, parentHash: b.parentHash, timestamp: b.timestamp });
    return {
      network: "ethereum",
      description: "fake",
      maxBlocksPerScan: 5,
      async head(): Promise<ChainHead> {
        const top = c.lag !== null && c.lag < c.tip.number ? c.blocks[Number(c.lag)]! : c.tip;
        return { number: top.number, hash: top.hash };
      },
      async block(n) { const b = c.blocks[Number(n)]; return b && c.visible(n) ? ref(b) : null; },
      async scan(from, to, watch: WatchSet) {
        const blocks = c.blocks.slice(Number(from), Number(to) + 1);
        if (blocks.length !== Number(to - from + 1n)) throw new Error("not available");
        const all = blocks.flatMap((b) => b.transfers.map((t) => ({ ...t, block: ref(b) })));
        const w = await watch.match([...new Set(all.map((t) => t.toAddress))]);
        return { blocks: blocks.map(ref), transfers: all.filter((t) => w.has(t.toAddress)) };
      },
      async mempool(watch) {
        const w = await watch.match(c.pool.map((t) => t.toAddress));
        return c.pool.filter((t) => w.has(t.toAddress)).map((t) => ({ ...t, block: null }));
      },
      async lookup(r): Promise<TransferLookup> {
        for (const b of c.blocks) for (const t of b.transfers) if (t.txHash === r.txHash && t.index === r.index) return { state: "mined", transfer: { ...t, block: ref(b) } };
        const p = c.pool.find((t) => t.txHash === r.txHash && t.index === r.index);
        if (p) return { state: "mempool", transfer: { ...p, block: null } };
        return { state: "missing", reason: "dropped from the mempool" };
      },
    };
  }
}

let h: DatabaseHandle;
let db: Db;
let merchantId: string;
let n = 0;
beforeAll(async () => {
  h = await createTestDatabase();
  db = h.db;
  await preparePaymentDatabase(db);
  ({ merchantId } = await createTestMerchant(db));
}, 60_000);
afterAll(async () => { await h?.close(); });
const { state, eventsOf } = paymentQueries(() => db);

/** A fresh chain under its own source id (each test its own cursor). */
function setup(t0: Date) {
  const chain = new FakeChain(new Date(t0.getTime() - 60_000));
  const source: WatchSource = { id: `ethereum:test`, network: "ethereum", livemode: false, adapter: chain.adapter(), startBlock: 1n };
  return { chain, source };
}
async function resetCursor() {
  await db.delete(chainCursors).where(eq(chainCursors.source, "ethereum:test"));
}
const tx = (to: string, amount: bigint): T => ({ network: "ethereum", txHash: `0xtx${++n}`, index: 0, asset: "ETH", toAddress: to, fromAddress: null, amount });
const at = (t0: Date, min: number) => new Date(t0.getTime() + min * 60_000);

describe("poller edge cases (an in-memory chain behind the adapter interface)", () => {
  it("a payment missing once, after being seen for a while, is not failed; when mined later it pays the invoice", async () => {
    await resetCursor();
    const inv = await testInvoice(db, merchantId, 100n, { cryptoCurrency: "ETH", network: "ethereum" });
    const t0 = inv.createdAt;
    const { chain, source } = setup(t0);
    chain.mine();
    const poll = async (min: number) => { const r = await pollSource(db, source, { now: () => at(t0, min) }); expect(r.error).toBeUndefined(); return r; };
    await poll(0);
    const pay = tx(inv.paymentAddress, inv.cryptoAmount);
    chain.pool.push(pay);
    await poll(1);
    expect((await state(inv.id)).invoice.status).toBe("confirming");
    for (const m of [3, 5, 7, 9, 11]) await poll(m); // seen waiting in the mempool at every poll
    chain.pool = []; // evicted once (node restart / mempool full); lookup says missing
    await poll(12);
    expect((await state(inv.id)).payments[0]!.status).toBe("detected"); // one miss is not a failure
    chain.mine([pay], at(t0, 13)); // the wallet rebroadcasts; mined before expiry
    for (let i = 0; i < 6; i++) chain.mine([], at(t0, 14));
    await poll(15);
    const s = await state(inv.id);
    expect(s.invoice.status).toBe("paid");
  });

  it("a lagging node behind a load balancer is waited for: no orphaned payment, no reverted invoice", async () => {
    await resetCursor();
    const inv = await testInvoice(db, merchantId, 100n, { cryptoCurrency: "ETH", network: "ethereum" });
    const t0 = inv.createdAt;
    const { chain, source } = setup(t0);
    chain.mine();
    await pollSource(db, source, { now: () => at(t0, 0) });
    chain.mine([tx(inv.paymentAddress, inv.cryptoAmount)]);
    await pollSource(db, source, { now: () => at(t0, 1) });
    expect((await state(inv.id)).invoice.status).toBe("confirming");
    chain.lag = chain.tip.number - 1n; // the next request lands on a node one block behind
    const r = await pollSource(db, source, { now: () => at(t0, 2) });
    const s = await state(inv.id);
    expect(r.reorgs).toBe(0);
    expect(s.payments[0]!.status).toBe("confirming");
    expect((await eventsOf([s.payments[0]!.id])).map((e) => e.type)).not.toContain("PaymentOrphaned");
  });

  it("the expiry job waits until the chain has been read past the deadline: a payment mined in time pays", async () => {
    await resetCursor();
    const inv = await testInvoice(db, merchantId, 100n, { cryptoCurrency: "ETH", network: "ethereum" }, { expiresInMinutes: 10 });
    const t0 = inv.createdAt;
    const { chain, source } = setup(t0);
    chain.mine([], at(t0, 0));
    await pollSource(db, source, { now: () => at(t0, 9.8) }); // last poll before expiry
    chain.mine([tx(inv.paymentAddress, inv.cryptoAmount)], at(t0, 9.9)); // mined on time
    await expireInvoices(db, { now: at(t0, 10.01) }); // same watcher tick, or a cron call
    await pollSource(db, source, { now: () => at(t0, 10.1) }); // next poll finds it
    const s = await state(inv.id);
    expect(s.invoice.status).toBe("confirming");
  });

  it("after a long node outage, an on-time payment in the backlog is still recorded", async () => {
    await resetCursor();
    const inv = await testInvoice(db, merchantId, 100n, { cryptoCurrency: "ETH", network: "ethereum" }, { expiresInMinutes: 10 });
    const t0 = inv.createdAt;
    const { chain, source } = setup(t0);
    chain.mine([], at(t0, 0));
    await pollSource(db, source, { now: () => at(t0, 0.1) });
    chain.mine([tx(inv.paymentAddress, inv.cryptoAmount)], at(t0, 5)); // paid on time; the node is down now
    await expireInvoices(db, { now: at(t0, 11) }); // expiry keeps running during the outage
    await pollSource(db, source, { now: () => at(t0, 8 * 24 * 60) }); // node back after 8 days
    const s = await state(inv.id);
    expect(s.payments).toHaveLength(1);
    expect(s.invoice.status).toBe("confirming");
  });

  it("an invoice expired underpaid keeps its flag when its on-time payment gains confirmations", async () => {
    await resetCursor();
    const inv = await testInvoice(db, merchantId, 100n, { cryptoCurrency: "ETH", network: "ethereum" }, { expiresInMinutes: 10 });
    const t0 = inv.createdAt;
    const { chain, source } = setup(t0);
    chain.mine([], at(t0, 0));
    await pollSource(db, source, { now: () => at(t0, 0.1) });
    chain.mine([tx(inv.paymentAddress, inv.cryptoAmount / 2n)], at(t0, 1));
    await pollSource(db, source, { now: () => at(t0, 1) });
    chain.mine([], at(t0, 26));
    await pollSource(db, source, { now: () => at(t0, 26) }); // the chain is read past the grace period
    await expireInvoices(db, { now: at(t0, 10 + 15 + 1) });
    expect((await state(inv.id)).invoice).toMatchObject({ status: "expired", exception: "underpaid" });
    chain.mine([], at(t0, 27));
    await pollSource(db, source, { now: () => at(t0, 27) });
    const s = await state(inv.id);
    expect(s.invoice.exception).toBe("underpaid");
  });

  it("a chain replaced by a shorter one (a restarted dev node) is read again from the start", async () => {
    await resetCursor();
    const inv = await testInvoice(db, merchantId, 100n, { cryptoCurrency: "ETH", network: "ethereum" });
    const t0 = inv.createdAt;
    const { chain, source } = setup(t0);
    for (let i = 0; i < 200; i++) chain.mine([], at(t0, 0));
    await pollSource(db, source, { now: () => at(t0, 0.1) }); // the cursor is near block 200
    // The node restarts from genesis: a new chain of 5 blocks, the payment in block 3.
    const fresh = new FakeChain(at(t0, 1));
    fresh.blocks[0] = { ...fresh.blocks[0]!, hash: "0xgenesis2" };
    fresh.seq = 1000;
    fresh.mine([], at(t0, 1)); fresh.mine([], at(t0, 1)); fresh.mine([tx(inv.paymentAddress, inv.cryptoAmount)], at(t0, 1)); fresh.mine([], at(t0, 1)); fresh.mine([], at(t0, 1));
    chain.blocks = fresh.blocks; chain.seq = fresh.seq;
    const r = await pollSource(db, source, { now: () => at(t0, 2) });
    expect(r.reorgs).toBe(1);
    for (let i = 0; i < 3; i++) chain.mine([], at(t0, 2));
    await pollSource(db, source, { now: () => at(t0, 3) });
    const s = await state(inv.id);
    expect(s.payments).toHaveLength(1);
    const [cursor] = await db.select().from(chainCursors).where(eq(chainCursors.source, source.id));
    expect(cursor!.lastBlock).toBe(chain.tip.number);
  });

  it("a scan whose first block never links to the cursor gives up after a few tries", async () => {
    await resetCursor();
    const inv = await testInvoice(db, merchantId, 100n, { cryptoCurrency: "ETH", network: "ethereum" });
    const t0 = inv.createdAt;
    const { chain, source } = setup(t0);
    chain.mine([], at(t0, 0));
    await pollSource(db, source, { now: () => at(t0, 0.1) });
    chain.mine([], at(t0, 0.2));
    let scans = 0;
    const adapter = source.adapter;
    const forked: WatchSource = { ...source, adapter: { ...adapter, scan: async (f, t, w) => { scans++; const r = await adapter.scan(f, t, w); return { ...r, blocks: r.blocks.map((b, i) => (i === 0 ? { ...b, parentHash: "0xother" } : b)) }; } } };
    const outcome = await Promise.race([pollSource(db, forked, { now: () => at(t0, 1), maxBatches: 1 }), new Promise((r) => setTimeout(() => r("still spinning"), 3000))]);
    chain.blocks = []; // stop a spin, if any (scan now throws)
    expect(outcome).toMatchObject({ error: expect.stringMatching(/keeps not following/) });
    expect(scans).toBeLessThanOrEqual(4);
  });

  it("a one-block reorg that re-includes an on-time payment does not expire an invoice confirming past its expiry", async () => {
    await resetCursor();
    const inv = await testInvoice(db, merchantId, 100n, { cryptoCurrency: "ETH", network: "ethereum" }, { expiresInMinutes: 10 });
    const t0 = inv.createdAt;
    const { chain, source } = setup(t0);
    chain.mine([], at(t0, 0));
    await pollSource(db, source, { now: () => at(t0, 0.1) });
    const pay = tx(inv.paymentAddress, inv.cryptoAmount);
    chain.mine([pay], at(t0, 9)); // paid on time, 1 minute before expiry
    await pollSource(db, source, { now: () => at(t0, 9.5) });
    expect((await state(inv.id)).invoice.status).toBe("confirming");
    await expireInvoices(db, { now: at(t0, 11) });
    expect((await state(inv.id)).invoice.status).toBe("confirming"); // correctly kept while it confirms
    // A one-block reorg at 11 min: the competing block carries the same transaction.
    const old = chain.blocks.pop()!;
    chain.blocks.push({ ...old, hash: "0xcompeting", transfers: [pay] });
    chain.mine([], at(t0, 11));
    const r = await pollSource(db, source, { now: () => at(t0, 11) });
    expect(r.reorgs).toBe(1);
    const s = await state(inv.id);
    expect(s.invoice.status).toBe("confirming");
    expect((await eventsOf([inv.id])).map((e) => e.type)).not.toContain("InvoiceExpired");
  });
});
