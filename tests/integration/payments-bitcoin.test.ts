/**
 * The whole Bitcoin payment flow against a real regtest chain (bcoin, in process): test-mode
 * invoices (tb1q… addresses of the merchant's vpub) are paid on regtest (the same scripts as
 * bcrt1q…), and `pollSource` — mempool, blocks, confirmations, reorganisations, drops — moves the
 * payments and invoices, with their outbox events and audit entries. The main path runs with the
 * bitcoind JSON-RPC adapter and with the Esplora adapter (tests/helpers/esplora-server.ts); the
 * rest with the JSON-RPC adapter.
 *
 * Required confirmations come from DEFAULT_SYSTEM_CONFIG's bitcoin tiers: up to $1,000 → 1, up to
 * $10,000 → 2, above → 6. At the test rate of $97,000 per BTC, amounts are rounded up to the satoshi.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db";
import type { DatabaseHandle } from "@/db/client";
import { auditEntries, payments } from "@/db/schema";
import { createBitcoinRpcAdapter, createEsploraAdapter, reencodeAddress } from "@/lib/chains/bitcoin";
import type { ChainAdapter } from "@/lib/chains/types";
import { pollSource, type WatchSource } from "@/lib/jobs/poll-chains";
import { startRegtestNode, type RegtestNode } from "../helpers/bcoin";
import { startEsploraServer, type EsploraServer } from "../helpers/esplora-server";
import { paymentQueries, preparePaymentDatabase, testInvoice } from "../helpers/payment-flow";
import { createTestMerchant } from "../helpers/merchant-fixtures";
import { createTestDatabase, targetName } from "../helpers/test-db";

let h: DatabaseHandle;
let db: Db;
let btc: RegtestNode;
let esplora: EsploraServer;
let merchantId: string;
/** The faucet (sender of every payment) as the adapters report it: tb1q…. */
let faucet: string;
/** The JSON-RPC source: the one every test but the Esplora flavour of the main path polls. */
let rpcSource: WatchSource;

function makeSource(id: string, adapter: ChainAdapter): WatchSource {
  // The cursor starts at the current tip: no test pays before its source exists.
  return { id, network: "bitcoin", livemode: false, adapter, startBlock: BigInt(btc.height()) + 1n };
}

beforeAll(async () => {
  [h, btc] = await Promise.all([createTestDatabase(), startRegtestNode()]);
  db = h.db;
  esplora = await startEsploraServer(btc);
  await preparePaymentDatabase(db);
  ({ merchantId } = await createTestMerchant(db));
  faucet = reencodeAddress(btc.faucetAddress, "tb") as string;
  rpcSource = makeSource(
    "bitcoin:test",
    createBitcoinRpcAdapter({ url: btc.rpcUrl, username: btc.rpcUser, password: btc.rpcPassword, hrp: "tb" }),
  );
}, 60_000);

afterAll(async () => {
  await esplora?.close();
  await btc?.close();
  await h?.close();
});

/** A test-mode BTC invoice for `usd` dollars. */
async function invoice(usd: bigint) {
  const invoice = await testInvoice(db, merchantId, usd, { cryptoCurrency: "BTC", network: "bitcoin" });
  expect(invoice.paymentAddress).toMatch(/^tb1q/);
  return invoice;
}

/** Pays (address, sats) pairs of test-mode invoices in one regtest transaction. */
function pay(...outputs: [address: string, sats: bigint][]) {
  return btc.send(outputs.map(([address, sats]) => ({ address: reencodeAddress(address, "bcrt") as string, sats })));
}

async function poll(source: WatchSource, options: Parameters<typeof pollSource>[2] = {}) {
  const report = await pollSource(db, source, options);
  expect(report.error).toBeUndefined();
  expect(report.skipped).toBeUndefined();
  return report;
}

const { state, eventsOf, typesOf, invoiceMoves } = paymentQueries(() => db);

interface Flavour {
  readonly name: string;
  source(): WatchSource;
}

