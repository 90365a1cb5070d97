import { encodeFunctionData, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createWalletClient, http } from "viem";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db";
import type { DatabaseHandle } from "@/db/client";
import { createEvmAdapter } from "@/lib/chains/evm/adapter";
import { TEST_USDT_ABI } from "@/lib/chains/evm/test-token";
import { pollSource, type WatchSource } from "@/lib/jobs/poll-chains";
import { startEvmChain, type EvmChain } from "../helpers/evm-chain";
import { paymentQueries, preparePaymentDatabase, testInvoice } from "../helpers/payment-flow";
import { createTestMerchant } from "../helpers/merchant-fixtures";
import { createTestDatabase } from "../helpers/test-db";

let h: DatabaseHandle; let db: Db; let chain: EvmChain; let source: WatchSource; let merchantId: string;
beforeAll(async () => {
  [h, chain] = await Promise.all([createTestDatabase(), startEvmChain()]);
  db = h.db;
  await preparePaymentDatabase(db);
  ({ merchantId } = await createTestMerchant(db));
  source = { id: "ethereum:test", network: "ethereum", livemode: false, adapter: createEvmAdapter({ rpcUrl: chain.url, usdtContract: chain.token }), startBlock: 0n };
}, 60_000);
afterAll(async () => { await chain?.stop(); await h?.close(); });
const { state, eventsOf } = paymentQueries(() => db);

describe("ERC-20 payments are keyed by their place in their transaction", () => {
  it("a transaction re-mined at another position in its block after a reorg keeps its payments and amounts", async () => {
    const inv = await testInvoice(db, merchantId, 20n, { cryptoCurrency: "USDT", network: "ethereum" });
    await pollSource(db, source);
    const snapshot = await chain.snapshot();
    // One transaction paying the invoice twice: 1 USDT then 10 USDT (a batch payout, a router split...).
    const data = encodeFunctionData({ abi: TEST_USDT_ABI, functionName: "transferMany", args: [[inv.paymentAddress as Address, inv.paymentAddress as Address], [1_000_000n, 10_000_000n]] });
    const request = await chain.wallet.prepareTransactionRequest({ to: chain.token, data, gas: 200_000n });
    const raw = await chain.wallet.signTransaction(request);
    const hash = await chain.client.sendRawTransaction({ serializedTransaction: raw });
    await chain.wait(hash);
    await pollSource(db, source);
    let s = await state(inv.id);
    // Reorg: the replacement block carries another token transfer before ours, so our logs move by one.
    await chain.revert(snapshot as Hex);
    await chain.setAutomine(false);
    const other = createWalletClient({ chain: { ...foundry, rpcUrls: { default: { http: [chain.url] } } }, transport: http(chain.url), account: privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d") });
    await other.writeContract({ address: chain.token, abi: TEST_USDT_ABI, functionName: "mint", args: ["0x000000000000000000000000000000000000dEaD", 1n], maxPriorityFeePerGas: 50_000_000_000n, maxFeePerGas: 100_000_000_000n, gas: 100_000n });
    await chain.client.sendRawTransaction({ serializedTransaction: raw });
    await chain.mine(1);
    await chain.setAutomine(true);
    await chain.mine(2);
    const receipt = await chain.client.getTransactionReceipt({ hash });
    expect(receipt.logs[0]!.logIndex).toBeGreaterThan(0); // the transaction's logs did move
    const r = await pollSource(db, source);
    expect(r.reorgs).toBe(1);
    await chain.mine(6);
    await pollSource(db, source, { dropAfterMs: 0 });
    s = await state(inv.id);
    expect(s.payments.map((p) => [p.outputIndex, p.amount, p.status])).toEqual([
      [0, 1_000_000n, "confirmed"],
      [1, 10_000_000n, "confirmed"],
    ]);
    const events = (await eventsOf(s.payments.map((p) => p.id))).map((e) => e.type);
    expect(events).not.toContain("PaymentFailed");
    expect(s.invoice.amountReceived).toBe(11_000_000n);
    expect(s.invoice.status).toBe("partial");
  });
});
