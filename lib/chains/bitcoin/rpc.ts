/**
 * Bitcoin watcher over a bitcoind-compatible JSON-RPC node (Bitcoin Core, or bcoin in tests).
 *
 * Every block in a scan is read whole (`getblock` with full transactions) and its output
 * addresses matched against the watch set: a node has no address index to ask. `lookup` needs a
 * transaction index (Core: `txindex=1`; bcoin: `index-tx`) to find mined transactions.
 *
 * Dialects: Core takes `getblock <hash> 2` for full transactions; bcoin refuses the 2 and takes
 * `getblock <hash> true true` (verbose, details). The first block read detects which one answers.
 */
import { positiveInt, reason, snippet } from "@/lib/chains/adapter-helpers";
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
  btcToSatoshis,
  matchAddresses,
  MempoolTracker,
  scriptToAddress,
  transfersTo,
  type BitcoinHrp,
  type DecodedOutput,
  type DecodedTx,
} from "./script";

export interface BitcoinRpcAdapterOptions {
  /** e.g. "http://127.0.0.1:8332/". Credentials may also be given here (user:pass@host). */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** HRP of the addresses invoices store and transfers report: "bc" (live) or "tb" (test mode). */
  readonly hrp: BitcoinHrp;
  readonly fetch?: typeof globalThis.fetch;
  /** Per request. Default 10 s. */
  readonly timeoutMs?: number;
  /** Default 20. */
  readonly maxBlocksPerScan?: number;
  /** New mempool transactions fetched per `mempool()` call. Default 500 (a local node answers fast). */
  readonly maxMempoolTxsPerCall?: number;
}

/** Core's codes (src/rpc/protocol.h) the adapter reacts to. */
const RPC_INVALID_ADDRESS_OR_KEY = -5; // unknown block / transaction
const RPC_INVALID_PARAMETER = -8; // block height out of range

/** A JSON-RPC error answer: the node worked, the call did not. */
export class RpcCallError extends ChainSourceError {
  constructor(
    source: string,
    readonly method: string,
    readonly code: number,
    readonly rpcMessage: string,
  ) {
    super(source, `${method}: ${rpcMessage} (code ${code})`);
    this.name = "RpcCallError";
  }
}

/** "Not found" in Core (-5) and bcoin (-1, "Transaction not found."); a missing txindex is not that. */
function isNotFound(error: unknown): error is RpcCallError {
  return (
    error instanceof RpcCallError &&
    !/txindex/i.test(error.rpcMessage) &&
    (error.code === RPC_INVALID_ADDRESS_OR_KEY || /not found|no such/i.test(error.rpcMessage))
  );
}

const Envelope = z.object({
  result: z.unknown().optional(),
  error: z.object({ code: z.number(), message: z.string() }).nullish(),
});
const Hash = z.string().regex(/^[0-9a-f]{64}$/, "expected a 64-digit lower-case hex hash");
const ScriptPubKey = z.object({ hex: z.string().regex(/^[0-9a-f]*$/i) });
const Vout = z.object({ value: z.number().nonnegative(), n: z.number().int().nonnegative(), scriptPubKey: ScriptPubKey });
const Vin = z.object({
  txid: Hash.optional(),
  vout: z.number().int().nonnegative().optional(),
  coinbase: z.string().optional(),
  // Core's getblock verbosity 3 / getrawtransaction verbosity 2 inline the spent output.
  prevout: z.object({ scriptPubKey: ScriptPubKey }).optional(),
});
const RawTx = z.object({
  txid: Hash,
  vin: z.array(Vin),
  vout: z.array(Vout),
  blockhash: Hash.nullish(),
  confirmations: z.number().int().optional(),
});
const Header = z.object({
  hash: Hash,
  height: z.number().int().nonnegative(),
  time: z.number().int().nonnegative(),
  previousblockhash: Hash.nullish(),
  // Core: -1 for a block off the active chain.
  confirmations: z.number().int(),
});
const FullBlock = Header.extend({ tx: z.array(RawTx).min(1) });
const BlockTxs = z.object({ tx: z.array(z.unknown()) });
const Txids = z.array(Hash);

