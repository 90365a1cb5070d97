/**
 * A local TronGrid: node:http on 127.0.0.1 (random port) over an in-memory Tron chain, answering
 * with the shapes of java-tron's HTTP API and TronGrid's v1 index, so the Tron adapter can be tested
 * without the network:
 *
 *   POST /wallet/getnowblock, /wallet/getblockbynum {num}, /walletsolidity/getnowblock
 *   POST /wallet/gettransactioninfobyid, /wallet/gettransactionbyid, /wallet/gettransactionfrompending {value}
 *   GET  /v1/contracts/{contract}/events?event_name&block_number&min/max_block_timestamp&order_by&limit&fingerprint
 *   GET  /v1/accounts/{address}/transactions/trc20?only_to&only_from&contract_address&min/max_timestamp&order_by&limit&fingerprint
 *
 * The chain: a block every 3 s; block ids are 8 bytes of block number followed by 24 bytes of a
 * hash (as Tron's are); the solidified head trails the head by `solidifiedLag` blocks (19 by
 * default, as on mainnet). Transactions wait in a pending pool until `mine()`; `reorg(h)` replaces
 * the blocks above h with new ones and returns their transactions to the pool, as java-tron does.
 * Faults (HTTP status such as 429/500, malformed JSON, a hang) can be queued for the next requests.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sha256 } from "@noble/hashes/sha2.js";
import { createBase58check } from "@scure/base";

const b58c = createBase58check(sha256);

export const MAINNET_USDT = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
export const TRANSFER_TOPIC = "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
const TRANSFER_SIGNATURE = "Transfer(address indexed from, address indexed to, uint256 value)";
const BLOCK_INTERVAL_MS = 3_000;
const MAX_LIMIT = 200;

// ---- address helpers (independent of lib/, so the tests cross-check the adapter's conversion) ----

const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/** base58 T… → 41-prefixed hex (21 bytes). */
export function tronHexOf(address: string): string {
  const bytes = b58c.decode(address);
  if (bytes.length !== 21 || bytes[0] !== 0x41) throw new Error(`not a Tron address: ${address}`);
  return toHex(bytes);
}

/** 41…, 0x… or bare 20-byte hex → base58 T…. */
export function tronBase58Of(hex: string): string {
  const h = hex.replace(/^0x/i, "").toLowerCase();
  const payload = h.length === 40 ? `41${h}` : h;
  return b58c.encode(Uint8Array.from(Buffer.from(payload, "hex")));
}

/** A fresh, valid address (deterministic per label). */
export function tronAddressFor(label: string): string {
  return tronBase58Of(createHash("sha256").update(`addr:${label}`).digest("hex").slice(0, 40));
}

/** Accepts a path parameter in base58 or hex, as TronGrid does. */
function parseAddressParam(value: string): string | null {
  try {
    if (value.startsWith("T")) return tronBase58Of(tronHexOf(value));
    if (/^(0x|41)?[0-9a-fA-F]{40}$/.test(value) || /^41[0-9a-fA-F]{40}$/.test(value)) return tronBase58Of(value);
  } catch {
    return null;
  }
  return null;
}

const word = (hex: string) => hex.padStart(64, "0");
const addressWord = (address: string) => word(tronHexOf(address).slice(2));
const amountWord = (amount: bigint) => word(amount.toString(16));

// ---- chain model --------------------------------------------------------------------------------

export interface FakeTransfer {
  readonly to: string;
  readonly amount: bigint;
  readonly from?: string;
  /** Emitting TRC-20 contract; defaults to the server's USDT contract. */
  readonly contract?: string;
}

interface Transfer {
  readonly to: string;
  readonly amount: bigint;
  readonly from: string;
  readonly contract: string;
}

interface Tx {
  readonly id: string;
  readonly owner: string;
  /** The contract the transaction calls (the token for a plain transfer, else a batch contract). */
  readonly called: string;
  readonly data: string;
  /** Its event logs, in order: log i is event_index i. */
  readonly logs: readonly Transfer[];
  readonly createdAt: number;
  status: "SUCCESS" | "REVERT";
}