const flavours: Flavour[] = [
  { name: "bitcoind JSON-RPC adapter", source: () => rpcSource },
  {
    name: "Esplora adapter",
    source: () => makeSource("bitcoin:test:esplora", createEsploraAdapter({ baseUrl: esplora.url, hrp: "tb", apiHrp: "bcrt" })),
  },
];

describe.each(flavours)(`Bitcoin payments over the $name (${targetName()})`, (flavour) => {
  let source: WatchSource;
  beforeAll(() => {
    source = flavour.source();
  });

  it("an exact payment: detected in the mempool, confirming in its block, paid at 2 confirmations, with its events", async () => {
    const inv = await invoice(5_000n);
    // $5,000 / $97,000 = 0.0515463917… BTC, rounded up to the satoshi; 2 confirmations below $10,000.
    expect(inv).toMatchObject({ cryptoAmount: 5_154_640n, requiredConfirmations: 2, status: "pending" });
    await poll(source); // the cursor starts here

    const sent = await pay([inv.paymentAddress, inv.cryptoAmount]);
    let report = await poll(source);
    expect(report).toMatchObject({ paymentsRecorded: 1, invoicesChanged: 1 });
    let s = await state(inv.id);
    expect(s.payments).toHaveLength(1);
    expect(s.payments[0]).toMatchObject({
      txHash: sent.txid,
      outputIndex: sent.vouts[0],
      asset: "BTC",
      amount: 5_154_640n,
      toAddress: inv.paymentAddress,
      fromAddress: faucet,
      status: "detected",
      confirmations: 0,
      requiredConfirmations: 2,
      blockNumber: null,
      blockHash: null,
    });
    // The full amount waits in the mempool: the invoice is confirming, not paid.
    expect(s.invoice).toMatchObject({ status: "confirming", amountReceived: 5_154_640n, paidAt: null });

    // Polling again while it waits changes nothing.
    report = await poll(source);
    expect(report).toMatchObject({ paymentsRecorded: 0, paymentsChanged: 0, invoicesChanged: 0 });

    const [first] = await btc.mine(1);
    await poll(source);
    s = await state(inv.id);
    expect(s.payments[0]).toMatchObject({ status: "confirming", confirmations: 1, blockNumber: BigInt(btc.height()), blockHash: first, confirmedAt: null });
    expect(s.invoice).toMatchObject({ status: "confirming", amountReceived: 5_154_640n });

    await btc.mine(1);
    report = await poll(source);
    expect(report).toMatchObject({ paymentsRecorded: 0, paymentsChanged: 1, invoicesChanged: 1 });
    s = await state(inv.id);
    expect(s.payments[0]).toMatchObject({ status: "confirmed", confirmations: 2, blockHash: first });
    expect(s.payments[0]!.confirmedAt).toBeInstanceOf(Date);
    expect(s.invoice).toMatchObject({ status: "paid", exception: "none", amountReceived: 5_154_640n });
    expect(s.invoice.paidAt).toBeInstanceOf(Date);

    const paymentId = s.payments[0]!.id;
    const events = await eventsOf([inv.id, paymentId]);
    expect(events.map((e) => e.type)).toEqual(["InvoiceCreated", "PaymentDetected", "PaymentConfirming", "PaymentConfirmed", "InvoicePaid"]);
    expect(events[1]!.payload).toMatchObject({ paymentId, invoiceId: inv.id, amount: "5154640", asset: "BTC", network: "bitcoin", txHash: sent.txid, toAddress: inv.paymentAddress });
    expect(events[2]!.payload).toMatchObject({ confirmations: 1, requiredConfirmations: 2, blockHash: first });
    expect(events[3]!.payload).toMatchObject({ confirmations: 2 });
    expect(events[4]!.payload).toMatchObject({ invoiceId: inv.id, totalReceived: "5154640", asset: "BTC", exception: "none", shortfall: "0", excess: "0" });
    expect(await invoiceMoves(inv.id)).toEqual(
      expect.arrayContaining([
        { event: "invoice.confirming", from: "pending", to: "confirming" },
        { event: "invoice.paid", from: "confirming", to: "paid" },
      ]),
    );
    const audit = await db.select({ event: auditEntries.event }).from(auditEntries).where(eq(auditEntries.invoiceId, inv.id));
    expect(audit.map((a) => a.event).sort()).toEqual(
      ["invoice.created", "payment.detected", "payment.confirming", "invoice.confirming", "payment.confirmed", "invoice.paid"].sort(),
    );
  });

  it("a reorg orphans the payment (invoice back to pending); back in the mempool it is detected again, then mined on the fork", async () => {
    const inv = await invoice(5_000n);
    const sent = await pay([inv.paymentAddress, inv.cryptoAmount]);
    const [minedIn] = await btc.mine(1);
    const height = btc.height();
    await poll(source);
    let s = await state(inv.id);
    expect(s.payments[0]).toMatchObject({ status: "confirming", confirmations: 1, blockNumber: BigInt(height), blockHash: minedIn });
    expect(s.invoice).toMatchObject({ status: "confirming", amountReceived: 5_154_640n });

    // A longer fork without the payment; bcoin puts its transaction back into the mempool.
    const fork = await btc.reorg(1);
    expect(btc.inMempool(sent.txid)).toBe(true);
    let mid: Awaited<ReturnType<typeof state>> | undefined;
    const report = await poll(source, { onBatch: async () => void (mid ??= await state(inv.id)) });
    expect(report.reorgs).toBe(1);
    // After the reorg and the fork's blocks, before the mempool is read: orphaned, invoice pending.
    expect(mid!.payments[0]).toMatchObject({ status: "orphaned", confirmations: 0 });
    expect(mid!.invoice).toMatchObject({ status: "pending", amountReceived: 0n });
    // At the end of the same poll: seen waiting in the mempool again.
    s = await state(inv.id);
    expect(s.payments).toHaveLength(1);
    expect(s.payments[0]).toMatchObject({ status: "detected", confirmations: 0, blockNumber: null, blockHash: null });
    expect(s.invoice).toMatchObject({ status: "confirming", amountReceived: 5_154_640n });

    // Mined on the fork, in a block after the fork's two.
    const [again] = await btc.mine(1);
    expect(again).not.toBe(minedIn);
    await poll(source);
    s = await state(inv.id);
    expect(s.payments).toHaveLength(1);
    expect(s.payments[0]).toMatchObject({ txHash: sent.txid, status: "confirming", confirmations: 1, blockNumber: BigInt(height + 2), blockHash: again });
    expect(s.invoice.status).toBe("confirming");
    expect(fork).toHaveLength(2);

    await btc.mine(1);
    await poll(source);
    s = await state(inv.id);
    expect(s.payments[0]).toMatchObject({ status: "confirmed", confirmations: 2, blockHash: again });
    expect(s.invoice).toMatchObject({ status: "paid", amountReceived: 5_154_640n });

    const paymentId = s.payments[0]!.id;
    const events = await eventsOf([paymentId]);
    expect(events.map((e) => e.type)).toEqual([
      "PaymentDetected",
      "PaymentConfirming",
      "PaymentOrphaned",
      "PaymentDetected",
      "PaymentConfirming",
      "PaymentConfirmed",
    ]);
    expect(events[2]!.payload).toMatchObject({ blockNumber: String(height), blockHash: minedIn });
    expect(events[3]!.payload).toMatchObject({ redetected: true, txHash: sent.txid });
    expect(events[4]!.payload).toMatchObject({ blockHash: again });
    expect(await typesOf([inv.id])).toEqual(["InvoiceCreated", "InvoicePaid"]);
    expect(await invoiceMoves(inv.id)).toEqual(
      expect.arrayContaining([
        { event: "invoice.pending", from: "confirming", to: "pending" },
        { event: "invoice.confirming", from: "pending", to: "confirming" },
      ]),
    );
  });
});