type RpcTx = z.infer<typeof RawTx>;
type RpcHeader = z.infer<typeof Header>;

export function createBitcoinRpcAdapter(options: BitcoinRpcAdapterOptions): ChainAdapter {
  const hrp = options.hrp;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = positiveInt("timeoutMs", options.timeoutMs ?? 10_000);
  const maxBlocksPerScan = positiveInt("maxBlocksPerScan", options.maxBlocksPerScan ?? 20);
  const tracker = new MempoolTracker(options.maxMempoolTxsPerCall ?? 500);

  // Credentials travel in a header and appear in no message: fetch refuses URLs with user info,
  // and its error would quote the URL.
  const url = new URL(options.url);
  const username = options.username ?? decodeURIComponent(url.username);
  const password = options.password ?? decodeURIComponent(url.password);
  url.username = "";
  url.password = "";
  const endpoint = url.toString();
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (username || password) headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  // Only the origin: some providers put their token in the path.
  const description = `bitcoin-rpc ${url.origin}`;
  const fail = (message: string, cause?: unknown) =>
    new ChainSourceError(description, message, cause === undefined ? undefined : { cause });

  let nextId = 1;
  /** Which `getblock` form returns full transactions; undefined until the first block is read. */
  let dialect: "core" | "bcoin" | undefined;

  async function call(method: string, params: readonly unknown[]): Promise<unknown> {
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(endpoint, {
        method: "POST",
        headers,
        body: JSON.stringify({ jsonrpc: "1.0", id: nextId++, method, params }),
        signal,
        redirect: "error",
      });
      text = await response.text();
    } catch (error) {
      const why = signal.aborted ? `timed out after ${timeoutMs} ms` : `request failed: ${reason(error)}`;
      throw fail(`${method}: ${why}`, error);
    }
    if (response.status === 401 || response.status === 403) {
      throw fail(`${method}: the node refused the credentials (HTTP ${response.status})`);
    }
    // Core answers RPC errors with HTTP 500 (404 for an unknown method) and a JSON body: read the
    // body whatever the status.
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw fail(`${method}: HTTP ${response.status}, not JSON: ${snippet(text) || "(empty body)"}`, error);
    }
    const envelope = Envelope.safeParse(body);
    if (!envelope.success) throw fail(`${method}: HTTP ${response.status}, not a JSON-RPC answer: ${snippet(text)}`);
    if (envelope.data.error) {
      throw new RpcCallError(description, method, envelope.data.error.code, envelope.data.error.message);
    }
    if (!response.ok) throw fail(`${method}: HTTP ${response.status}: ${snippet(text)}`);
    return envelope.data.result;
  }

  function parse<S extends z.ZodType>(method: string, schema: S, value: unknown): z.infer<S> {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
    throw fail(`${method}: unexpected answer${where}: ${issue?.message ?? "invalid"}`);
  }

  async function callParsed<S extends z.ZodType>(method: string, params: readonly unknown[], schema: S): Promise<z.infer<S>> {
    return parse(method, schema, await call(method, params));
  }

  /** The hash at `height`, or null above the tip. */
  async function hashAt(height: bigint): Promise<string | null> {
    try {
      return await callParsed("getblockhash", [Number(height)], Hash);
    } catch (error) {
      if (error instanceof RpcCallError && error.code === RPC_INVALID_PARAMETER) return null;
      throw error;
    }
  }

  const header = (hash: string) => callParsed("getblockheader", [hash, true], Header);

  function blockRef(h: RpcHeader): BlockRef {
    return {
      number: BigInt(h.height),
      hash: h.hash,
      parentHash: h.previousblockhash ?? null,
      timestamp: new Date(h.time * 1000),
    };
  }

  async function fullBlock(hash: string): Promise<z.infer<typeof FullBlock>> {
    if (dialect !== "bcoin") {
      let answer: unknown;
      try {
        answer = await call("getblock", [hash, 2]);
      } catch (error) {
        // bcoin: "Param #1 must be a boolean." Core's own errors (unknown block) stand.
        if (dialect === "core" || !(error instanceof RpcCallError) || error.code === RPC_INVALID_ADDRESS_OR_KEY) throw error;
      }
      if (answer !== undefined) {
        // Full transactions are objects; a node that read the 2 as "verbose" lists txids.
        const first = BlockTxs.safeParse(answer).data?.tx[0];
        if (typeof first === "object" && first !== null) {
          dialect = "core";
          return parse("getblock", FullBlock, answer);
        }
        if (dialect === "core") throw fail("getblock: verbosity 2 answered without full transactions");
      }
    }
    const block = await callParsed("getblock", [hash, true, true], FullBlock);
    dialect = "bcoin";
    return block;
  }

  /** The first input's address: inline when the node gives it, else from the spent transaction. */
  function decode(tx: RpcTx, prevTxCache: Map<string, Promise<RpcTx | null>>): DecodedTx {
    const outputs: DecodedOutput[] = tx.vout.map((out, position) => {
      if (out.n !== position) throw fail(`transaction ${tx.txid}: output ${position} is numbered ${out.n}`);
      let amount: bigint;
      try {
        amount = btcToSatoshis(out.value);
      } catch {
        throw fail(`transaction ${tx.txid}: output ${position} has value ${out.value}`);
      }
      const address = amount > 0n ? scriptToAddress(out.scriptPubKey.hex, hrp) : null;
      return address ? { index: position, address, amount } : null;
    }).filter((o): o is DecodedOutput => o !== null);
    const first = tx.vin[0];
    return {
      txid: tx.txid,
      outputs,
      async resolveFrom() {
        if (!first || first.coinbase !== undefined) return null;
        if (first.prevout) return scriptToAddress(first.prevout.scriptPubKey.hex, hrp);
        if (!first.txid || first.vout === undefined) return null;
        let pending = prevTxCache.get(first.txid);
        if (!pending) {
          pending = rawTransaction(first.txid).catch((error: unknown) => {
            // Best effort: without a transaction index Core cannot show an old transaction.
            if (error instanceof RpcCallError) return null;
            throw error;
          });
          prevTxCache.set(first.txid, pending);
        }
        const prev = await pending;
        const spent = prev?.vout[first.vout];
        return spent ? scriptToAddress(spent.scriptPubKey.hex, hrp) : null;
      },
    };
  }

  /** getrawtransaction verbose, or null if the node does not know the transaction. */
  async function rawTransaction(txid: string): Promise<RpcTx | null> {
    try {
      return await callParsed("getrawtransaction", [txid, true], RawTx);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async function inMempool(txid: string): Promise<boolean> {
    try {
      await call("getmempoolentry", [txid]);
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  function transferOf(tx: DecodedTx, ref: TransferRef, block: BlockRef | null, from: string | null): ObservedTransfer | null {
    const out = tx.outputs.find((o) => o.index === ref.index);
    if (!out || out.address !== ref.toAddress) return null;
    return { network: "bitcoin", txHash: tx.txid, index: out.index, asset: "BTC", toAddress: out.address, fromAddress: from, amount: out.amount, block };
  }

  return {
    network: "bitcoin",
    description,
    maxBlocksPerScan,

    async head(): Promise<ChainHead> {
      // One hash, then its header: getblockcount + getbestblockhash could straddle a block.
      const hash = await callParsed("getbestblockhash", [], Hash);
      const h = await header(hash);
      return { number: BigInt(h.height), hash: h.hash };
    },

    async block(number: bigint): Promise<BlockRef | null> {
      if (number < 0n) return null;
      const hash = await hashAt(number);
      return hash === null ? null : blockRef(await header(hash));
    },

    async scan(from: bigint, to: bigint, watch: WatchSet) {
      if (from < 0n || to < from || to - from + 1n > BigInt(maxBlocksPerScan)) {
        throw new RangeError(`scan range ${from}..${to} must hold 1 to ${maxBlocksPerScan} blocks`);
      }
      const blocks: BlockRef[] = [];
      const transfers: ObservedTransfer[] = [];
      const prevTxCache = new Map<string, Promise<RpcTx | null>>();
      for (let height = from; height <= to; height++) {
        const hash = await hashAt(height);
        if (hash === null) throw fail(`block ${height} is above the tip`);
        const block = await fullBlock(hash);
        if (block.hash !== hash || BigInt(block.height) !== height) {
          throw fail(`getblock ${hash}: answered block ${block.hash} at height ${block.height}`);
        }
        const ref = blockRef(block);
        const previous = blocks[blocks.length - 1];
        if (previous && ref.parentHash !== previous.hash) throw fail(`chain reorganised during the scan at height ${height}; retry`);
        blocks.push(ref);
        const txs = block.tx.map((tx) => decode(tx, prevTxCache));
        const watched = await matchAddresses(watch, txs.flatMap((tx) => tx.outputs.map((o) => o.address)));
        transfers.push(...(await transfersTo(txs, watched, ref)));
      }
      return { blocks, transfers };
    },

    async mempool(watch: WatchSet): Promise<ObservedTransfer[]> {
      const txids = await callParsed("getrawmempool", [], Txids);
      const prevTxCache = new Map<string, Promise<RpcTx | null>>();
      return tracker.sync(
        txids,
        async (txid) => {
          const tx = await rawTransaction(txid);
          // Gone, or mined since getrawmempool answered.
          if (!tx || (tx.blockhash && (tx.confirmations ?? 0) > 0)) return null;
          return decode(tx, prevTxCache);
        },
        watch,
      );
    },

    async lookup(ref: TransferRef): Promise<TransferLookup> {
      if (ref.asset !== "BTC") return { state: "missing", reason: `${ref.asset} is not carried on the Bitcoin network` };
      const notPaying: TransferLookup = {
        state: "missing",
        reason: `transaction ${ref.txHash} has no output ${ref.index} paying ${ref.toAddress}`,
      };
      let tx: RpcTx | null;
      try {
        tx = await rawTransaction(ref.txHash);
      } catch (error) {
        if (error instanceof RpcCallError && /txindex/i.test(error.rpcMessage)) {
          throw fail("the node keeps no transaction index (start it with -txindex): mined transactions cannot be looked up", error);
        }
        throw error;
      }
      if (!tx) return { state: "missing", reason: `transaction ${ref.txHash} is unknown: dropped from the mempool or replaced` };
      // Twice: a transaction mined between the index read and the mempool check is not "missing".
      for (let attempt = 0; tx && attempt < 2; attempt++) {
        const decoded = decode(tx, new Map());
        if (tx.blockhash && (tx.confirmations ?? 0) > 0) {
          const h = await header(tx.blockhash);
          // Core's index keeps stale blocks' transactions: trust only the block now at that height.
          if ((await hashAt(BigInt(h.height))) === h.hash) {
            const transfer = transferOf(decoded, ref, blockRef(h), await decoded.resolveFrom());
            return transfer ? { state: "mined", transfer } : notPaying;
          }
        }
        if (await inMempool(ref.txHash)) {
          const transfer = transferOf(decoded, ref, null, await decoded.resolveFrom());
          return transfer ? { state: "mempool", transfer } : notPaying;
        }
        if (attempt === 0) tx = await rawTransaction(ref.txHash);
      }
      return { state: "missing", reason: `transaction ${ref.txHash} is neither in the mempool nor in the active chain (dropped or replaced)` };
    },
  };
}
