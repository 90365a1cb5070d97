/**
 * Which chains are watched, from the environment (lib/config.ts) and the admin's system
 * configuration: a network is watched in a mode when it has a URL. Reaching a real network is a
 * matter of setting its URL; nothing in code changes.
 *
 *   ethereum live   ETHEREUM_RPC_URL, or the configured rpcUrl       (USDT: ETHEREUM_USDT_CONTRACT)
 *   ethereum test   the local dev chain when running, else ETHEREUM_TEST_RPC_URL (+ _USDT_CONTRACT)
 *   bitcoin  live   BITCOIN_RPC_URL (JSON-RPC), else BITCOIN_ESPLORA_URL or the configured apiUrl
 *   bitcoin  test   BITCOIN_TEST_RPC_URL, else BITCOIN_TEST_ESPLORA_URL
 *   tron     live   TRONGRID_URL or the configured apiUrl (+ TRONGRID_API_KEY, TRON_USDT_CONTRACT)
 *   tron     test   TRONGRID_TEST_URL (+ TRON_TEST_USDT_CONTRACT)
 */
import type { Settings } from "@/lib/config";
import type { Network } from "@/lib/domain";
import type { WatchSource } from "@/lib/jobs/poll-chains";
import type { SystemConfig } from "@/lib/system-config";
import { createBitcoinRpcAdapter, createEsploraAdapter } from "./bitcoin";
import type { DevChain } from "./dev-chain";
import { createEvmAdapter } from "./evm/adapter";
import { createTronGridAdapter } from "./tron";

function configured(config: SystemConfig, network: Network, testnet: boolean) {
  return config.blockchainNetworks.find((n) => n.network === network && n.testnet === testnet);
}

export function watchSources(s: Settings, config: SystemConfig, dev: DevChain | null): WatchSource[] {
  const sources: WatchSource[] = [];
  const cap = s.WATCH_MAX_BLOCKS_PER_SCAN;
  const source = (network: Network, livemode: boolean, adapter: WatchSource["adapter"], startBlock?: bigint): WatchSource => ({
    id: `${network}:${livemode ? "live" : "test"}`,
    network,
    livemode,
    adapter: cap && cap < adapter.maxBlocksPerScan ? { ...adapter, maxBlocksPerScan: cap } : adapter,
    ...(startBlock !== undefined ? { startBlock } : {}),
  });

  const ethLive = s.ETHEREUM_RPC_URL ?? configured(config, "ethereum", false)?.rpcUrl;
  if (ethLive) sources.push(source("ethereum", true, createEvmAdapter({ rpcUrl: ethLive, usdtContract: s.ETHEREUM_USDT_CONTRACT as `0x${string}` })));
  if (dev) {
    // A fresh local chain: read it from its first block.
    sources.push(source("ethereum", false, createEvmAdapter({ rpcUrl: dev.url, usdtContract: dev.token }), 0n));
  } else {
    const ethTest = s.ETHEREUM_TEST_RPC_URL ?? configured(config, "ethereum", true)?.rpcUrl;
    if (ethTest) {
      sources.push(source("ethereum", false, createEvmAdapter({ rpcUrl: ethTest, usdtContract: (s.ETHEREUM_TEST_USDT_CONTRACT as `0x${string}` | undefined) ?? null })));
    }
  }

  for (const livemode of [true, false]) {
    const rpc = livemode ? s.BITCOIN_RPC_URL : s.BITCOIN_TEST_RPC_URL;
    const esplora = livemode ? (s.BITCOIN_ESPLORA_URL ?? configured(config, "bitcoin", false)?.apiUrl) : (s.BITCOIN_TEST_ESPLORA_URL ?? configured(config, "bitcoin", true)?.apiUrl);
    const hrp = livemode ? "bc" : "tb";
    if (rpc) {
      sources.push(
        source("bitcoin", livemode, createBitcoinRpcAdapter({
          url: rpc,
          hrp,
          username: livemode ? s.BITCOIN_RPC_USER : s.BITCOIN_TEST_RPC_USER,
          password: livemode ? s.BITCOIN_RPC_PASSWORD : s.BITCOIN_TEST_RPC_PASSWORD,
        })),
      );
    } else if (esplora) {
      sources.push(source("bitcoin", livemode, createEsploraAdapter({ baseUrl: esplora, hrp })));
    }
  }

  const tronLive = s.TRONGRID_URL ?? configured(config, "tron", false)?.apiUrl;
  if (tronLive) sources.push(source("tron", true, createTronGridAdapter({ baseUrl: tronLive, apiKey: s.TRONGRID_API_KEY, usdtContract: s.TRON_USDT_CONTRACT })));
  const tronTest = s.TRONGRID_TEST_URL ?? configured(config, "tron", true)?.apiUrl;
  if (tronTest) {
    sources.push(source("tron", false, createTronGridAdapter({ baseUrl: tronTest, apiKey: s.TRONGRID_API_KEY, ...(s.TRON_TEST_USDT_CONTRACT ? { usdtContract: s.TRON_TEST_USDT_CONTRACT } : {}) })));
  }
  return sources;
}