interface Block {
  readonly number: number;
  readonly id: string;
  readonly parentHash: string;
  readonly timestamp: number;
  readonly txIds: readonly string[];
  readonly witness: string;
}

export type Fault =
  | { readonly kind: "status"; readonly status: number; readonly body?: string; readonly headers?: Record<string, string> }
  | { readonly kind: "malformed" }
  | { readonly kind: "hang" }
  | { readonly kind: "body"; readonly body: string };

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly apiKey: string | undefined;
}

export interface TronGridServerOptions {
  /** When set, every request must carry it in TRON-PRO-API-KEY (else HTTP 401). */
  readonly apiKey?: string;
  readonly usdtContract?: string;
  /** Head − solidified. Default 19. */
  readonly solidifiedLag?: number;
  /** Number of the first block the node has (older ones answer {} like a pruned node). */
  readonly firstBlock?: number;
  /** Blocks mined at start (default 30). */
  readonly initialBlocks?: number;
  /** Form of `result.from/to` in v1 events: TronGrid answers "0x…" hex. */
  readonly eventAddressFormat?: "0x" | "41" | "base58";
}

export interface SendOptions {
  /** The sender (owner_address); defaults to the first transfer's `from`. */
  readonly owner?: string;
  /** Called contract when the transaction emits several events (a batch/router contract). */
  readonly via?: string;
}

export interface TronGridServer {
  readonly baseUrl: string;
  readonly usdtContract: string;
  readonly requests: RecordedRequest[];
  /** Current head and solidified block numbers. */
  head(): number;
  solidified(): number;
  setSolidifiedLag(lag: number): void;
  blockId(number: number): string | undefined;
  blockTimestamp(number: number): number | undefined;
  /** Block number holding `txId`, or undefined while pending/dropped. */
  blockOf(txId: string): number | undefined;
  /** Adds a transaction emitting these Transfer events (in order) to the pending pool; returns its id. */
  send(transfers: FakeTransfer | readonly FakeTransfer[], opts?: SendOptions): string;
  /** Mines `count` blocks; the first takes every pending transaction. Returns the new numbers. */
  mine(count?: number): number[];
  /** Replaces the blocks above `height` by `replacements` new (empty) blocks; their txs return to the pool. */
  reorg(height: number, replacements?: number): void;
  /** Removes a transaction from the pending pool (expired / evicted). */
  drop(txId: string): void;
  /** Marks a transaction as reverted: receipt REVERT, no event logs. */
  revert(txId: string): void;
  /** Queues a fault for each of the next `times` requests. */
  fail(fault: Fault, times?: number): void;
  clearFaults(): void;
  close(): Promise<void>;
}

function hashHex(...parts: (string | number)[]): string {
  return createHash("sha256").update(parts.join("|")).digest("hex");
}

function encodeFingerprint(offset: number, queryKey: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: hashHex(queryKey).slice(0, 12) })).toString("base64url");
}

function decodeFingerprint(fp: string, queryKey: string): number | null {
  try {
    const parsed = JSON.parse(Buffer.from(fp, "base64url").toString("utf8")) as { o?: unknown; q?: unknown };
    if (typeof parsed.o !== "number" || parsed.q !== hashHex(queryKey).slice(0, 12)) return null;
    return parsed.o;
  } catch {
    return null;
  }
}

