import { and, eq, sql } from "drizzle-orm";
import type { Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db";
import type { DatabaseHandle } from "@/db/client";
import { auditEntries, chainCursors, outboxEvents } from "@/db/schema";
import { createEvmAdapter } from "@/lib/chains/evm/adapter";
import type { CreateInvoiceCommand } from "@/lib/invoices/create-invoice";
import { expireInvoices } from "@/lib/jobs/expire-invoices";
import { pollSource, type WatchSource } from "@/lib/jobs/poll-chains";
import { applyObservations } from "@/lib/payments/record-transfers";
import { startEvmChain, type EvmChain } from "../helpers/evm-chain";
import { paymentQueries, preparePaymentDatabase, testInvoice } from "../helpers/payment-flow";
import { createTestMerchant } from "../helpers/merchant-fixtures";
import { createTestDatabase, targetName } from "../helpers/test-db";

let h: DatabaseHandle;
let db: Db;
let chain: EvmChain;
let source: WatchSource;
let merchantId: string;

beforeAll(async () => {
  [h, chain] = await Promise.all([createTestDatabase(), startEvmChain()]);
  db = h.db;
  await preparePaymentDatabase(db);
  ({ merchantId } = await createTestMerchant(db));
  source = { id: "ethereum:test", network: "ethereum", livemode: false, adapter: createEvmAdapter({ rpcUrl: chain.url, usdtContract: chain.token }), startBlock: 0n };
}, 60_000);

afterAll(async () => {
  await chain?.stop();
  await h?.close();
});

/** A test-mode invoice for `usd` dollars (6 confirmations below $1,000), paid in USDT or ETH. */
async function invoice(usd: bigint, crypto: "USDT" | "ETH" = "USDT", extra: Partial<CreateInvoiceCommand> = {}) {
  const invoice = await testInvoice(db, merchantId, usd, { cryptoCurrency: crypto, network: "ethereum" }, extra);
  return invoice;
}

async function poll(options: Parameters<typeof pollSource>[2] = {}) {
  const report = await pollSource(db, source, options);
  expect(report.error).toBeUndefined();
  return report;
}

const { state, eventsOf } = paymentQueries(() => db);

describe(`EVM payment detection against anvil (${targetName()})`, () => {
  it("an exact ETH payment goes detected → confirming → paid as blocks are mined, with its events", async () => {
    const inv = await invoice(100n, "ETH");
    expect(inv.requiredConfirmations).toBe(6);
    const hash = await chain.sendEth(inv.paymentAddress, inv.cryptoAmount);
    await chain.wait(hash);
    await poll();
    let s = await state(inv.id);
    expect(s.payments).toHaveLength(1);
    expect(s.payments[0]).toMatchObject({ txHash: hash, outputIndex: 0, asset: "ETH", amount: inv.cryptoAmount, status: "confirming", confirmations: 1, toAddress: inv.paymentAddress });
    expect(s.invoice).toMatchObject({ status: "confirming", amountReceived: inv.cryptoAmount });

    await chain.mine(4);
    await poll();
    s = await state(inv.id);
    expect(s.payments[0]).toMatchObject({ status: "confirming", confirmations: 5 });
    expect(s.invoice.status).toBe("confirming");

    await chain.mine(1);
    await poll();
    s = await state(inv.id);
    expect(s.payments[0]).toMatchObject({ status: "confirmed", confirmations: 6 });
    expect(s.invoice.status).toBe("paid");
    expect(s.invoice.paidAt).toBeInstanceOf(Date);

    const paymentId = s.payments[0]!.id;
    const types = (await eventsOf([inv.id, paymentId])).map((e) => e.type);
    expect(types).toEqual(["InvoiceCreated", "PaymentDetected", "PaymentConfirming", "PaymentConfirming", "PaymentConfirmed", "InvoicePaid"]);
    const paid = (await eventsOf([inv.id])).find((e) => e.type === "InvoicePaid")!;
    expect(paid.payload).toMatchObject({ invoiceId: inv.id, totalReceived: inv.cryptoAmount.toString(), exception: "none" });
    const audit = await db.select({ event: auditEntries.event }).from(auditEntries).where(eq(auditEntries.invoiceId, inv.id));
    expect(audit.map((a) => a.event)).toEqual(expect.arrayContaining(["payment.detected", "payment.confirming", "invoice.confirming", "payment.confirmed", "invoice.paid"]));
  });

  it("a partial USDT payment leaves the invoice partial with the remainder, a second one completes it", async () => {
    const inv = await invoice(50n);
    expect(inv.cryptoAmount).toBe(50_000_000n);
    await chain.wait(await chain.sendUsdt(inv.paymentAddress, 20_000_000n));
    await poll();
    let s = await state(inv.id);
    expect(s.invoice).toMatchObject({ status: "partial", amountReceived: 20_000_000n });
    const remaining = await db.select({ data: auditEntries.data }).from(auditEntries).where(and(eq(auditEntries.invoiceId, inv.id), eq(auditEntries.event, "invoice.partial")));
    expect(remaining[0]!.data).toMatchObject({ remaining: "30000000" });

    await chain.wait(await chain.sendUsdt(inv.paymentAddress, 30_000_000n));
    await poll();
    s = await state(inv.id);
    expect(s.invoice).toMatchObject({ status: "confirming", amountReceived: 50_000_000n });
    await chain.mine(6);
    await poll();
    s = await state(inv.id);
    expect(s.payments.map((p) => p.status)).toEqual(["confirmed", "confirmed"]);
    expect(s.invoice.status).toBe("paid");
  });

  it("underpayment within the tolerance counts as paid; beyond it the invoice stays partial", async () => {
    const within = await invoice(100n);
    const beyond = await invoice(100n);
    // 0.5 % of 100 USDT is 0.5 USDT.
    await chain.wait(await chain.sendUsdt(within.paymentAddress, 99_500_000n));
    await chain.wait(await chain.sendUsdt(beyond.paymentAddress, 99_499_999n));
    await chain.mine(6);
    await poll();
    expect((await state(within.id)).invoice).toMatchObject({ status: "paid", exception: "none", amountReceived: 99_500_000n });
    expect((await state(beyond.id)).invoice).toMatchObject({ status: "partial", amountReceived: 99_499_999n });
  });

  it("overpayment past the threshold settles the invoice, flagged with the merchant's action", async () => {
    const inv = await invoice(10n);
    await chain.wait(await chain.sendUsdt(inv.paymentAddress, 12_000_000n));
    await chain.mine(6);
    await poll();
    const s = await state(inv.id);
    expect(s.invoice).toMatchObject({ status: "paid", exception: "overpaid", amountReceived: 12_000_000n });
    const paid = (await eventsOf([inv.id])).find((e) => e.type === "InvoicePaid")!;
    expect(paid.payload).toMatchObject({ excess: "2000000", overpaymentAction: "refund", exception: "overpaid" });
  });

  it("a payment mined after expiry is recorded and the invoice expires flagged paid late", async () => {
    // Created 20 minutes ago with a 10-minute expiry: the payment mined now is late.
    const inv = await invoice(10n, "USDT", { expiresInMinutes: 10, now: new Date(Date.now() - 20 * 60_000) });
    await chain.wait(await chain.sendUsdt(inv.paymentAddress, 10_000_000n));
    await poll();
    const s = await state(inv.id);
    expect(s.payments).toHaveLength(1);
    expect(s.invoice).toMatchObject({ status: "expired", exception: "paid_late", amountReceived: 10_000_000n });
    expect((await eventsOf([inv.id])).map((e) => e.type)).toContain("InvoiceExpired");
  });

  it("two payments in one block, and two transfers in one transaction, are each recorded once", async () => {
    const a = await invoice(5n);
    const b = await invoice(5n);
    const c = await invoice(5n);
    const d = await invoice(5n);
    await chain.setAutomine(false);
    try {
      const h1 = await chain.sendUsdt(a.paymentAddress, 5_000_000n);
      const h2 = await chain.sendUsdt(b.paymentAddress, 5_000_000n);
      const h3 = await chain.sendUsdtMany([{ to: c.paymentAddress, units: 5_000_000n }, { to: d.paymentAddress, units: 2_000_000n }]);
      await chain.mine(1);
      const receipts = await Promise.all([h1, h2, h3].map((hash) => chain.wait(hash)));
      expect(new Set(receipts.map((r) => r.blockNumber)).size).toBe(1);
    } finally {
      await chain.setAutomine(true);
    }
    await poll();
    for (const [inv, status] of [[a, "confirming"], [b, "confirming"], [c, "confirming"], [d, "partial"]] as const) {
      const s = await state(inv.id);
      expect(s.payments).toHaveLength(1);
      expect(s.invoice.status).toBe(status);
    }
    const [pc, pd] = [(await state(c.id)).payments[0]!, (await state(d.id)).payments[0]!];
    expect(pc.txHash).toBe(pd.txHash);
    expect(pc.outputIndex).not.toBe(pd.outputIndex);
  });

  it("processing the same blocks twice changes nothing and counts nothing twice", async () => {
    const inv = await invoice(7n);
    const hash = await chain.sendUsdt(inv.paymentAddress, 7_000_000n);
    const receipt = await chain.wait(hash);
    await poll();
    const before = await state(inv.id);
    const eventsBefore = await db.select({ n: sql<number>`count(*)::int` }).from(outboxEvents);
    // Rewind the cursor below the block, as if the batch had been lost: the scan runs again.
    await db.update(chainCursors).set({ lastBlock: receipt.blockNumber - 1n, lastBlockHash: null }).where(eq(chainCursors.source, source.id));
    await poll();
    const after = await state(inv.id);
    expect(after.payments).toHaveLength(1);
    expect(after.invoice).toMatchObject({ status: before.invoice.status, amountReceived: before.invoice.amountReceived });
    const eventsAfter = await db.select({ n: sql<number>`count(*)::int` }).from(outboxEvents);
    expect(eventsAfter[0]!.n).toBe(eventsBefore[0]!.n);
  });

  it("a reorg orphans the payment and returns the invoice to pending; the same transaction mined again is re-detected", async () => {
    const inv = await invoice(20n);
    const snapshot = await chain.snapshot();
    const request = await chain.wallet.prepareTransactionRequest({
      to: chain.token,
      data: encodeTransfer(inv.paymentAddress, 20_000_000n),
      gas: 100_000n,
    });
    const raw = await chain.wallet.signTransaction(request);
    const hash = await chain.client.sendRawTransaction({ serializedTransaction: raw });
    await chain.wait(hash);
    await poll();
    expect((await state(inv.id)).invoice.status).toBe("confirming");

    await chain.revert(snapshot as Hex);
    await chain.mine(3); // a different, longer chain without the payment
    const report = await poll();
    expect(report.reorgs).toBe(1);
    let s = await state(inv.id);
    expect(s.payments[0]).toMatchObject({ status: "orphaned", confirmations: 0 });
    expect(s.invoice).toMatchObject({ status: "pending", amountReceived: 0n });

    // The transaction comes back (it is valid on the new chain too) and is mined again.
    await chain.client.sendRawTransaction({ serializedTransaction: raw });
    await chain.wait(hash);
    await poll();
    s = await state(inv.id);
    expect(s.payments).toHaveLength(1);
    expect(s.payments[0]).toMatchObject({ status: "confirming", txHash: hash });
    expect(s.invoice.status).toBe("confirming");
    const types = (await eventsOf([s.payments[0]!.id])).map((e) => e.type);
    expect(types).toEqual(["PaymentDetected", "PaymentConfirming", "PaymentOrphaned", "PaymentDetected", "PaymentConfirming"]);
  });

  it("a reorg that takes back the second of two payments returns the invoice to partial; a vanished transaction fails", async () => {
    const inv = await invoice(30n);
    await chain.wait(await chain.sendUsdt(inv.paymentAddress, 10_000_000n));
    await chain.mine(6);
    await poll();
    expect((await state(inv.id)).invoice.status).toBe("partial");
    const snapshot = await chain.snapshot();
    await chain.wait(await chain.sendUsdt(inv.paymentAddress, 20_000_000n));
    await poll();
    expect((await state(inv.id)).invoice.status).toBe("confirming");

    await chain.revert(snapshot as Hex);
    await chain.mine(2);
    await poll({ dropAfterMs: 60_000 });
    let s = await state(inv.id);
    expect(s.payments.map((p) => p.status)).toEqual(["confirmed", "orphaned"]);
    expect(s.invoice).toMatchObject({ status: "partial", amountReceived: 10_000_000n });

    // Not seen again within the grace period: the transaction is gone.
    await poll({ dropAfterMs: 0 });
    s = await state(inv.id);
    expect(s.payments[1]).toMatchObject({ status: "failed" });
    expect(s.payments[1]!.failureReason).toMatch(/neither mined nor pending/);
    expect((await eventsOf([s.payments[1]!.id])).map((e) => e.type)).toContain("PaymentFailed");
  });

  it("the same transfer applied by two transactions at once is stored once", async () => {
    const inv = await invoice(3n);
    const hash = await chain.sendUsdt(inv.paymentAddress, 3_000_000n);
    const receipt = await chain.wait(hash);
    const block = await source.adapter.block(receipt.blockNumber);
    const observation = {
      transfer: { network: "ethereum" as const, txHash: hash, index: receipt.logs[0]!.logIndex!, asset: "USDT" as const, toAddress: inv.paymentAddress, fromAddress: chain.account.address, amount: 3_000_000n, block },
      confirmations: { count: 1, final: true },
    };
    const apply = () => db.transaction((tx) => applyObservations(tx, source, [observation], { partialGraceMinutes: 15 }, new Date()));
    const reports = await Promise.all([apply(), apply(), apply()]);
    expect(reports.reduce((n, r) => n + r.paymentsRecorded, 0)).toBe(1);
    const s = await state(inv.id);
    expect(s.payments).toHaveLength(1);
    expect(s.invoice).toMatchObject({ status: "confirming", amountReceived: 3_000_000n });
    const detected = (await eventsOf([s.payments[0]!.id])).filter((e) => e.type === "PaymentDetected");
    expect(detected).toHaveLength(1);
  });

  it("only one poller runs per source: a second concurrent poll is skipped", async () => {
    const [a, b] = await Promise.all([pollSource(db, source), pollSource(db, source)]);
    expect([a.skipped, b.skipped].filter(Boolean)).toEqual(["locked"]);
  });

  it.runIf(targetName() === "postgres")("a poller in another process holding the advisory lock keeps this one out", async () => {
    const client = (db as unknown as { $client: { reserve(): Promise<{ unsafe(q: string, p?: unknown[]): Promise<unknown>; release(): void }> } }).$client;
    const connection = await client.reserve();
    try {
      await connection.unsafe("select pg_advisory_lock($1, hashtext($2))", [0x43484b31, `chain:${source.id}`]);
      const report = await pollSource(db, source);
      expect(report.skipped).toBe("locked");
      await connection.unsafe("select pg_advisory_unlock($1, hashtext($2))", [0x43484b31, `chain:${source.id}`]);
      expect((await pollSource(db, source)).skipped).toBeUndefined();
    } finally {
      connection.release();
    }
  });

  it("a node that does not answer is recorded on the cursor and retried, never thrown", async () => {
    const down: WatchSource = { ...source, adapter: createEvmAdapter({ rpcUrl: "http://127.0.0.1:9", timeoutMs: 500 }) };
    const report = await pollSource(db, down);
    expect(report.error).toMatch(/ethereum JSON-RPC http:\/\/127\.0\.0\.1:9/);
    const [cursor] = await db.select().from(chainCursors).where(eq(chainCursors.source, source.id));
    expect(cursor!.lastError).toMatch(/failed/);
    await poll();
    const [cleared] = await db.select().from(chainCursors).where(eq(chainCursors.source, source.id));
    expect(cleared!.lastError).toBeNull();
  });

  it("the expiry job expires unpaid invoices, gives partly paid ones their grace, and leaves confirming ones", async () => {
    const unpaid = await invoice(4n, "USDT", { expiresInMinutes: 10 });
    const part = await invoice(4n, "USDT", { expiresInMinutes: 10 });
    const full = await invoice(4n, "USDT", { expiresInMinutes: 10 });
    const late = await invoice(4n, "USDT", { expiresInMinutes: 10 });
    await chain.wait(await chain.sendUsdt(part.paymentAddress, 1_000_000n));
    await chain.wait(await chain.sendUsdt(full.paymentAddress, 4_000_000n));
    await poll();
    const at = (minutes: number) => new Date(unpaid.createdAt.getTime() + minutes * 60_000);
    // Mined before the deadline, but not read yet when the expiry job runs after it.
    await chain.wait(await chain.sendUsdt(late.paymentAddress, 4_000_000n));
    await expireInvoices(db, { now: at(11) });
    for (const inv of [unpaid, late]) expect((await state(inv.id)).invoice.status).toBe("pending");

    // Once the chain has been read past the deadline the job decides.
    await poll({ now: () => at(11) });
    await expireInvoices(db, { now: at(11) });
    expect((await state(unpaid.id)).invoice).toMatchObject({ status: "expired", exception: "none" });
    expect((await state(part.id)).invoice.status).toBe("partial");
    expect((await state(full.id)).invoice.status).toBe("confirming");
    expect((await state(late.id)).invoice).toMatchObject({ status: "confirming", exception: "none" });
    await poll({ now: () => at(26) });
    await expireInvoices(db, { now: at(26) });
    expect((await state(part.id)).invoice).toMatchObject({ status: "expired", exception: "underpaid", amountReceived: 1_000_000n });
    expect((await state(full.id)).invoice.status).not.toBe("expired");
    expect((await eventsOf([unpaid.id])).map((e) => e.type)).toEqual(["InvoiceCreated", "InvoiceExpired"]);
  });

  it("a node that lags one block behind the cursor is waited for, not taken for a reorg", async () => {
    const inv = await invoice(6n);
    await chain.wait(await chain.sendUsdt(inv.paymentAddress, 6_000_000n));
    await poll();
    const [cursor] = await db.select().from(chainCursors).where(eq(chainCursors.source, source.id));
    const lagging: WatchSource = {
      ...source,
      adapter: { ...source.adapter, block: async (n) => (n >= cursor!.lastBlock ? null : source.adapter.block(n)), head: async () => ({ ...(await source.adapter.head()), number: cursor!.lastBlock - 1n }) },
    };
    const report = await pollSource(db, lagging);
    expect(report.error).toMatch(/behind/);
    expect(report.reorgs).toBe(0);
    expect((await state(inv.id)).payments[0]!.status).toBe("confirming");
    await poll();
  });
});

function encodeTransfer(to: string, units: bigint): Hex {
  return `0xa9059cbb${to.slice(2).toLowerCase().padStart(64, "0")}${units.toString(16).padStart(64, "0")}` as Hex;
}
