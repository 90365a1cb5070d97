/**
 * Tron watcher adapter for TRC-20 USDT over TronGrid (or any java-tron node with TronGrid's v1
 * event/index API in front of it). It speaks two APIs:
 *
 *  - java-tron's HTTP API (`/wallet/*`, `/walletsolidity/*`): blocks, the solidified (irreversible)
 *    head, transaction receipts with their event logs, and the pending pool;
 *  - TronGrid's v1 index (`/v1/contracts/{contract}/events`, `/v1/accounts/{address}/transactions/trc20`)
 *    to find Transfer events without downloading every receipt of every block.
 *
 * Identity of a transfer: `(txHash, index)` where index is the position of the Transfer log in the
 * transaction's log list. That is what TronGrid calls `event_index` (java-tron's event trigger id
 * is `$txId_$logIndex`), and what `log[index]` of /wallet/gettransactioninfobyid returns, so both
 * scan paths and `lookup` agree on it.
 */
import { mapLimit, snippet } from "@/lib/chains/adapter-helpers";
import { hexToBytes } from "@noble/hashes/utils.js";
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
} from "@/lib/chains/types";
import {
  BlockSchema,
  EventPageSchema,
  EventSchema,
  Trc20PageSchema,
  TransactionSchema,
  TxInfoSchema,
  addressFromWord,
  normalizeHex,
  toTronAddress,
  uint256Decimal,
  type Transaction,
  type TxInfo,
} from "./trongrid-shapes";

/** Tether's TRC-20 contract on Tron mainnet. */
export const TRON_MAINNET_USDT_CONTRACT = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
export const TRONGRID_MAINNET_URL = "https://api.trongrid.io";

/** keccak256("Transfer(address,address,uint256)"): topic 0 of every ERC-20/TRC-20 Transfer log. */
export const TRC20_TRANSFER_TOPIC = "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

/** TronGrid v1 caps `limit` at 200 per page. */
const PAGE_LIMIT = 200;
/** A runaway fingerprint loop (a proxy echoing the same cursor) must end somewhere. */
const MAX_PAGES = 1_000;
/** A block with every transaction is a few MB at most; anything far bigger is not a Tron answer. */
const MAX_BODY_CHARS = 32_000_000;
/**
 * Tron produces a block every 3 s and block timestamps are whole slots, so ±1 s around the scanned
 * blocks' timestamps catches them whether TronGrid treats min/max_timestamp as inclusive or not,
 * and can never reach the neighbouring blocks. Results are filtered by block number afterwards.
 */
const TIMESTAMP_MARGIN_MS = 1_000;

const SELECTOR_TRANSFER = "a9059cbb"; // transfer(address,uint256)
const SELECTOR_TRANSFER_FROM = "23b872dd"; // transferFrom(address,address,uint256)

export interface TronGridAdapterOptions {
  /** e.g. https://api.trongrid.io, https://nile.trongrid.io, or a self-hosted node + index. */
  readonly baseUrl: string;
  /** Sent as the TRON-PRO-API-KEY header; never logged nor put into an error message. */
  readonly apiKey?: string;
  /** The TRC-20 contract counted as USDT (base58 T… or 41… hex). Default: mainnet USDT. */
  readonly usdtContract?: string;
  readonly fetch?: typeof fetch;
  /** Default 20 blocks (one minute of chain). */
  readonly maxBlocksPerScan?: number;
  /** Per HTTP request. Default 10 s. */
  readonly timeoutMs?: number;
  /**
   * While at most this many addresses are watched, `scan` asks TronGrid per address (cheap: a few
   * requests per scan); above it, it reads every Transfer event of the contract block by block and
   * filters with `watch.match`. Default 20.
   */
  readonly perAddressLimit?: number;
  /** Requests in flight at once within one call. Default 4 (TronGrid rate-limits per key). */
  readonly concurrency?: number;
  /** Blocks below the head left for TronGrid's event index to catch up before they are scanned. Default 2 (6 s). */
  readonly scanLag?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isEmptyObject(value: unknown): boolean {
  return isRecord(value) && Object.keys(value).length === 0;
}

function hexToUtf8(hex: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: false }).decode(hexToBytes(normalizeHex(hex)));
  } catch {
    return hex;
  }
}

function transferKey(t: { txHash: string; index: number }): string {
  return `${t.txHash}:${t.index}`;
}

