export {
  TRC20_TRANSFER_TOPIC,
  TRONGRID_MAINNET_URL,
  TRON_MAINNET_USDT_CONTRACT,
  createTronGridAdapter,
  toTronAddress,
  type TronGridAdapterOptions,
} from "./trongrid";
