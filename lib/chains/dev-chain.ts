/**
 * The local development chain: an anvil node with the test USDT deployed, started by the app in
 * development (and by the browser tests), so a test-mode checkout can be paid for real without any
 * outside network. "Pay with test wallet" sends from anvil's first funded account. Nothing here
 * runs in production unless DEV_CHAIN is set explicitly.
 */
import { createPublicClient, createWalletClient, http, type Address, type Hash } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { ANVIL_CHAIN_ID, ANVIL_FUNDED_KEY, startAnvil, type AnvilNode } from "./evm/anvil";
import { TEST_USDT_ABI, deployTestToken } from "./evm/test-token";

export type DevChain = { url: string; chainId: number; token: Address; node: AnvilNode | null };

/** Kept on globalThis: Next.js may load this module more than once in one process. */
const state = globalThis as unknown as { __devChain?: Promise<DevChain> | null; __devChainReady?: DevChain | null };

const INITIAL_USDT = 1_000_000_000_000_000n; // one billion USDT (6 decimals) for the test wallet

function clients(url: string) {
  const chain = { ...foundry, rpcUrls: { default: { http: [url] } } };
  const transport = http(url);
  const account = privateKeyToAccount(ANVIL_FUNDED_KEY);
  return {
    account,
    client: createPublicClient({ chain, transport, cacheTime: 0, pollingInterval: 100 }),
    wallet: createWalletClient({ chain, transport, account }),
  };
}

async function start(options: { port: number; blockTime: number }): Promise<DevChain> {
  const node = await startAnvil({ port: options.port, blockTime: options.blockTime });
  process.once("exit", () => node.process.kill("SIGTERM"));
  const { account, client, wallet } = clients(node.url);
  const token = await deployTestToken(wallet, client);
  const hash = await wallet.writeContract({ address: token, abi: TEST_USDT_ABI, functionName: "mint", args: [account.address, INITIAL_USDT] });
  await client.waitForTransactionReceipt({ hash, pollingInterval: 100 });
  return { url: node.url, chainId: ANVIL_CHAIN_ID, token, node };
}

/** Starts the dev chain once per process (later calls share it). */
export function startDevChain(options: { port: number; blockTime: number }): Promise<DevChain> {
  state.__devChain ??= start(options).then(
    (chain) => (state.__devChainReady = chain),
    (error: unknown) => {
      state.__devChain = null;
      throw error;
    },
  );
  return state.__devChain;
}

/** The running dev chain, if this process started one. */
export async function devChain(): Promise<DevChain | null> {
  return (await state.__devChain?.catch(() => null)) ?? null;
}

/** The dev chain if it is up, synchronously (payment URIs name its chain id and token). */
export function runningDevChain(): DevChain | null {
  return state.__devChainReady ?? null;
}

/** Sends `amount` of the invoice's asset from the test wallet to its address; returns the tx hash. */
export async function payWithTestWallet(chain: DevChain, payment: { asset: "ETH" | "USDT"; to: string; amount: bigint }): Promise<Hash> {
  const { wallet } = clients(chain.url);
  if (payment.asset === "ETH") return wallet.sendTransaction({ to: payment.to as Address, value: payment.amount });
  return wallet.writeContract({ address: chain.token, abi: TEST_USDT_ABI, functionName: "transfer", args: [payment.to as Address, payment.amount] });
}
