/** Bitcoin watcher adapters (Esplora REST, bitcoind JSON-RPC) and the address re-encoding they share. */
export { createEsploraAdapter, type EsploraAdapterOptions } from "./esplora";
export { createBitcoinRpcAdapter, RpcCallError, type BitcoinRpcAdapterOptions } from "./rpc";
export {
  addressToScriptHex,
  btcToSatoshis,
  reencodeAddress,
  scriptToAddress,
  type BitcoinHrp,
} from "./script";
