/**
 * A real Bitcoin regtest node for tests: bcoin's FullNode, in this process (see DESIGN.md,
 * "Platform notes"). It answers JSON-RPC on a random port of 127.0.0.1 and exposes its chain and
 * mempool objects to tests/helpers/esplora-server.ts.
 *
 * Funds come from a key the helper holds (a "faucet"), not from bcoin's wallet plugin: building
 * transactions by hand lets the helper choose their inputs, which the tests need for conflicting
 * spends, and keeps payments off coinbase outputs (a reorg always drops a transaction spending a
 * coinbase from bcoin's mempool). No wallet also means no second HTTP port.
 *
 * bcoin quirks handled here:
 *  - NODE_BACKEND=js before bcoin is loaded; `bcrt` as the regtest bech32 prefix (it uses `rb`).
 *  - Segwit activates only at height 432: the faucet is a P2WPKH key, so the helper mines 432
 *    blocks first (a fraction of a second).
 *  - A disconnected block's transactions are not put back into an EMPTY mempool
 *    (`Mempool._removeBlock` returns early): the helper patches that method to always reinsert,
 *    as Core does.
 *  - bcoin 1.0.2 implements no replace-by-fee (a conflicting spend is refused by the mempool
 *    whatever its fee): `replaceWithConflict` mines the conflicting spend directly into a block,
 *    which evicts the original from the mempool, as a miner-side replacement would.
 */
import { createRequire } from "node:module";
import { randomBytes } from "node:crypto";

// ----- The slice of bcoin 1.0.2 the helpers use (it ships no types). Hashes are hex strings in
// ----- internal (little-endian) byte order unless a method says rhash/txid.