export async function startTronGridServer(options: TronGridServerOptions = {}): Promise<TronGridServer> {
  const usdt = options.usdtContract ?? MAINNET_USDT;
  const first = options.firstBlock ?? 68_000_000;
  const genesisTime = 1_735_689_600_000; // 2025-01-01T00:00:00Z, block `first`
  let solidifiedLag = options.solidifiedLag ?? 19;
  const eventAddressFormat = options.eventAddressFormat ?? "0x";

  const blocks: Block[] = []; // blocks[i] is block number first + i
  const txs = new Map<string, Tx>();
  const txBlock = new Map<string, number>();
  let pending: string[] = [];
  let salt = 0;
  let txCounter = 0;
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  const witnesses = Array.from({ length: 27 }, (_, i) => tronAddressFor(`witness-${i}`));

  const headNumber = () => first + blocks.length - 1;
  const solidNumber = () => Math.max(first, headNumber() - solidifiedLag);
  const blockAt = (n: number): Block | undefined => (Number.isInteger(n) ? blocks[n - first] : undefined);

  function pushBlock(txIds: string[]): number {
    const number = first + blocks.length;
    const parent = blocks[blocks.length - 1];
    const parentHash = parent ? parent.id : "0".repeat(64);
    const timestamp = genesisTime + (number - first) * BLOCK_INTERVAL_MS;
    const digest = hashHex("block", number, parentHash, timestamp, txIds.join(","), salt);
    const id = number.toString(16).padStart(16, "0") + digest.slice(16);
    blocks.push({ number, id, parentHash, timestamp, txIds, witness: witnesses[number % witnesses.length] as string });
    for (const txId of txIds) txBlock.set(txId, number);
    return number;
  }

  for (let i = 0; i < (options.initialBlocks ?? 30); i++) pushBlock([]);

  // ---- JSON renderings ------------------------------------------------------------------------

  function txJson(tx: Tx, inBlock: boolean) {
    const rawData = {
      contract: [
        {
          parameter: {
            value: { data: tx.data, owner_address: tronHexOf(tx.owner), contract_address: tronHexOf(tx.called) },
            type_url: "type.googleapis.com/protocol.TriggerSmartContract",
          },
          type: "TriggerSmartContract",
        },
      ],
      ref_block_bytes: tx.id.slice(0, 4),
      ref_block_hash: tx.id.slice(4, 20),
      expiration: tx.createdAt + 60_000,
      fee_limit: 100_000_000,
      timestamp: tx.createdAt,
    };
    return {
      ...(inBlock ? { ret: [{ contractRet: tx.status }] } : {}),
      signature: [hashHex("sig", tx.id) + hashHex("sig2", tx.id) + "1b"],
      txID: tx.id,
      raw_data: rawData,
      raw_data_hex: hashHex("raw", tx.id),
    };
  }

  function blockJson(block: Block) {
    const json: Record<string, unknown> = {
      blockID: block.id,
      block_header: {
        raw_data: {
          number: block.number,
          txTrieRoot: hashHex("trie", block.id),
          witness_address: tronHexOf(block.witness),
          parentHash: block.parentHash,
          version: 31,
          timestamp: block.timestamp,
        },
        witness_signature: hashHex("wsig", block.id) + hashHex("wsig2", block.id) + "00",
      },
    };
    // Protobuf JSON omits empty repeated fields.
    if (block.txIds.length > 0) json.transactions = block.txIds.map((id) => txJson(txs.get(id) as Tx, true));
    return json;
  }

  function eventAddress(address: string): string {
    if (eventAddressFormat === "base58") return address;
    const hex = tronHexOf(address);
    return eventAddressFormat === "41" ? hex : `0x${hex.slice(2)}`;
  }

  /** Every emitted Transfer of the canonical chain, in chain order. */
  function* emittedEvents() {
    for (const block of blocks) {
      for (const txId of block.txIds) {
        const tx = txs.get(txId) as Tx;
        if (tx.status !== "SUCCESS") continue; // a reverted transaction emits nothing
        for (let index = 0; index < tx.logs.length; index++) yield { block, tx, index, log: tx.logs[index] as Transfer };
      }
    }
  }

  function eventJson(e: { block: Block; tx: Tx; index: number; log: Transfer }) {
    const from = eventAddress(e.log.from);
    const to = eventAddress(e.log.to);
    const value = e.log.amount.toString();
    return {
      block_number: e.block.number,
      block_timestamp: e.block.timestamp,
      caller_contract_address: e.log.contract,
      contract_address: e.log.contract,
      event_index: e.index,
      event_name: "Transfer",
      result: { "0": from, "1": to, "2": value, from, to, value },
      result_type: { from: "address", to: "address", value: "uint256" },
      event: TRANSFER_SIGNATURE,
      transaction_id: e.tx.id,
      ...(e.block.number > solidNumber() ? { _unconfirmed: true } : {}),
    };
  }

  function txInfoJson(tx: Tx, block: Block) {
    const base = {
      id: tx.id,
      fee: 13_844_850,
      blockNumber: block.number,
      blockTimeStamp: block.timestamp,
      contractResult: [tx.status === "SUCCESS" ? word("1") : ""],
      contract_address: tronHexOf(tx.called),
    };
    if (tx.status === "REVERT") {
      return {
        ...base,
        receipt: { energy_usage_total: 64_285, net_fee: 345_000, result: "REVERT" },
        result: "FAILED",
        resMessage: Buffer.from("REVERT opcode executed").toString("hex"),
      };
    }
    return {
      ...base,
      receipt: { energy_fee: 13_499_850, energy_usage_total: 64_285, net_usage: 345, result: "SUCCESS" },
      log: tx.logs.map((log) => ({
        address: tronHexOf(log.contract).slice(2),
        topics: [TRANSFER_TOPIC, addressWord(log.from), addressWord(log.to)],
        data: amountWord(log.amount),
      })),
    };
  }

  // ---- paging -----------------------------------------------------------------------------------

  type Page = { status: number; json: unknown };

  function paged<T>(items: T[], url: URL, render: (item: T) => unknown): Page {
    const limitParam = url.searchParams.get("limit");
    const limit = limitParam === null ? 20 : Number(limitParam);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      return { status: 400, json: { success: false, error: `limit must be between 1 and ${MAX_LIMIT}`, statusCode: 400 } };
    }
    const rest = new URLSearchParams(url.searchParams);
    rest.delete("fingerprint");
    rest.sort();
    const queryKey = `${url.pathname}?${rest.toString()}`;
    let offset = 0;
    const fp = url.searchParams.get("fingerprint");
    if (fp !== null) {
      const decoded = decodeFingerprint(fp, queryKey);
      if (decoded === null) {
        return { status: 400, json: { success: false, error: "invalid fingerprint (other parameters must stay the same)", statusCode: 400 } };
      }
      offset = decoded;
    }
    const data = items.slice(offset, offset + limit);
    const meta: Record<string, unknown> = { at: Date.now(), page_size: data.length };
    if (offset + limit < items.length) {
      const fingerprint = encodeFingerprint(offset + limit, queryKey);
      const next = new URL(url);
      next.searchParams.set("fingerprint", fingerprint);
      meta.fingerprint = fingerprint;
      meta.links = { next: next.toString() };
    }
    return { status: 200, json: { data: data.map(render), success: true, meta } };
  }

  function timeRange(url: URL): { min: number; max: number } {
    const p = url.searchParams;
    const min = Number(p.get("min_block_timestamp") ?? p.get("min_timestamp") ?? 0);
    const max = Number(p.get("max_block_timestamp") ?? p.get("max_timestamp") ?? Number.MAX_SAFE_INTEGER);
    return { min, max };
  }

  function ordered<T extends { block: Block }>(items: T[], url: URL): T[] | null {
    const order = url.searchParams.get("order_by") ?? "block_timestamp,desc";
    if (order === "block_timestamp,asc" || order === "timestamp,asc") return items;
    if (order === "block_timestamp,desc" || order === "timestamp,desc") return items.slice().reverse();
    return null;
  }

  function confirmationFilter(url: URL) {
    const onlyConfirmed = url.searchParams.get("only_confirmed") === "true";
    const onlyUnconfirmed = url.searchParams.get("only_unconfirmed") === "true";
    return (block: Block) => (onlyConfirmed ? block.number <= solidNumber() : onlyUnconfirmed ? block.number > solidNumber() : true);
  }

  function contractEvents(contract: string, url: URL): Page {
    const p = url.searchParams;
    const eventName = p.get("event_name");
    const blockNumber = p.get("block_number");
    const { min, max } = timeRange(url);
    const confirmed = confirmationFilter(url);
    const matches = [...emittedEvents()].filter(
      (e) =>
        e.log.contract === contract &&
        (eventName === null || eventName === "Transfer") &&
        (blockNumber === null || String(e.block.number) === blockNumber) &&
        e.block.timestamp >= min &&
        e.block.timestamp <= max &&
        confirmed(e.block),
    );
    const sorted = ordered(matches, url);
    if (!sorted) return { status: 400, json: { success: false, error: "invalid order_by", statusCode: 400 } };
    return paged(sorted, url, eventJson);
  }

  function accountTrc20(address: string, url: URL): Page {
    const p = url.searchParams;
    const onlyTo = p.get("only_to") === "true";
    const onlyFrom = p.get("only_from") === "true";
    const contractParam = p.get("contract_address");
    const contract = contractParam === null ? null : parseAddressParam(contractParam);
    if (contractParam !== null && contract === null) {
      return { status: 400, json: { success: false, error: "invalid contract_address", statusCode: 400 } };
    }
    const { min, max } = timeRange(url);
    const confirmed = confirmationFilter(url);
    const matches = [...emittedEvents()].filter(
      (e) =>
        (contract === null || e.log.contract === contract) &&
        (onlyTo && !onlyFrom ? e.log.to === address : onlyFrom && !onlyTo ? e.log.from === address : e.log.to === address || e.log.from === address) &&
        e.block.timestamp >= min &&
        e.block.timestamp <= max &&
        confirmed(e.block),
    );
    const sorted = ordered(matches, url);
    if (!sorted) return { status: 400, json: { success: false, error: "invalid order_by", statusCode: 400 } };
    return paged(sorted, url, (e) => ({
      transaction_id: e.tx.id,
      token_info: e.log.contract === usdt
        ? { symbol: "USDT", address: usdt, decimals: 6, name: "Tether USD" }
        : { symbol: "TKN", address: e.log.contract, decimals: 18, name: "Some Token" },
      block_timestamp: e.block.timestamp,
      from: e.log.from,
      to: e.log.to,
      type: "Transfer",
      value: e.log.amount.toString(),
    }));
  }

  // ---- routing ----------------------------------------------------------------------------------

  function route(method: string, url: URL, body: unknown): Page {
    const path = url.pathname;
    const value = typeof (body as { value?: unknown })?.value === "string" ? ((body as { value: string }).value).toLowerCase() : "";

    if (method === "POST" || method === "GET") {
      switch (path) {
        case "/wallet/getnowblock":
          return { status: 200, json: blockJson(blocks[blocks.length - 1] as Block) };
        case "/walletsolidity/getnowblock":
          return { status: 200, json: blockJson(blockAt(solidNumber()) as Block) };
        case "/wallet/getblockbynum": {
          const num = (body as { num?: unknown })?.num;
          const block = typeof num === "number" ? blockAt(num) : undefined;
          return { status: 200, json: block ? blockJson(block) : {} };
        }
        case "/wallet/gettransactioninfobyid": {
          const n = txBlock.get(value);
          const tx = txs.get(value);
          const block = n === undefined ? undefined : blockAt(n);
          return { status: 200, json: tx && block ? txInfoJson(tx, block) : {} };
        }
        case "/wallet/gettransactionbyid": {
          // Only transactions stored with a block; the pending pool has its own endpoint.
          const tx = txs.get(value);
          return { status: 200, json: tx && txBlock.has(value) ? txJson(tx, true) : {} };
        }
        case "/wallet/gettransactionfrompending": {
          const tx = txs.get(value);
          return { status: 200, json: tx && pending.includes(value) ? txJson(tx, false) : {} };
        }
      }
    }
    if (method === "GET") {
      const events = /^\/v1\/contracts\/([^/]+)\/events$/.exec(path);
      if (events) {
        const contract = parseAddressParam(decodeURIComponent(events[1] as string));
        if (!contract) return { status: 400, json: { success: false, error: "invalid contract address", statusCode: 400 } };
        return contractEvents(contract, url);
      }
      const trc20 = /^\/v1\/accounts\/([^/]+)\/transactions\/trc20$/.exec(path);
      if (trc20) {
        const address = parseAddressParam(decodeURIComponent(trc20[1] as string));
        if (!address) return { status: 400, json: { success: false, error: "invalid address", statusCode: 400 } };
        return accountTrc20(address, url);
      }
    }
    return { status: 404, json: { Error: `no route for ${method} ${path}` } };
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = undefined;
      let badBody = false;
      if (text) {
        try {
          body = JSON.parse(text) as unknown;
        } catch {
          badBody = true;
        }
      }
      const headerKey = req.headers["tron-pro-api-key"];
      const apiKey = Array.isArray(headerKey) ? headerKey[0] : headerKey;
      requests.push({ method: req.method ?? "GET", path: url.pathname, query: url.searchParams, body, apiKey });

      const send = (status: number, payload: string, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
        res.end(payload);
      };

      const fault = faults.shift();
      if (fault) {
        switch (fault.kind) {
          case "hang":
            return; // never answers: the client must time out
          case "malformed":
            return send(200, '{"blockID": "0000000004', {});
          case "body":
            return send(200, fault.body);
          case "status":
            return send(fault.status, fault.body ?? JSON.stringify({ Error: `HTTP ${fault.status}` }), fault.headers);
        }
      }
      if (options.apiKey !== undefined && apiKey !== options.apiKey) {
        return send(401, JSON.stringify({ Success: false, Error: "ApiKey not exists" }));
      }
      if (badBody) {
        return send(200, JSON.stringify({ Error: "class com.alibaba.fastjson.JSONException : syntax error" }));
      }
      const { status, json } = route(req.method ?? "GET", url, body);
      send(status, JSON.stringify(json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    usdtContract: usdt,
    requests,
    head: headNumber,
    solidified: solidNumber,
    setSolidifiedLag: (lag) => void (solidifiedLag = lag),
    blockId: (n) => blockAt(n)?.id,
    blockTimestamp: (n) => blockAt(n)?.timestamp,
    blockOf: (txId) => txBlock.get(txId),
    send(transfers, opts = {}) {
      const list = (Array.isArray(transfers) ? transfers : [transfers]) as readonly FakeTransfer[];
      if (list.length === 0) throw new Error("a transaction needs at least one transfer");
      const logs: Transfer[] = list.map((t, i) => ({
        to: t.to,
        amount: t.amount,
        from: t.from ?? tronAddressFor(`sender-${txCounter}-${i}`),
        contract: t.contract ?? usdt,
      }));
      const firstLog = logs[0] as Transfer;
      const owner = opts.owner ?? firstLog.from;
      const direct = logs.length === 1 && !opts.via;
      const called = direct ? firstLog.contract : (opts.via ?? tronAddressFor("batch-contract"));
      const data = direct
        ? `a9059cbb${addressWord(firstLog.to)}${amountWord(firstLog.amount)}`
        : `6a761202${word(logs.length.toString(16))}${hashHex("batch", txCounter)}`;
      const id = hashHex("tx", txCounter++, owner, data);
      txs.set(id, { id, owner, called, data, logs, createdAt: genesisTime + blocks.length * BLOCK_INTERVAL_MS, status: "SUCCESS" });
      pending.push(id);
      return id;
    },
    mine(count = 1) {
      const mined: number[] = [];
      for (let i = 0; i < count; i++) {
        mined.push(pushBlock(i === 0 ? pending : []));
        if (i === 0) pending = [];
      }
      return mined;
    },
    reorg(height, replacements) {
      if (height < first || height > headNumber()) throw new Error(`reorg height ${height} is outside the chain`);
      const orphaned = blocks.splice(height - first + 1);
      const returned = orphaned.flatMap((b) => b.txIds);
      for (const txId of returned) txBlock.delete(txId);
      pending = [...returned, ...pending];
      salt++;
      for (let i = 0; i < (replacements ?? orphaned.length); i++) pushBlock([]);
    },
    drop(txId) {
      pending = pending.filter((id) => id !== txId);
    },
    revert(txId) {
      const tx = txs.get(txId);
      if (!tx) throw new Error(`unknown transaction ${txId}`);
      tx.status = "REVERT";
    },
    fail(fault, times = 1) {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    clearFaults: () => void faults.splice(0),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
