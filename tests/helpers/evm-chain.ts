import { createPublicClient, createTestClient, createWalletClient, http, parseEther, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { ANVIL_FUNDED_KEY, startAnvil, type AnvilNode } from "@/lib/chains/evm/anvil";
import { TEST_USDT_ABI, deployTestToken } from "@/lib/chains/evm/test-token";

/**
 * A real local Ethereum node (anvil) with the USDT-like token deployed and 1,000,000 USDT minted to
 * the paying account, plus the calls tests make on it: pay ETH or USDT, mine, snapshot, revert.
 */
export async function startEvmChain(options: { blockTime?: number } = {}) {
  const node: AnvilNode = await startAnvil(options);
  const chain = { ...foundry, rpcUrls: { default: { http: [node.url] } } };
  const transport = http(node.url);
  const account = privateKeyToAccount(ANVIL_FUNDED_KEY);
  const client = createPublicClient({ chain, transport, cacheTime: 0, pollingInterval: 50 });
  const wallet = createWalletClient({ chain, transport, account });
  const test = createTestClient({ chain, transport, mode: "anvil" });
  const token = await deployTestToken(wallet, client);
  await wait(await wallet.writeContract({ address: token, abi: TEST_USDT_ABI, functionName: "mint", args: [account.address, 1_000_000_000_000n] }));

  async function wait(hash: Hex) {
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
    return receipt;
  }

  return {
    node,
    url: node.url,
    token,
    account,
    client,
    wallet,
    test,
    /** Sends `wei` to `to` and returns the transaction hash (mined at once unless automine is off). */
    sendEth: (to: string, wei: bigint) => wallet.sendTransaction({ to: to as Address, value: wei }),
    sendUsdt: (to: string, units: bigint) => wallet.writeContract({ address: token, abi: TEST_USDT_ABI, functionName: "transfer", args: [to as Address, units] }),
    sendUsdtMany: (payments: { to: string; units: bigint }[]) =>
      wallet.writeContract({
        address: token,
        abi: TEST_USDT_ABI,
        functionName: "transferMany",
        args: [payments.map((p) => p.to as Address), payments.map((p) => p.units)],
        gas: 60_000n + 40_000n * BigInt(payments.length),
      }),
    wait,
    mine: (blocks = 1) => test.mine({ blocks }),
    head: () => client.getBlockNumber({ cacheTime: 0 }),
    snapshot: () => test.snapshot(),
    revert: (id: Hex) => test.revert({ id }),
    setAutomine: (on: boolean) => test.setAutomine(on),
    fund: (to: string, eth = "1") => wallet.sendTransaction({ to: to as Address, value: parseEther(eth) }),
    stop: () => node.stop(),
  };
}

export type EvmChain = Awaited<ReturnType<typeof startEvmChain>>;