export interface BcoinScript {
  toRaw(): Buffer;
  toASM(): string;
  isPubkey(): boolean;
  isPubkeyhash(): boolean;
  isScripthash(): boolean;
  isWitnessPubkeyhash(): boolean;
  isWitnessScripthash(): boolean;
  isNulldata(): boolean;
}
export interface BcoinAddress {
  toString(network?: string): string;
}
export interface BcoinOutput {
  readonly value: number;
  readonly script: BcoinScript;
}
export interface BcoinOutpoint {
  readonly hash: string;
  readonly index: number;
  txid(): string;
}
export interface BcoinInput {
  readonly prevout: BcoinOutpoint;
  readonly script: BcoinScript;
  readonly witness: { readonly items: Buffer[] };
  readonly sequence: number;
}
export interface BcoinTX {
  readonly version: number;
  readonly locktime: number;
  readonly inputs: BcoinInput[];
  readonly outputs: BcoinOutput[];
  txid(): string;
  hash(enc: "hex"): string;
  isCoinbase(): boolean;
  getSize(): number;
  getWeight(): number;
}
export interface BcoinBlock {
  readonly txs: BcoinTX[];
  getSize(): number;
  getWeight(): number;
  rhash(): string;
}
export interface BcoinEntry {
  readonly hash: string;
  readonly height: number;
  readonly time: number;
  readonly version: number;
  readonly bits: number;
  readonly nonce: number;
  readonly prevBlock: string;
  readonly merkleRoot: string;
  rhash(): string;
}
export interface BcoinCoin {
  readonly hash: string;
  readonly index: number;
  readonly value: number;
  readonly height: number;
  readonly coinbase: boolean;
}
export interface BcoinCoinView {
  getOutputFor(input: BcoinInput): BcoinOutput | null;
}
export interface BcoinTXMeta {
  readonly tx: BcoinTX;
  /** -1 in the mempool. */
  readonly height: number;
  /** Block hash (internal order), null in the mempool. */
  readonly block: string | null;
  /** Position in the block, -1 in the mempool. */
  readonly index: number;
  /** When this node first saw it (seconds). */
  readonly mtime: number;
}
interface BcoinMempoolEntry {
  readonly tx: BcoinTX;
}
export interface BcoinChain {
  readonly tip: BcoinEntry;
  readonly height: number;
  getEntry(hash: string): Promise<BcoinEntry | null>;
  getEntryByHeight(height: number): Promise<BcoinEntry | null>;
  isMainChain(entry: BcoinEntry): Promise<boolean>;
  getBlock(hash: string): Promise<BcoinBlock | null>;
  getBlockView(block: BcoinBlock): Promise<BcoinCoinView>;
  getCoin(hash: string, index: number): Promise<BcoinCoin | null>;
  getCoinView(tx: BcoinTX): Promise<BcoinCoinView>;
  getMedianTime(entry: BcoinEntry): Promise<number>;
  add(block: BcoinBlock): Promise<BcoinEntry | null>;
}
export interface BcoinMempool {
  readonly map: Map<string, BcoinMempoolEntry>;
  tip: string;
  readonly rejects: { reset(): void };
  readonly cache: { sync(hash: string): void; flush(): Promise<void> };
  hasEntry(hash: string): boolean;
  getEntry(hash: string): BcoinMempoolEntry | null;
  getSnapshot(): string[];
  evictEntry(entry: BcoinMempoolEntry): void;
  addTX(tx: BcoinTX): Promise<unknown>;
  insertTX(tx: BcoinTX, id: number): Promise<unknown>;
  emit(event: string, ...args: unknown[]): boolean;
  _removeBlock(block: BcoinEntry, txs: BcoinTX[]): Promise<void>;
}
interface BcoinTemplateItem {
  readonly tx: BcoinTX;
  readonly fee: number;
}
interface BcoinJob {
  readonly attempt: { items: BcoinTemplateItem[]; fees: number; addTX(tx: BcoinTX, view: BcoinCoinView): boolean };
  refresh(): void;
}
interface BcoinMiner {
  createJob(tip: BcoinEntry, address: BcoinAddress): Promise<BcoinJob>;
  readonly cpu: { mineAsync(job: BcoinJob): Promise<BcoinBlock> };
}
export interface BcoinFullNode {
  readonly chain: BcoinChain;
  readonly mempool: BcoinMempool;
  readonly miner: BcoinMiner;
  readonly http: { address(): { port: number } };
  open(): Promise<void>;
  close(): Promise<void>;
  on(event: "error", listener: (error: unknown) => void): void;
  getMeta(hash: string): Promise<BcoinTXMeta | null>;
  getMetaView(meta: BcoinTXMeta): Promise<BcoinCoinView>;
  getMetaByAddress(addresses: BcoinAddress[]): Promise<BcoinTXMeta[]>;
}
interface BcoinKeyRing {
  witness: boolean;
  getAddress(): BcoinAddress;
}
interface BcoinMTX {
  readonly outputs: BcoinOutput[];
  addCoin(coin: BcoinCoin): void;
  addOutput(address: BcoinAddress, value: number): void;
  fund(coins: BcoinCoin[], options: { changeAddress: BcoinAddress; rate: number }): Promise<void>;
  sign(ring: BcoinKeyRing): number;
  toTX(): BcoinTX;
}
export interface BcoinModule {
  set(network: string): void;
  FullNode: new (options: Record<string, unknown>) => BcoinFullNode;
  KeyRing: { generate(): BcoinKeyRing };
  MTX: new () => BcoinMTX;
  Coin: { fromTX(tx: BcoinTX, index: number, height: number): BcoinCoin };
  Address: { fromString(address: string, network?: string): BcoinAddress; fromScript(script: BcoinScript): BcoinAddress | null };
  Script: { fromRaw(raw: Buffer): BcoinScript };
  util: { revHex(hex: string): string };
}

let cached: BcoinModule | undefined;

/** bcoin, loaded once with the settings it needs on this platform. */
export function loadBcoin(): BcoinModule {
  if (cached) return cached;
  process.env.NODE_BACKEND = "js"; // must precede the first require: the native backend does not build here
  const require = createRequire(import.meta.url);
  const bcoin = require("bcoin") as BcoinModule;
  const networks = require("bcoin/lib/protocol/networks") as { regtest: { addressPrefix: { bech32: string } } };
  networks.regtest.addressPrefix.bech32 = "bcrt"; // bcoin says "rb"; Core and every wallet say "bcrt"
  bcoin.set("regtest");
  cached = bcoin;
  return bcoin;
}