function byChainOrder(a: ObservedTransfer, b: ObservedTransfer): number {
  const blockA = a.block?.number ?? -1n;
  const blockB = b.block?.number ?? -1n;
  if (blockA !== blockB) return blockA < blockB ? -1 : 1;
  if (a.txHash !== b.txHash) return a.txHash < b.txHash ? -1 : 1;
  return a.index - b.index;
}

type Query = Record<string, string | number | boolean | undefined>;

/** A Transfer event decoded to the fields an ObservedTransfer needs. */
interface DecodedTransfer {
  readonly to: string;
  readonly from: string | null;
  readonly amount: bigint;
}

// -------------------------------------------------------------------------------------------------
// The adapter
// -------------------------------------------------------------------------------------------------

export function createTronGridAdapter(options: TronGridAdapterOptions): ChainAdapter {
  const base = new URL(options.baseUrl);
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new RangeError("TronGrid baseUrl must be an http(s) URL");
  }
  const baseUrl = `${base.origin}${base.pathname.replace(/\/+$/, "")}`;
  // Only the origin: userinfo, query strings and path segments (where some providers put their
  // token) stay out of what logs and the admin see.
  const description = `TronGrid ${base.origin}`;

  const apiKey = options.apiKey ?? "";
  if (apiKey && !/^[\x21-\x7e]+$/.test(apiKey)) {
    // Never echo the value: it is a secret even when malformed.
    throw new RangeError("TronGrid API key contains characters not allowed in an HTTP header");
  }

  const parsedContract = toTronAddress(options.usdtContract ?? TRON_MAINNET_USDT_CONTRACT);
  if (!parsedContract) throw new RangeError("usdtContract is not a Tron address");
  const usdt: string = parsedContract;

  const maxBlocksPerScan = options.maxBlocksPerScan ?? 20;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const perAddressLimit = options.perAddressLimit ?? 20;
  const concurrency = options.concurrency ?? 4;
  for (const [name, value] of Object.entries({ maxBlocksPerScan, timeoutMs, concurrency })) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer`);
  }
  if (!Number.isSafeInteger(perAddressLimit) || perAddressLimit < 0) {
    throw new RangeError("perAddressLimit must be a non-negative integer");
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;

  /** Defence in depth: a server echoing the key back must not put it into our logs. */
  const redact = (text: string): string => (apiKey ? text.split(apiKey).join("[redacted]") : text);

  const fail = (what: string, reason: string, cause?: unknown): never => {
    let safeCause = cause;
    if (apiKey && cause instanceof Error) {
      const inner = cause.cause instanceof Error ? cause.cause.message : "";
      if (cause.message.includes(apiKey) || inner.includes(apiKey)) safeCause = new Error(redact(cause.message));
    }
    throw new ChainSourceError(description, redact(`TronGrid ${what}: ${reason}`), { cause: safeCause });
  };

  /**
   * One HTTP exchange, returning the parsed JSON document. Every failure — transport, timeout,
   * HTTP status, non-JSON body, a java-tron `{"Error": …}` or TronGrid `{"success": false}` answer —
   * becomes a ChainSourceError naming the endpoint (never the key).
   */
  async function call(method: "GET" | "POST", path: string, params: { query?: Query; body?: unknown } = {}): Promise<unknown> {
    const what = `${method} ${path}`;
    const url = new URL(`${baseUrl}${path}`);
    for (const [key, value] of Object.entries(params.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: "application/json" };
    if (apiKey) headers["TRON-PRO-API-KEY"] = apiKey;
    if (params.body !== undefined) headers["content-type"] = "application/json";

    const signal = AbortSignal.timeout(timeoutMs);
    let status: number;
    let text: string;
    let retryAfter: string | null = null;
    try {
      const response = await fetchImpl(url, {
        method,
        headers,
        body: params.body === undefined ? undefined : JSON.stringify(params.body),
        signal,
        redirect: "error",
      });
      status = response.status;
      retryAfter = response.headers.get("retry-after");
      text = await response.text();
    } catch (error) {
      if (signal.aborted) return fail(what, `no answer within ${timeoutMs} ms (timed out)`, error);
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      return fail(what, `request failed: ${reason}`, error);
    }

    if (status === 429) {
      const wait = retryAfter ? `; retry after ${retryAfter} s` : "";
      const hint = apiKey ? "" : "; configure a TronGrid API key for a higher quota";
      return fail(what, `rate limited (HTTP 429)${wait}${hint}`);
    }
    if (status === 401 || status === 403) {
      return fail(what, apiKey ? `API key rejected (HTTP ${status})` : `access denied (HTTP ${status}); an API key may be required`);
    }
    if (status < 200 || status > 299) {
      return fail(what, `HTTP ${status}${text ? `: ${snippet(text)}` : ""}`);
    }
    if (text.length > MAX_BODY_CHARS) return fail(what, `response too large (${text.length} characters)`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return fail(what, `malformed JSON in response: ${snippet(text) || "(empty body)"}`);
    }
    if (isRecord(json)) {
      // java-tron answers errors with HTTP 200 and {"Error": "..."}; TronGrid v1 with success:false.
      if (typeof json.Error === "string") return fail(what, `node error: ${snippet(json.Error)}`);
      if (json.success === false) {
        const message = typeof json.error === "string" ? json.error : "success: false";
        return fail(what, `API error: ${snippet(message)}`);
      }
    }
    return json;
  }

  function parse<S extends z.ZodType>(what: string, schema: S, json: unknown): z.output<S> {
    const result = schema.safeParse(json);
    if (!result.success) return fail(what, `unexpected response shape: ${snippet(z.prettifyError(result.error))}`);
    return result.data;
  }

  function toBlockRef(what: string, block: z.infer<typeof BlockSchema>): BlockRef {
    const raw = block.block_header.raw_data;
    const number = BigInt(raw.number ?? 0);
    // Tron's block id starts with the block number (8 bytes, big-endian): a cheap integrity check.
    if (BigInt(`0x${block.blockID.slice(0, 16)}`) !== number) {
      return fail(what, `block id ${block.blockID} does not encode block number ${number}`);
    }
    return {
      number,
      hash: block.blockID,
      parentHash: raw.parentHash ?? null,
      timestamp: new Date(raw.timestamp ?? 0),
    };
  }

  async function nowBlock(path: "/wallet/getnowblock" | "/walletsolidity/getnowblock"): Promise<BlockRef> {
    const what = `POST ${path}`;
    return toBlockRef(what, parse(what, BlockSchema, await call("POST", path, { body: {} })));
  }

  async function block(number: bigint): Promise<BlockRef | null> {
    if (number < 0n) return null;
    if (number > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`block number ${number} is out of range`);
    const what = "POST /wallet/getblockbynum";
    const json = await call("POST", "/wallet/getblockbynum", { body: { num: Number(number) } });
    if (isEmptyObject(json)) return null; // java-tron's answer for a block it does not have
    const ref = toBlockRef(what, parse(what, BlockSchema, json));
    if (ref.number !== number) return fail(what, `asked for block ${number}, got block ${ref.number}`);
    return ref;
  }

  async function head(): Promise<ChainHead> {
    const [now, solid] = await Promise.all([nowBlock("/wallet/getnowblock"), nowBlock("/walletsolidity/getnowblock")]);
    // Behind a load balancer the two answers may come from different nodes; the solidified block
    // can never be above the head we report.
    const finalized = solid.number < now.number ? solid.number : now.number;
    return { number: now.number, hash: now.hash, finalized };
  }

  /** Follows `meta.fingerprint` until the last page. */
  async function pages<T>(
    path: string,
    query: Query,
    schema: z.ZodType<{ data: T[]; meta?: { fingerprint?: string } | undefined }>,
  ): Promise<T[]> {
    const what = `GET ${path}`;
    const items: T[] = [];
    const seen = new Set<string>();
    let fingerprint: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const json = await call("GET", path, { query: { ...query, limit: PAGE_LIMIT, fingerprint } });
      const { data, meta } = parse(what, schema, json);
      items.push(...data);
      fingerprint = meta?.fingerprint || undefined;
      if (!fingerprint || data.length === 0) return items;
      if (seen.has(fingerprint)) return fail(what, "pagination cursor (fingerprint) repeats itself");
      seen.add(fingerprint);
    }
    return fail(what, `more than ${MAX_PAGES} pages of results`);
  }

  /** A Transfer log of the USDT contract, decoded; null for any other log. */
  function decodeTransferLog(log: NonNullable<TxInfo["log"]>[number]): DecodedTransfer | null {
    if (!log.address || toTronAddress(log.address) !== usdt) return null;
    const topics = (log.topics ?? []).map(normalizeHex);
    if (topics.length !== 3 || topics[0] !== TRC20_TRANSFER_TOPIC) return null;
    const to = addressFromWord(topics[2] ?? "");
    const data = normalizeHex(log.data ?? "");
    if (!to || !/^[0-9a-f]{64}$/.test(data)) return null;
    return { to, from: addressFromWord(topics[1] ?? ""), amount: BigInt(`0x${data}`) };
  }

  async function transactionInfo(txHash: string): Promise<TxInfo | null> {
    const what = "POST /wallet/gettransactioninfobyid";
    const json = await call("POST", "/wallet/gettransactioninfobyid", { body: { value: txHash } });
    if (isEmptyObject(json)) return null; // not in any block this node knows
    const info = parse(what, TxInfoSchema, json);
    if (info.id !== txHash) return fail(what, `asked for ${txHash}, got ${info.id}`);
    return info;
  }

  /** Why a mined transaction moved no value, or null when it succeeded. */
  function failureOf(info: TxInfo): string | null {
    const receipt = info.receipt?.result;
    if (info.result === "FAILED" || (receipt !== undefined && receipt !== "SUCCESS")) {
      const message = info.resMessage ? `: ${snippet(hexToUtf8(info.resMessage))}` : "";
      return `transaction failed on chain (${receipt ?? info.result ?? "FAILED"})${message}`;
    }
    return null;
  }

  function observed(txHash: string, index: number, decoded: DecodedTransfer, blockRef: BlockRef | null): ObservedTransfer {
    return {
      network: "tron",
      txHash,
      index,
      asset: "USDT",
      toAddress: decoded.to,
      fromAddress: decoded.from,
      amount: decoded.amount,
      block: blockRef,
    };
  }

  /** Fetches from..to and checks that each block links to the one before. */
  async function blocksOf(from: bigint, to: bigint): Promise<BlockRef[]> {
    const numbers: bigint[] = [];
    for (let n = from; n <= to; n++) numbers.push(n);
    const blocks = await mapLimit(numbers, concurrency, async (n) => {
      const ref = await block(n);
      if (!ref) return fail("POST /wallet/getblockbynum", `block ${n} is above the node's head`);
      return ref;
    });
    for (let i = 1; i < blocks.length; i++) {
      const prev = blocks[i - 1] as BlockRef;
      const cur = blocks[i] as BlockRef;
      if (cur.parentHash !== prev.hash) {
        return fail("POST /wallet/getblockbynum", `block ${cur.number} does not link to block ${prev.number}: the chain changed during the scan`);
      }
    }
    return blocks;
  }

  /**
   * Per-address path (few watched addresses): TronGrid's TRC-20 history of each address over the
   * blocks' time span, then each transaction's receipt from the node, which gives the block number
   * and the log index the index API does not return.
   */
  async function scanPerAddress(blocks: BlockRef[], addresses: string[]): Promise<ObservedTransfer[]> {
    const first = blocks[0] as BlockRef;
    const last = blocks[blocks.length - 1] as BlockRef;
    const watched = new Set(addresses);
    const txIds = new Set<string>();
    await mapLimit(addresses, concurrency, async (address) => {
      const items = await pages(
        `/v1/accounts/${address}/transactions/trc20`,
        {
          only_to: true,
          contract_address: usdt,
          min_timestamp: first.timestamp.getTime() - TIMESTAMP_MARGIN_MS,
          max_timestamp: last.timestamp.getTime() + TIMESTAMP_MARGIN_MS,
          order_by: "block_timestamp,asc",
        },
        Trc20PageSchema,
      );
      for (const item of items) {
        // The query already filters; a proxy that drops parameters must not add foreign rows.
        if (toTronAddress(item.to) !== address) continue;
        if (item.type !== undefined && item.type !== "Transfer") continue;
        if (item.token_info?.address !== undefined && toTronAddress(item.token_info.address) !== usdt) continue;
        txIds.add(item.transaction_id);
      }
    });

    const byNumber = new Map(blocks.map((b) => [b.number, b]));
    const perTx = await mapLimit([...txIds], concurrency, async (txHash) => {
      const what = "POST /wallet/gettransactioninfobyid";
      const info = await transactionInfo(txHash);
      // The index listed it inside our span: a node that does not know it is behind or on another fork.
      if (!info) return fail(what, `transaction ${txHash} listed by the index is unknown to the node; retry`);
      if (failureOf(info)) return [];
      const blockRef = byNumber.get(BigInt(info.blockNumber));
      if (!blockRef) return []; // outside the scanned range (the time margin)
      if (info.blockTimeStamp !== undefined && info.blockTimeStamp !== blockRef.timestamp.getTime()) {
        return fail(what, `transaction ${txHash} is in block ${info.blockNumber} with another timestamp than the scanned block; retry`);
      }
      const found: ObservedTransfer[] = [];
      (info.log ?? []).forEach((log, index) => {
        const decoded = decodeTransferLog(log);
        if (decoded && decoded.amount > 0n && watched.has(decoded.to)) found.push(observed(txHash, index, decoded, blockRef));
      });
      return found;
    });
    return perTx.flat();
  }

  /** A v1 event's `result` (named keys, else positional "0"/"1"/"2") as a transfer. */
  function decodeEvent(what: string, event: z.infer<typeof EventSchema>): DecodedTransfer {
    const r = event.result;
    const pick = (name: string, position: string): unknown => (Object.hasOwn(r, name) ? r[name] : Object.hasOwn(r, position) ? r[position] : undefined);
    const rawTo = pick("to", "1");
    const rawFrom = pick("from", "0");
    const rawValue = pick("value", "2");
    const to = typeof rawTo === "string" ? toTronAddress(rawTo) : null;
    const value = uint256Decimal.safeParse(rawValue);
    if (!to || !value.success) {
      return fail(what, `Transfer event ${event.transaction_id}#${event.event_index} has an unreadable to/value`);
    }
    return { to, from: typeof rawFrom === "string" ? toTronAddress(rawFrom) : null, amount: BigInt(value.data) };
  }

  /**
   * Per-block path (many watched addresses): every Transfer event of the contract in each block,
   * then one `watch.match` over all recipients.
   */
  async function scanPerBlock(blocks: BlockRef[], watch: WatchSet): Promise<ObservedTransfer[]> {
    const path = `/v1/contracts/${usdt}/events`;
    const what = `GET ${path}`;
    const perBlock = await mapLimit(blocks, concurrency, async (blockRef) => {
      const events = await pages(path, { event_name: "Transfer", block_number: blockRef.number.toString() }, EventPageSchema);
      const found: ObservedTransfer[] = [];
      for (const event of events) {
        if (event.event_name !== "Transfer" || toTronAddress(event.contract_address) !== usdt) continue;
        if (BigInt(event.block_number) !== blockRef.number) {
          return fail(what, `asked for events of block ${blockRef.number}, got one of block ${event.block_number}`);
        }
        if (event.block_timestamp !== blockRef.timestamp.getTime()) {
          // The index saw another block at this height than the node did: a reorganisation is in progress.
          return fail(what, `the event index and the node disagree about block ${blockRef.number}; retry`);
        }
        const decoded = decodeEvent(what, event);
        if (decoded.amount > 0n) found.push(observed(event.transaction_id, event.event_index, decoded, blockRef));
      }
      return found;
    });
    const all = perBlock.flat();
    if (all.length === 0) return [];
    const matched = await watch.match([...new Set(all.map((t) => t.toAddress))]);
    return all.filter((t) => matched.has(t.toAddress));
  }

  async function scan(from: bigint, to: bigint, watch: WatchSet): Promise<{ blocks: BlockRef[]; transfers: ObservedTransfer[] }> {
    if (from < 0n || to < from) throw new RangeError(`invalid block range ${from}..${to}`);
    if (to - from + 1n > BigInt(maxBlocksPerScan)) {
      throw new RangeError(`block range ${from}..${to} exceeds maxBlocksPerScan (${maxBlocksPerScan})`);
    }
    const blocks = await blocksOf(from, to);
    const list = perAddressLimit > 0 ? await watch.list(perAddressLimit) : null;
    let transfers: ObservedTransfer[];
    if (list !== null) {
      const addresses = [...new Set(list.map((a) => toTronAddress(a)).filter((a): a is string => a !== null))];
      transfers = addresses.length === 0 ? [] : await scanPerAddress(blocks, addresses);
    } else {
      transfers = await scanPerBlock(blocks, watch);
    }
    const unique = new Map(transfers.map((t) => [transferKey(t), t]));
    return { blocks, transfers: [...unique.values()].sort(byChainOrder) };
  }

  /** A pending USDT transfer(to, amount) / transferFrom(from, to, amount) call, decoded. */
  function decodePendingCall(tx: Transaction): DecodedTransfer | null {
    const contract = tx.raw_data.contract?.[0];
    if (contract?.type !== "TriggerSmartContract") return null;
    const value = contract.parameter?.value ?? {};
    const target = typeof value.contract_address === "string" ? toTronAddress(value.contract_address) : null;
    if (target !== usdt || typeof value.data !== "string") return null;
    const data = normalizeHex(value.data);
    const owner = typeof value.owner_address === "string" ? toTronAddress(value.owner_address) : null;
    const word = (i: number) => data.slice(8 + 64 * i, 8 + 64 * (i + 1));
    if (data.startsWith(SELECTOR_TRANSFER) && data.length >= 8 + 128) {
      const to = addressFromWord(word(0));
      return to && /^[0-9a-f]{64}$/.test(word(1)) ? { to, from: owner, amount: BigInt(`0x${word(1)}`) } : null;
    }
    if (data.startsWith(SELECTOR_TRANSFER_FROM) && data.length >= 8 + 192) {
      const to = addressFromWord(word(1));
      return to && /^[0-9a-f]{64}$/.test(word(2)) ? { to, from: addressFromWord(word(0)), amount: BigInt(`0x${word(2)}`) } : null;
    }
    return null;
  }

  async function pendingTransaction(path: "/wallet/gettransactionbyid" | "/wallet/gettransactionfrompending", txHash: string): Promise<Transaction | null> {
    const what = `POST ${path}`;
    const json = await call("POST", path, { body: { value: txHash } });
    if (isEmptyObject(json)) return null;
    const tx = parse(what, TransactionSchema, json);
    if (tx.txID !== txHash) return fail(what, `asked for ${txHash}, got ${tx.txID}`);
    return tx;
  }

  async function lookup(ref: TransferRef): Promise<TransferLookup> {
    const txHash = normalizeHex(ref.txHash);
    if (!/^[0-9a-f]{64}$/.test(txHash)) return { state: "missing", reason: `${ref.txHash} is not a Tron transaction id` };
    if (ref.asset !== "USDT") return { state: "missing", reason: `this adapter watches USDT only, not ${ref.asset}` };

    const info = await transactionInfo(txHash);
    if (info) {
      const failure = failureOf(info);
      if (failure) return { state: "reverted", reason: failure };
      const log = info.log?.[ref.index];
      const decoded = log ? decodeTransferLog(log) : null;
      if (!decoded || decoded.to !== ref.toAddress || decoded.amount === 0n) {
        return {
          state: "missing",
          reason: `transaction ${txHash} (block ${info.blockNumber}) has no USDT transfer to ${ref.toAddress} at log index ${ref.index}`,
        };
      }
      const blockRef = await block(BigInt(info.blockNumber));
      if (!blockRef) {
        return fail("POST /wallet/getblockbynum", `block ${info.blockNumber} of transaction ${txHash} is unknown to the node; retry`);
      }
      return { state: "mined", transfer: observed(txHash, ref.index, decoded, blockRef) };
    }

    // Not executed in any block. /wallet/gettransactionbyid knows transactions stored with a block
    // (an answer here without a receipt is a node still applying the block); the pending pool is
    // /wallet/gettransactionfrompending. Either way the transfer is still waiting.
    const pending =
      (await pendingTransaction("/wallet/gettransactionbyid", txHash)) ??
      (await pendingTransaction("/wallet/gettransactionfrompending", txHash));
    if (!pending) return { state: "missing", reason: `transaction ${txHash} is neither in a block nor in the pending pool` };
    const decoded = decodePendingCall(pending);
    if (!decoded || decoded.to !== ref.toAddress || decoded.amount === 0n) {
      // Only executing the call tells what an indirect call (a router, a batch) pays.
      return {
        state: "missing",
        reason: `pending transaction ${txHash} is not a direct USDT transfer to ${ref.toAddress}; it is re-checked once mined`,
      };
    }
    // Before execution there is no log: the index is the one recorded when the transfer was seen.
    return { state: "mempool", transfer: observed(txHash, ref.index, decoded, null) };
  }

  /**
   * Tron's rule: a block is irreversible once it is solidified — confirmed by more than 2/3 of the
   * 27 super representatives, i.e. about 19 blocks (~1 minute) behind the head. So `count` is the
   * usual head − block + 1 (0 above the head), but `final` is true only once the block is at or
   * below the solidified block (`head.finalized`); without a solidified height nothing is final,
   * whatever the count.
   */
  function confirmations(blockNumber: bigint, chainHead: ChainHead): { count: number; final: boolean } {
    const count = chainHead.number - blockNumber + 1n;
    return {
      count: count > 0n ? Number(count) : 0,
      final: chainHead.finalized !== undefined && blockNumber <= chainHead.finalized && blockNumber <= chainHead.number,
    };
  }

  return {
    network: "tron",
    description,
    maxBlocksPerScan,
    scanLag: options.scanLag ?? 2,
    head,
    block,
    scan,
    lookup,
    confirmations,
  };
}
