/**
 * Bitcoin watcher over an Esplora REST API (Blockstream's esplora/electrs, mempool.space):
 * https://github.com/Blockstream/esplora/blob/master/API.md. Amounts there are integer satoshis.
 *
 * Per scan: while the watch set is small, each watched address's history is asked for
 * (`/address/:a/txs/chain`, a few requests); once it is large, every transaction of every block
 * in the range is read, 25 per request, and the output addresses are matched against the watch
 * set. Blocks are always read first, so the scan can tell when the chain moved under it.
 */
import { mapLimit, positiveInt, reason, snippet } from "@/lib/chains/adapter-helpers";
import { z } from "zod";
import {
  ChainSourceError,
  type BlockRef,
  type ChainAdapter,
  type ChainHead,
  type ObservedTransfer,
  type TransferLookup,
  type TransferRef,
  type WatchSet,
} from "../types";
import {
  matchAddresses,
  MempoolTracker,
  reencodeAddress,
  scriptToAddress,
  transfersTo,
  type BitcoinHrp,
  type DecodedOutput,
  type DecodedTx,
} from "./script";

export interface EsploraAdapterOptions {
  /** API root, e.g. "https://mempool.space/api" or "https://blockstream.info/testnet/api". */
  readonly baseUrl: string;
  /** HRP of the addresses invoices store and transfers report: "bc" (live) or "tb" (test mode). */
  readonly hrp: BitcoinHrp;
  /**
   * HRP the API expects in `/address/…` paths when it differs from `hrp`: "bcrt" for a regtest
   * Esplora holding test-mode invoices. Defaults to `hrp`.
   */
  readonly apiHrp?: string;
  readonly fetch?: typeof globalThis.fetch;
  /** Per request. Default 10 s. */
  readonly timeoutMs?: number;
  /** Default 10: a block-by-block scan costs one request per 25 transactions. */
  readonly maxBlocksPerScan?: number;
  /** Watch sets up to this size are queried address by address. Default 50. */
  readonly addressQueryLimit?: number;
  /** New mempool transactions fetched per `mempool()` call while the watch set is large. Default 200. */
  readonly maxMempoolTxsPerCall?: number;
  /** Parallel requests while querying addresses. Default 4. */
  readonly concurrency?: number;
}

/** Esplora's page size for `/block/:hash/txs/:start` and `/address/:a/txs/chain`. */
const PAGE = 25;
/** An invoice address with more history than this is not one we generated: refuse to page on. */
const MAX_HISTORY_PAGES = 200;

const Hash = z.string().regex(/^[0-9a-f]{64}$/, "expected a 64-digit lower-case hex hash");
const Satoshis = z.number().int().nonnegative().max(2_100_000_000_000_000);
const Output = z.object({ scriptpubkey: z.string(), value: Satoshis });
const Input = z.object({ prevout: Output.nullish() });
const Status = z.object({
  confirmed: z.boolean(),
  block_height: z.number().int().nonnegative().nullish(),
  block_hash: Hash.nullish(),
});
const Tx = z.object({ txid: Hash, vin: z.array(Input), vout: z.array(Output), status: Status.optional() });
const TxList = z.array(Tx);
const Block = z.object({
  id: Hash,
  height: z.number().int().nonnegative(),
  timestamp: z.number().int().nonnegative(),
  tx_count: z.number().int().positive(),
  previousblockhash: Hash.nullish(),
});
const TxidList = z.array(Hash);

type EsploraTx = z.infer<typeof Tx>;
type EsploraBlock = z.infer<typeof Block>;
interface ScannedBlock {
  readonly ref: BlockRef;
  readonly txCount: number;
}