const COIN = 100_000_000;
/** Payments are funded from coins of this size, split off one coinbase. */
const POOL_COIN = COIN;
const POOL_SIZE = 40;
/** 10 sat/vB: above bcoin's relay floor (1 sat/vB was refused as "insufficient priority"). */
const FEE_RATE = 10_000;
const SEGWIT_HEIGHT = 432;

export interface SentTx {
  readonly txid: string;
  /** Output index of each requested payment, in request order. */
  readonly vouts: number[];
}

export interface RegtestNode {
  readonly bcoin: BcoinModule;
  readonly node: BcoinFullNode;
  /** JSON-RPC endpoint, without credentials. */
  readonly rpcUrl: string;
  readonly rpcUser: string;
  readonly rpcPassword: string;
  /** The faucet's P2WPKH address (bcrt1q…): the sender of every payment. */
  readonly faucetAddress: string;
  /** Errors bcoin emitted instead of throwing (kept for debugging failed tests). */
  readonly errors: unknown[];
  height(): number;
  tipHash(): string;
  /** Mines `count` blocks (coinbase to `address`, default a fresh key); returns their hashes. */
  mine(count: number, address?: string): Promise<string[]>;
  /** Pays each address (bcrt1… / regtest) from the faucet; resolves once the tx is in the mempool. */
  send(payments: ReadonlyArray<{ address: string; sats: number | bigint }>): Promise<SentTx>;
  /** Drops a transaction from the mempool, as an expiring or evicting node would. */
  drop(txid: string): void;
  /**
   * Mines a block holding a conflicting spend of `txid`'s inputs (paying the faucet) and not
   * `txid` itself: the original leaves the mempool for good. Returns the conflicting txid.
   */
  replaceWithConflict(txid: string): Promise<{ txid: string; blockHash: string }>;
  /**
   * Replaces the last `depth` blocks by `length` (default depth + 1) empty blocks mined on a fork,
   * each paying a fresh address. Transactions of the replaced blocks go back to the mempool.
   * Returns the fork's hashes, lowest first.
   */
  reorg(depth: number, length?: number): Promise<string[]>;
  inMempool(txid: string): boolean;
  rpc(method: string, params?: unknown[]): Promise<unknown>;
  close(): Promise<void>;
}