describe(`Bitcoin payments over the JSON-RPC adapter (${targetName()})`, () => {
  const poll_ = (options: Parameters<typeof pollSource>[2] = {}) => poll(rpcSource, options);

  it("follows the confirmation tiers: $500 is paid by its first block, $20,000 waits for 6", async () => {
    const small = await invoice(500n);
    const large = await invoice(20_000n);
    expect(small).toMatchObject({ cryptoAmount: 515_464n, requiredConfirmations: 1 });
    expect(large).toMatchObject({ cryptoAmount: 20_618_557n, requiredConfirmations: 6 });
    const a = await pay([small.paymentAddress, 515_464n]);
    const b = await pay([large.paymentAddress, 20_618_557n]);
    await poll_();
    expect((await state(small.id)).invoice.status).toBe("confirming");
    expect((await state(large.id)).invoice.status).toBe("confirming");

    await btc.mine(1);
    await poll_();
    let s = await state(small.id);
    expect(s.payments[0]).toMatchObject({ txHash: a.txid, status: "confirmed", confirmations: 1 });
    expect(s.invoice).toMatchObject({ status: "paid", amountReceived: 515_464n });
    // Mined and confirmed in one poll: both events, in the machine's order.
    expect(await typesOf([small.id, s.payments[0]!.id])).toEqual(["InvoiceCreated", "PaymentDetected", "PaymentConfirming", "PaymentConfirmed", "InvoicePaid"]);

    await btc.mine(4);
    await poll_();
    s = await state(large.id);
    expect(s.payments[0]).toMatchObject({ txHash: b.txid, status: "confirming", confirmations: 5 });
    expect(s.invoice.status).toBe("confirming");
    await btc.mine(1);
    await poll_();
    s = await state(large.id);
    expect(s.payments[0]).toMatchObject({ status: "confirmed", confirmations: 6 });
    expect(s.invoice).toMatchObject({ status: "paid", amountReceived: 20_618_557n });
    // Detected, in its block (1), grown to 5, confirmed at 6.
    expect(await typesOf([s.payments[0]!.id])).toEqual(["PaymentDetected", "PaymentConfirming", "PaymentConfirming", "PaymentConfirmed"]);
  });

  it("a partial payment leaves the invoice partial with the remainder; a second transaction completes it", async () => {
    const inv = await invoice(1_000n);
    expect(inv).toMatchObject({ cryptoAmount: 1_030_928n, requiredConfirmations: 1 });
    const first = await pay([inv.paymentAddress, 400_000n]);
    await poll_();
    let s = await state(inv.id);
    expect(s.payments).toHaveLength(1);
    expect(s.payments[0]).toMatchObject({ txHash: first.txid, amount: 400_000n, status: "detected" });
    expect(s.invoice).toMatchObject({ status: "partial", amountReceived: 400_000n });
    const partial = await db.select({ data: auditEntries.data }).from(auditEntries).where(eq(auditEntries.invoiceId, inv.id)).then((rows) => rows.map((r) => r.data));
    expect(partial).toContainEqual(expect.objectContaining({ from: "pending", to: "partial", remaining: "630928", amountReceived: "400000" }));

    // Confirmed, but still short: partial.
    await btc.mine(1);
    await poll_();
    s = await state(inv.id);
    expect(s.payments[0]!.status).toBe("confirmed");
    expect(s.invoice).toMatchObject({ status: "partial", amountReceived: 400_000n });

    const second = await pay([inv.paymentAddress, 630_928n]);
    await poll_();
    s = await state(inv.id);
    expect(s.payments.map((p) => [p.txHash, p.amount, p.status])).toEqual([
      [first.txid, 400_000n, "confirmed"],
      [second.txid, 630_928n, "detected"],
    ]);
    expect(s.invoice).toMatchObject({ status: "confirming", amountReceived: 1_030_928n });

    await btc.mine(1);
    await poll_();
    s = await state(inv.id);
    expect(s.payments.map((p) => p.status)).toEqual(["confirmed", "confirmed"]);
    expect(s.invoice).toMatchObject({ status: "paid", exception: "none", amountReceived: 1_030_928n });
    expect(await typesOf([inv.id])).toEqual(["InvoiceCreated", "InvoicePaid"]);
    expect(await typesOf(s.payments.map((p) => p.id))).toEqual([
      "PaymentDetected",
      "PaymentConfirming",
      "PaymentConfirmed",
      "PaymentDetected",
      "PaymentConfirming",
      "PaymentConfirmed",
    ]);
    expect(await invoiceMoves(inv.id)).toEqual(
      expect.arrayContaining([
        { event: "invoice.partial", from: "pending", to: "partial" },
        { event: "invoice.confirming", from: "partial", to: "confirming" },
        { event: "invoice.paid", from: "confirming", to: "paid" },
      ]),
    );
  });

  it("two outputs of one transaction pay two invoices, each recorded under its own output index", async () => {
    const a = await invoice(500n);
    const b = await invoice(500n);
    // The middle output pays someone else (the faucet itself): not watched, not recorded.
    const sent = await pay([a.paymentAddress, 515_464n], [faucet, 12_345n], [b.paymentAddress, 200_000n]);
    const report = await poll_();
    expect(report).toMatchObject({ paymentsRecorded: 2, unmatched: 0 });
    const [sa, sb] = [await state(a.id), await state(b.id)];
    expect(sa.payments).toHaveLength(1);
    expect(sb.payments).toHaveLength(1);
    expect(sa.payments[0]).toMatchObject({ txHash: sent.txid, outputIndex: 0, amount: 515_464n, status: "detected" });
    expect(sb.payments[0]).toMatchObject({ txHash: sent.txid, outputIndex: 2, amount: 200_000n, status: "detected" });
    expect(sa.invoice).toMatchObject({ status: "confirming", amountReceived: 515_464n });
    expect(sb.invoice).toMatchObject({ status: "partial", amountReceived: 200_000n });
    const all = await db.select({ id: payments.id }).from(payments).where(eq(payments.txHash, sent.txid));
    expect(all).toHaveLength(2);

    await btc.mine(1);
    await poll_();
    expect((await state(a.id)).invoice).toMatchObject({ status: "paid", amountReceived: 515_464n });
    expect((await state(b.id)).invoice).toMatchObject({ status: "partial", amountReceived: 200_000n });
    expect((await state(b.id)).payments[0]).toMatchObject({ status: "confirmed", confirmations: 1 });
  });

  it("a reorg that takes back the second of two payments returns the invoice to partial; dropped from the mempool, it fails", async () => {
    const inv = await invoice(5_000n);
    const first = await pay([inv.paymentAddress, 2_000_000n]);
    await btc.mine(2);
    await poll_();
    let s = await state(inv.id);
    expect(s.payments[0]).toMatchObject({ txHash: first.txid, status: "confirmed" });
    expect(s.invoice).toMatchObject({ status: "partial", amountReceived: 2_000_000n });

    const second = await pay([inv.paymentAddress, 3_154_640n]);
    await btc.mine(1);
    await poll_();
    s = await state(inv.id);
    expect(s.payments.map((p) => p.status)).toEqual(["confirmed", "confirming"]);
    expect(s.invoice).toMatchObject({ status: "confirming", amountReceived: 5_154_640n });

    await btc.reorg(1);
    let mid: Awaited<ReturnType<typeof state>> | undefined;
    await poll_({ onBatch: async () => void (mid ??= await state(inv.id)) });
    expect(mid!.payments.map((p) => p.status)).toEqual(["confirmed", "orphaned"]);
    expect(mid!.invoice).toMatchObject({ status: "partial", amountReceived: 2_000_000n });
    s = await state(inv.id);
    expect(s.payments.map((p) => p.status)).toEqual(["confirmed", "detected"]);
    expect(s.invoice).toMatchObject({ status: "confirming", amountReceived: 5_154_640n });

    // The node forgets it: within the grace period it stays detected, past it it fails.
    btc.drop(second.txid);
    await poll_();
    expect((await state(inv.id)).payments[1]!.status).toBe("detected");
    await poll_({ dropAfterMs: 0 });
    s = await state(inv.id);
    expect(s.payments[1]).toMatchObject({ txHash: second.txid, status: "failed" });
    expect(s.payments[1]!.failureReason).toBe(`transaction ${second.txid} is unknown: dropped from the mempool or replaced`);
    expect(s.invoice).toMatchObject({ status: "partial", amountReceived: 2_000_000n });
    expect(await typesOf([s.payments[1]!.id])).toEqual(["PaymentDetected", "PaymentConfirming", "PaymentOrphaned", "PaymentDetected", "PaymentFailed"]);
    expect(await invoiceMoves(inv.id)).toEqual(
      expect.arrayContaining([
        { event: "invoice.partial", from: "confirming", to: "partial" },
        { event: "invoice.confirming", from: "partial", to: "confirming" },
      ]),
    );
  });

  it("a payment dropped from the mempool fails after the grace period and the invoice returns to pending", async () => {
    const inv = await invoice(500n);
    const sent = await pay([inv.paymentAddress, 515_464n]);
    await poll_();
    expect((await state(inv.id)).invoice).toMatchObject({ status: "confirming", amountReceived: 515_464n });

    btc.drop(sent.txid);
    await poll_(); // default grace (10 minutes): not yet
    let s = await state(inv.id);
    expect(s.payments[0]!.status).toBe("detected");
    expect(s.invoice.status).toBe("confirming");

    const report = await poll_({ dropAfterMs: 0 });
    expect(report).toMatchObject({ paymentsChanged: 1, invoicesChanged: 1 });
    s = await state(inv.id);
    expect(s.payments[0]).toMatchObject({ status: "failed", confirmations: 0, blockNumber: null });
    expect(s.payments[0]!.failureReason).toBe(`transaction ${sent.txid} is unknown: dropped from the mempool or replaced`);
    expect(s.invoice).toMatchObject({ status: "pending", amountReceived: 0n, exception: "none" });
    const events = await eventsOf([inv.id, s.payments[0]!.id]);
    expect(events.map((e) => e.type)).toEqual(["InvoiceCreated", "PaymentDetected", "PaymentFailed"]);
    expect(events[2]!.payload).toMatchObject({ paymentId: s.payments[0]!.id, invoiceId: inv.id, reason: s.payments[0]!.failureReason });
    expect(await invoiceMoves(inv.id)).toEqual(
      expect.arrayContaining([
        { event: "invoice.confirming", from: "pending", to: "confirming" },
        { event: "invoice.pending", from: "confirming", to: "pending" },
      ]),
    );

    // Failed is final: further polls leave it alone.
    expect(await poll_({ dropAfterMs: 0 })).toMatchObject({ paymentsChanged: 0, invoicesChanged: 0 });
  });

  it("a payment replaced by a conflicting spend fails and the invoice returns to pending", async () => {
    const inv = await invoice(500n);
    const sent = await pay([inv.paymentAddress, 515_464n]);
    await poll_();
    expect((await state(inv.id)).payments[0]).toMatchObject({ txHash: sent.txid, status: "detected" });

    const conflict = await btc.replaceWithConflict(sent.txid);
    expect(btc.inMempool(sent.txid)).toBe(false);
    await poll_({ dropAfterMs: 0 });
    const s = await state(inv.id);
    expect(s.payments).toHaveLength(1);
    expect(s.payments[0]).toMatchObject({ status: "failed", failureReason: `transaction ${sent.txid} is unknown: dropped from the mempool or replaced` });
    expect(s.invoice).toMatchObject({ status: "pending", amountReceived: 0n });
    expect(await typesOf([inv.id, s.payments[0]!.id])).toEqual(["InvoiceCreated", "PaymentDetected", "PaymentFailed"]);
    // The conflicting spend paid nobody watched.
    expect(await db.select().from(payments).where(eq(payments.txHash, conflict.txid))).toEqual([]);
  });

  it("the regtest node reported no internal errors", () => {
    expect(btc.errors).toEqual([]);
  });
});
