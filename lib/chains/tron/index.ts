export {
  TRC20_TRANSFER_TOPIC,
  TRONGRID_MAINNET_URL,
  TRON_MAINNET_USDT_CONTRACT,
  createTronGridAdapter,
  type TronGridAdapterOptions,
} from "./trongrid";
export { toTronAddress } from "./trongrid-shapes";