export function createEsploraAdapter(options: EsploraAdapterOptions): ChainAdapter {
  const hrp = options.hrp;
  const apiHrp = options.apiHrp ?? hrp;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = positiveInt("timeoutMs", options.timeoutMs ?? 10_000);
  const maxBlocksPerScan = positiveInt("maxBlocksPerScan", options.maxBlocksPerScan ?? 10);
  const addressQueryLimit = options.addressQueryLimit ?? 50;
  if (!Number.isSafeInteger(addressQueryLimit) || addressQueryLimit < 0) {
    throw new RangeError(`addressQueryLimit must be a non-negative integer, got ${addressQueryLimit}`);
  }
  const concurrency = positiveInt("concurrency", options.concurrency ?? 4);
  const tracker = new MempoolTracker(options.maxMempoolTxsPerCall ?? 200);

  // Credentials in the URL (a private Esplora behind basic auth) travel as a header, never in a
  // message: fetch itself refuses URLs with user info, and its error would quote the URL.
  const url = new URL(options.baseUrl);
  const headers: Record<string, string> = { accept: "application/json, text/plain" };
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
    url.username = "";
    url.password = "";
  }
  const base = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  // Only the origin: some providers put their token in the path.
  const description = `esplora ${url.origin}`;
  const fail = (message: string, cause?: unknown) =>
    new ChainSourceError(description, message, cause === undefined ? undefined : { cause });

  /** The body of a GET, or null on 404 (Esplora's answer for an unknown tx, block or height). */
  async function get(path: string): Promise<string | null> {
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(`${base}${path}`, { headers, signal, redirect: "error" });
      text = await response.text();
    } catch (error) {
      const why = signal.aborted ? `timed out after ${timeoutMs} ms` : `request failed: ${reason(error)}`;
      throw fail(`GET ${path}: ${why}`, error);
    }
    if (response.status === 404) return null;
    if (!response.ok) throw fail(`GET ${path}: HTTP ${response.status}${text ? `: ${snippet(text)}` : ""}`);
    return text;
  }

  async function getJson<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S> | null> {
    const text = await get(path);
    if (text === null) return null;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw fail(`GET ${path}: invalid JSON: ${snippet(text) || "(empty body)"}`, error);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
      throw fail(`GET ${path}: unexpected answer${where}: ${issue?.message ?? "invalid"}`);
    }
    return parsed.data;
  }

  /** A 404 where the API must answer: a block that just left the chain, or an API without the route. */
  async function required<T>(path: string, value: Promise<T | null>, what: string): Promise<T> {
    const result = await value;
    if (result === null) throw fail(`GET ${path}: ${what} not found (HTTP 404)`);
    return result;
  }

  async function getHashText(path: string): Promise<string | null> {
    const text = await get(path);
    if (text === null) return null;
    const hash = text.trim();
    if (!Hash.safeParse(hash).success) throw fail(`GET ${path}: expected a block hash, got ${snippet(text)}`);
    return hash;
  }

  const getBlock = (hash: string) => getJson(`/block/${hash}`, Block);
  const getTx = (txid: string) => getJson(`/tx/${txid}`, Tx);

  function blockRef(block: EsploraBlock): BlockRef {
    return {
      number: BigInt(block.height),
      hash: block.id,
      parentHash: block.previousblockhash ?? null,
      timestamp: new Date(block.timestamp * 1000),
    };
  }

  function decode(tx: EsploraTx): DecodedTx {
    const outputs: DecodedOutput[] = [];
    tx.vout.forEach((out, index) => {
      const address = out.value > 0 ? scriptToAddress(out.scriptpubkey, hrp) : null;
      if (address) outputs.push({ index, address, amount: BigInt(out.value) });
    });
    // Esplora inlines each input's previous output (null for a coinbase).
    const prevout = tx.vin[0]?.prevout;
    const from = prevout ? scriptToAddress(prevout.scriptpubkey, hrp) : null;
    return { txid: tx.txid, outputs, resolveFrom: async () => from };
  }

  /** The API's form of a watched address (`tb1…` → `bcrt1…` on regtest); null if not ours to ask. */
  function apiAddress(address: string): string | null {
    return apiHrp === hrp ? address : reencodeAddress(address, apiHrp);
  }

  /** Blocks `from`..`to` as they are now, checked to form one chain. */
  async function readBlocks(from: bigint, to: bigint): Promise<ScannedBlock[]> {
    const blocks: ScannedBlock[] = [];
    for (let height = from; height <= to; height++) {
      const path = `/block-height/${height}`;
      const hash = await required(path, getHashText(path), `block ${height}`);
      const block = await required(`/block/${hash}`, getBlock(hash), `block ${hash}`);
      if (BigInt(block.height) !== height) throw fail(`block ${hash} is at height ${block.height}, expected ${height}`);
      const ref = blockRef(block);
      const previous = blocks[blocks.length - 1];
      if (previous && ref.parentHash !== previous.ref.hash) {
        throw fail(`chain reorganised during the scan at height ${height}; retry`);
      }
      blocks.push({ ref, txCount: block.tx_count });
    }
    return blocks;
  }

  /** Small watch set: each address's confirmed history, newest first, down to `from`. */
  async function scanAddresses(list: readonly string[], blocks: readonly ScannedBlock[]): Promise<ObservedTransfer[]> {
    const first = blocks[0];
    const last = blocks[blocks.length - 1];
    if (!first || !last) return [];
    const from = first.ref.number;
    const to = last.ref.number;
    const byHeight = new Map(blocks.map((b) => [b.ref.number, b.ref]));
    const found = new Map<string, { tx: EsploraTx; block: BlockRef; height: bigint }>();

    await mapLimit(list, concurrency, async (address) => {
      const asked = apiAddress(address);
      if (asked === null) return;
      let lastSeen: string | null = null;
      for (let page = 0; ; page++) {
        if (page >= MAX_HISTORY_PAGES) throw fail(`address ${address} has more than ${PAGE * MAX_HISTORY_PAGES} transactions`);
        const path: string = `/address/${asked}/txs/chain${lastSeen ? `/${lastSeen}` : ""}`;
        const txs = await required(path, getJson(path, TxList), "address history");
        for (const tx of txs) {
          const status = tx.status;
          if (!status?.confirmed || status.block_height == null || !status.block_hash) {
            throw fail(`GET ${path}: confirmed history lists ${tx.txid} without its block`);
          }
          const height = BigInt(status.block_height);
          if (height < from || height > to) continue;
          const block = byHeight.get(height) as BlockRef;
          if (block.hash !== status.block_hash) throw fail(`chain reorganised during the scan at height ${height}; retry`);
          found.set(tx.txid, { tx, block, height });
        }
        const oldest = txs[txs.length - 1];
        if (txs.length < PAGE || !oldest || BigInt(oldest.status?.block_height ?? 0) < from) break;
        lastSeen = oldest.txid;
      }
    });

    const watched = new Set(list);
    const ordered = [...found.values()].sort((a, b) =>
      a.height === b.height ? a.tx.txid.localeCompare(b.tx.txid) : a.height < b.height ? -1 : 1,
    );
    const transfers: ObservedTransfer[] = [];
    for (const { tx, block } of ordered) transfers.push(...(await transfersTo([decode(tx)], watched, block)));
    return transfers;
  }

  /** Large watch set: every transaction of every block, 25 per request. */
  async function scanBlocks(blocks: readonly ScannedBlock[], watch: WatchSet): Promise<ObservedTransfer[]> {
    const transfers: ObservedTransfer[] = [];
    for (const { ref, txCount } of blocks) {
      const txs: DecodedTx[] = [];
      for (let start = 0; start < txCount; start += PAGE) {
        const path = `/block/${ref.hash}/txs/${start}`;
        const page = await required(path, getJson(path, TxList), `block ${ref.hash}`);
        if (page.length !== Math.min(PAGE, txCount - start)) {
          throw fail(`GET ${path}: ${page.length} transactions, expected ${Math.min(PAGE, txCount - start)}`);
        }
        txs.push(...page.map(decode));
      }
      const watched = await matchAddresses(watch, txs.flatMap((tx) => tx.outputs.map((o) => o.address)));
      transfers.push(...(await transfersTo(txs, watched, ref)));
    }
    return transfers;
  }

  /** The transfer `ref` names within `tx`, or null if that output does not pay that address. */
  function transferOf(tx: EsploraTx, ref: TransferRef, block: BlockRef | null): ObservedTransfer | null {
    const decoded = decode(tx);
    const out = decoded.outputs.find((o) => o.index === ref.index);
    if (!out || out.address !== ref.toAddress) return null;
    const prevout = tx.vin[0]?.prevout;
    return {
      network: "bitcoin",
      txHash: tx.txid,
      index: out.index,
      asset: "BTC",
      toAddress: out.address,
      fromAddress: prevout ? scriptToAddress(prevout.scriptpubkey, hrp) : null,
      amount: out.amount,
      block,
    };
  }

  async function minedLookup(tx: EsploraTx, ref: TransferRef): Promise<TransferLookup> {
    const status = tx.status;
    if (!status?.block_hash || status.block_height == null) throw fail(`GET /tx/${tx.txid}: confirmed without its block`);
    const block = await required(`/block/${status.block_hash}`, getBlock(status.block_hash), `block ${status.block_hash}`);
    if (block.height !== status.block_height) throw fail(`block ${block.id} is at height ${block.height}, not ${status.block_height}`);
    const transfer = transferOf(tx, ref, blockRef(block));
    return transfer ? { state: "mined", transfer } : notPaying(ref);
  }

  function notPaying(ref: TransferRef): TransferLookup {
    return { state: "missing", reason: `transaction ${ref.txHash} has no output ${ref.index} paying ${ref.toAddress}` };
  }

  return {
    network: "bitcoin",
    description,
    maxBlocksPerScan,

    async head(): Promise<ChainHead> {
      // Hash first, then its block: two separate "tip" calls could straddle a new block.
      for (let attempt = 0; attempt < 3; attempt++) {
        const hash = await required("/blocks/tip/hash", getHashText("/blocks/tip/hash"), "tip");
        const block = await getBlock(hash);
        if (block) return { number: BigInt(block.height), hash: block.id };
      }
      throw fail("the tip kept changing while it was read");
    },

    async block(number: bigint): Promise<BlockRef | null> {
      if (number < 0n) return null;
      for (let attempt = 0; attempt < 3; attempt++) {
        const hash = await getHashText(`/block-height/${number}`);
        if (hash === null) return null;
        const block = await getBlock(hash);
        if (block) return blockRef(block);
      }
      throw fail(`block ${number} kept changing while it was read`);
    },

    async scan(from: bigint, to: bigint, watch: WatchSet) {
      if (from < 0n || to < from || to - from + 1n > BigInt(maxBlocksPerScan)) {
        throw new RangeError(`scan range ${from}..${to} must hold 1 to ${maxBlocksPerScan} blocks`);
      }
      const blocks = await readBlocks(from, to);
      const list = await watch.list(addressQueryLimit);
      const transfers = list !== null ? await scanAddresses(list, blocks) : await scanBlocks(blocks, watch);
      return { blocks: blocks.map((b) => b.ref), transfers };
    },

    async mempool(watch: WatchSet): Promise<ObservedTransfer[]> {
      const list = await watch.list(addressQueryLimit);
      if (list !== null) {
        const txs = new Map<string, DecodedTx>();
        await mapLimit(list, concurrency, async (address) => {
          const asked = apiAddress(address);
          if (asked === null) return;
          const path = `/address/${asked}/txs/mempool`;
          for (const tx of await required(path, getJson(path, TxList), "address mempool")) {
            if (!tx.status?.confirmed) txs.set(tx.txid, decode(tx));
          }
        });
        return transfersTo([...txs.values()], new Set(list), null);
      }
      const txids = await required("/mempool/txids", getJson("/mempool/txids", TxidList), "mempool");
      return tracker.sync(
        txids,
        async (txid) => {
          const tx = await getTx(txid);
          return tx && !tx.status?.confirmed ? decode(tx) : null;
        },
        watch,
      );
    },

    async lookup(ref: TransferRef): Promise<TransferLookup> {
      if (ref.asset !== "BTC") return { state: "missing", reason: `${ref.asset} is not carried on the Bitcoin network` };
      const tx = await getTx(ref.txHash);
      if (!tx) return { state: "missing", reason: `transaction ${ref.txHash} is unknown: dropped from the mempool or replaced` };
      if (tx.status?.confirmed) return minedLookup(tx, ref);

      // electrs keeps transactions of stale blocks and reports them unconfirmed: only the
      // address's mempool history says whether one still waits to be mined.
      const asked = apiAddress(ref.toAddress);
      const path = `/address/${asked}/txs/mempool`;
      const waiting = asked === null ? [] : await required(path, getJson(path, TxList), "address mempool");
      if (waiting.some((t) => t.txid === tx.txid)) {
        const transfer = transferOf(tx, ref, null);
        return transfer ? { state: "mempool", transfer } : notPaying(ref);
      }
      // It may have been mined between the two requests.
      const again = await getTx(ref.txHash);
      if (again?.status?.confirmed) return minedLookup(again, ref);
      return { state: "missing", reason: `transaction ${ref.txHash} is no longer in the mempool (dropped or replaced)` };
    },
  };
}