/** Starts a regtest node, mines past segwit activation and readies a pool of spendable coins. */
export async function startRegtestNode(): Promise<RegtestNode> {
  const bcoin = loadBcoin();
  const apiKey = randomBytes(16).toString("hex");
  const node = new bcoin.FullNode({
    network: "regtest",
    memory: true,
    workers: false,
    listen: false,
    indexTX: true,
    indexAddress: true,
    httpHost: "127.0.0.1",
    httpPort: 0, // the OS picks a free port
    apiKey,
    logLevel: "none",
  });
  const errors: unknown[] = [];
  node.on("error", (error) => errors.push(error));
  patchMempoolReorg(node.mempool);
  await node.open();
  const rpcUrl = `http://127.0.0.1:${node.http.address().port}/`;
  const revHex = bcoin.util.revHex;

  const faucet = bcoin.KeyRing.generate();
  faucet.witness = true;
  const faucetAddress = faucet.getAddress();
  const freshAddress = () => bcoin.KeyRing.generate().getAddress();
  const pool: BcoinCoin[] = [];

  async function mineOn(tip: BcoinEntry, payout: BcoinAddress, edit?: (job: BcoinJob) => void | Promise<void>) {
    const job = await node.miner.createJob(tip, payout);
    if (edit) {
      await edit(job);
      job.refresh();
    }
    const block = await node.miner.cpu.mineAsync(job);
    const entry = await node.chain.add(block);
    if (!entry) throw new Error(`bcoin did not accept block ${block.rhash()}`);
    return block;
  }

  async function mine(count: number, address?: string): Promise<string[]> {
    const hashes: string[] = [];
    for (let i = 0; i < count; i++) {
      const payout = address ? bcoin.Address.fromString(address, "regtest") : freshAddress();
      hashes.push((await mineOn(node.chain.tip, payout)).rhash());
    }
    return hashes;
  }

  async function addToMempool(tx: BcoinTX): Promise<void> {
    // addTX throws on a policy failure (unlike node.sendTX, which logs and swallows it); the poll
    // guards the DESIGN.md note that a send may return before the tx is in the mempool.
    await node.mempool.addTX(tx);
    for (let i = 0; i < 50 && !node.mempool.hasEntry(tx.hash("hex")); i++) await new Promise((r) => setTimeout(r, 10));
    if (!node.mempool.hasEntry(tx.hash("hex"))) throw new Error(`transaction ${tx.txid()} never reached the mempool`);
  }

  /** Splits one mature coinbase of the faucet into POOL_SIZE confirmed coins. */
  async function refill(): Promise<void> {
    const height = node.chain.height;
    let coinbase: BcoinCoin | null = null;
    for (let h = 1; h <= height - 100 && !coinbase; h++) {
      const entry = await node.chain.getEntryByHeight(h);
      const block = entry && (await node.chain.getBlock(entry.hash));
      const cb = block?.txs[0];
      if (!cb) continue;
      const coin = await node.chain.getCoin(cb.hash("hex"), 0);
      if (coin && coin.value >= POOL_SIZE * POOL_COIN + COIN / 100 && addressOf(cb.outputs[0]) === faucetAddress.toString("regtest")) {
        coinbase = coin;
      }
    }
    if (!coinbase) throw new Error("no mature faucet coinbase left");
    const mtx = new bcoin.MTX();
    mtx.addCoin(coinbase);
    for (let i = 0; i < POOL_SIZE; i++) mtx.addOutput(faucetAddress, POOL_COIN);
    mtx.addOutput(faucetAddress, coinbase.value - POOL_SIZE * POOL_COIN - 100_000);
    mtx.sign(faucet);
    const split = mtx.toTX();
    await addToMempool(split);
    await mine(1);
    for (let i = 0; i < POOL_SIZE; i++) pool.push(bcoin.Coin.fromTX(split, i, node.chain.height));
  }

  function addressOf(output: BcoinOutput | undefined): string | null {
    return output ? (bcoin.Address.fromScript(output.script)?.toString("regtest") ?? null) : null;
  }

  async function send(payments: ReadonlyArray<{ address: string; sats: number | bigint }>): Promise<SentTx> {
    const total = payments.reduce((sum, p) => sum + Number(p.sats), 0);
    const needed = Math.ceil((total + 100_000) / POOL_COIN);
    while (pool.length < needed) await refill();
    const coins = pool.splice(0, needed);
    const mtx = new bcoin.MTX();
    for (const p of payments) mtx.addOutput(bcoin.Address.fromString(p.address, "regtest"), Number(p.sats));
    await mtx.fund(coins, { changeAddress: faucetAddress, rate: FEE_RATE });
    mtx.sign(faucet);
    const tx = mtx.toTX();
    // bcoin appends the change output: the payments keep their request order.
    payments.forEach((p, i) => {
      if (addressOf(tx.outputs[i]) !== bcoin.Address.fromString(p.address, "regtest").toString("regtest")) {
        throw new Error(`output ${i} of ${tx.txid()} does not pay ${p.address}`);
      }
    });
    await addToMempool(tx);
    return { txid: tx.txid(), vouts: payments.map((_, i) => i) };
  }

  function mempoolEntry(txid: string): BcoinMempoolEntry {
    const entry = node.mempool.getEntry(revHex(txid));
    if (!entry) throw new Error(`transaction ${txid} is not in the mempool`);
    return entry;
  }

  async function replaceWithConflict(txid: string): Promise<{ txid: string; blockHash: string }> {
    const original = mempoolEntry(txid).tx;
    const mtx = new bcoin.MTX();
    let value = 0;
    for (const input of original.inputs) {
      const coin = await node.chain.getCoin(input.prevout.hash, input.prevout.index);
      if (!coin) throw new Error(`input ${input.prevout.txid()}:${input.prevout.index} is not a confirmed coin`);
      mtx.addCoin(coin);
      value += coin.value;
    }
    mtx.addOutput(faucetAddress, value - 200_000); // a higher fee than any payment here
    mtx.sign(faucet);
    const conflict = mtx.toTX();
    const view = await node.chain.getCoinView(conflict);
    const block = await mineOn(node.chain.tip, freshAddress(), (job) => {
      const attempt = job.attempt;
      const kept = attempt.items.filter((item) => item.tx.txid() !== txid);
      attempt.fees -= attempt.items.filter((item) => item.tx.txid() === txid).reduce((sum, item) => sum + item.fee, 0);
      attempt.items = kept;
      if (!attempt.addTX(conflict, view)) throw new Error("the conflicting spend does not fit a block");
    });
    if (node.mempool.hasEntry(revHex(txid))) throw new Error(`${txid} survived its conflicting spend`);
    return { txid: conflict.txid(), blockHash: block.rhash() };
  }

  async function reorg(depth: number, length = depth + 1): Promise<string[]> {
    if (length <= depth) throw new Error("a fork must be longer than the blocks it replaces");
    const forkPoint = await node.chain.getEntryByHeight(node.chain.height - depth);
    if (!forkPoint) throw new Error(`no block at height ${node.chain.height - depth}`);
    const hashes: string[] = [];
    let tip = forkPoint;
    for (let i = 0; i < length; i++) {
      // Empty blocks, each paying a fresh address: identical coinbases on both branches would
      // share a txid. Leaving the mempool out also keeps its (main-branch) txs off the fork.
      const block = await mineOn(tip, freshAddress(), (job) => {
        job.attempt.items = [];
        job.attempt.fees = 0;
      });
      hashes.push(block.rhash());
      const entry = await node.chain.getEntry(revHex(block.rhash()));
      if (!entry) throw new Error("fork block lost");
      tip = entry;
    }
    if (node.chain.tip.rhash() !== hashes[hashes.length - 1]) throw new Error("the fork did not become the best chain");
    return hashes;
  }

  async function rpc(method: string, params: unknown[] = []): Promise<unknown> {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Basic ${Buffer.from(`bitcoinrpc:${apiKey}`).toString("base64")}`,
      },
      body: JSON.stringify({ method, params, id: 1 }),
    });
    const body = (await response.json()) as { result: unknown; error: { message: string } | null };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result;
  }

  await mine(SEGWIT_HEIGHT, faucetAddress.toString("regtest"));
  await refill();

  return {
    bcoin,
    node,
    rpcUrl,
    rpcUser: "bitcoinrpc",
    rpcPassword: apiKey,
    faucetAddress: faucetAddress.toString("regtest"),
    errors,
    height: () => node.chain.height,
    tipHash: () => node.chain.tip.rhash(),
    mine,
    send,
    drop(txid) {
      node.mempool.evictEntry(mempoolEntry(txid));
    },
    replaceWithConflict,
    reorg,
    inMempool: (txid) => node.mempool.hasEntry(revHex(txid)),
    rpc,
    close: () => node.close(),
  };
}

/**
 * bcoin's `_removeBlock` (run for each block a reorg disconnects) returns at once when the
 * mempool is empty, losing the block's transactions; Core puts them back. Same body, minus that
 * early return.
 */
function patchMempoolReorg(mempool: BcoinMempool): void {
  mempool._removeBlock = async function removeBlock(this: BcoinMempool, block: BcoinEntry, txs: BcoinTX[]) {
    for (const tx of txs.slice(1)) {
      if (this.hasEntry(tx.hash("hex"))) continue;
      try {
        await this.insertTX(tx, -1);
      } catch (error) {
        this.emit("error", error);
        continue;
      }
      this.emit("unconfirmed", tx, block);
    }
    this.rejects.reset();
    this.cache.sync(block.prevBlock);
    await this.cache.flush();
    this.tip = block.prevBlock;
  };
}
