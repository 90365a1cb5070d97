/**
 * An Esplora REST API (https://github.com/Blockstream/esplora/blob/master/API.md) over a bcoin
 * regtest node: every answer is built from the node's real chain and mempool, in the JSON shapes
 * electrs (Esplora's server) writes, with its text bodies and status codes for errors: 404
 * "Transaction not found" / "Block not found", 400 for a malformed hash or a foreign address.
 *
 * Like electrs on a stale block, it answers only for blocks of the best chain; like electrs on an
 * unknown txid, `/tx/:txid/status` says `{"confirmed":false}`. Addresses are regtest ones
 * (`bcrt1…`), printed the way Bitcoin Core's regtest prints them (not bcoin's own base58
 * prefixes). Serves GET only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { addressToScriptHex, reencodeAddress, scriptToAddress } from "@/lib/chains/bitcoin/script";
import type { BcoinBlock, BcoinCoinView, BcoinEntry, BcoinOutput, BcoinScript, BcoinTX, BcoinTXMeta, RegtestNode } from "./bcoin";

const PAGE = 25;
const MAX_MEMPOOL_TXS = 50;
const NULL_TXID = "0".repeat(64);
const HASH = /^[0-9a-f]{64}$/;

export interface EsploraServer {
  /** Base URL (no trailing slash), e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Paths requested so far, in order: lets a test see which strategy an adapter used. */
  readonly requests: string[];
  close(): Promise<void>;
}

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly type: "application/json" | "text/plain";
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const json = (value: unknown): Reply => ({ status: 200, body: JSON.stringify(value), type: "application/json" });
const text = (value: string): Reply => ({ status: 200, body: value, type: "text/plain" });

function scriptType(script: BcoinScript): string {
  if (script.toRaw().length === 0) return "empty";
  if (script.isNulldata()) return "op_return";
  if (script.isPubkey()) return "p2pk";
  if (script.isPubkeyhash()) return "p2pkh";
  if (script.isScripthash()) return "p2sh";
  if (script.isWitnessPubkeyhash()) return "v0_p2wpkh";
  if (script.isWitnessScripthash()) return "v0_p2wsh";
  return "unknown";
}

function outputJson(output: BcoinOutput) {
  const scriptpubkey = output.script.toRaw().toString("hex");
  const address = scriptToAddress(scriptpubkey, "bcrt");
  return {
    scriptpubkey,
    scriptpubkey_asm: output.script.toASM(),
    scriptpubkey_type: scriptType(output.script),
    // electrs leaves the field out for scripts without an address.
    ...(address ? { scriptpubkey_address: address } : {}),
    value: output.value,
  };
}

export async function startEsploraServer(regtest: RegtestNode): Promise<EsploraServer> {
  const { node, bcoin } = regtest;
  const { chain, mempool } = node;
  const revHex = bcoin.util.revHex;
  const requests: string[] = [];

  function txJson(tx: BcoinTX, view: BcoinCoinView, status: object | undefined) {
    let spent = 0;
    const vin = tx.inputs.map((input) => {
      const coinbase = tx.isCoinbase();
      const prevout = coinbase ? null : view.getOutputFor(input);
      if (!coinbase && !prevout) throw new Error(`prevout of ${tx.txid()} not found`);
      spent += prevout?.value ?? 0;
      return {
        txid: coinbase ? NULL_TXID : input.prevout.txid(),
        vout: coinbase ? 0xffffffff : input.prevout.index,
        prevout: prevout ? outputJson(prevout) : null,
        scriptsig: input.script.toRaw().toString("hex"),
        scriptsig_asm: input.script.toASM(),
        ...(input.witness.items.length > 0 ? { witness: input.witness.items.map((item) => item.toString("hex")) } : {}),
        is_coinbase: coinbase,
        sequence: input.sequence,
      };
    });
    const vout = tx.outputs.map(outputJson);
    const paid = tx.outputs.reduce((sum, o) => sum + o.value, 0);
    return {
      txid: tx.txid(),
      version: tx.version,
      locktime: tx.locktime,
      vin,
      vout,
      size: tx.getSize(),
      weight: tx.getWeight(),
      fee: tx.isCoinbase() ? 0 : spent - paid,
      ...(status ? { status } : {}),
    };
  }

  /** The entry of a best-chain block, else 404 (electrs forgets stale headers). */
  async function mainEntry(hash: string): Promise<BcoinEntry> {
    if (!HASH.test(hash)) throw new HttpError(400, "Invalid hex string");
    const entry = await chain.getEntry(revHex(hash));
    if (!entry || !(await chain.isMainChain(entry))) throw new HttpError(404, "Block not found");
    return entry;
  }

  async function blockOf(entry: BcoinEntry): Promise<BcoinBlock> {
    const block = await chain.getBlock(entry.hash);
    if (!block) throw new HttpError(404, "Block not found");
    return block;
  }

  async function blockJson(entry: BcoinEntry) {
    const block = await blockOf(entry);
    // Difficulty as Core computes it: the genesis target over this one.
    const target = (bits: number) => (bits & 0xffffff) * 256 ** ((bits >>> 24) - 3);
    return {
      id: entry.rhash(),
      height: entry.height,
      version: entry.version,
      timestamp: entry.time,
      tx_count: block.txs.length,
      size: block.getSize(),
      weight: block.getWeight(),
      merkle_root: revHex(entry.merkleRoot),
      previousblockhash: entry.height === 0 ? null : revHex(entry.prevBlock),
      mediantime: await chain.getMedianTime(entry),
      nonce: entry.nonce,
      bits: entry.bits,
      difficulty: target(0x1d00ffff) / target(entry.bits),
    };
  }

  /** Status of a mined or waiting transaction; null if its block left the best chain. */
  async function statusOf(meta: BcoinTXMeta): Promise<object | null> {
    if (meta.height < 0 || !meta.block) return { confirmed: false };
    const entry = await chain.getEntry(meta.block);
    if (!entry || !(await chain.isMainChain(entry))) return null;
    return { confirmed: true, block_height: entry.height, block_hash: entry.rhash(), block_time: entry.time };
  }

  async function metaJson(meta: BcoinTXMeta) {
    const status = await statusOf(meta);
    return status ? txJson(meta.tx, await node.getMetaView(meta), status) : null;
  }

  async function findMeta(txid: string): Promise<BcoinTXMeta | null> {
    if (!HASH.test(txid)) throw new HttpError(400, "Invalid hex string");
    return node.getMeta(revHex(txid));
  }

  /** History of a regtest address: mempool (newest first), then chain (newest first). */
  async function history(address: string): Promise<{ mempool: BcoinTXMeta[]; chain: BcoinTXMeta[] }> {
    const script = addressToScriptHex(address);
    if (script === null || reencodeAddress(address, "bcrt") !== address) {
      throw new HttpError(400, `Invalid Bitcoin address: ${address}`);
    }
    const bcoinAddress = bcoin.Address.fromScript(bcoin.Script.fromRaw(Buffer.from(script, "hex")));
    if (!bcoinAddress) throw new HttpError(400, `Invalid Bitcoin address: ${address}`);
    const metas = await node.getMetaByAddress([bcoinAddress]);
    const waiting = metas.filter((m) => m.height < 0).sort((a, b) => b.mtime - a.mtime);
    const mined = metas
      .filter((m) => m.height >= 0)
      .sort((a, b) => (a.height === b.height ? b.index - a.index : b.height - a.height));
    return { mempool: waiting, chain: mined };
  }

  async function metasJson(metas: BcoinTXMeta[]) {
    const out = [];
    for (const meta of metas) {
      const tx = await metaJson(meta);
      if (tx) out.push(tx);
    }
    return out;
  }

  async function route(path: string[]): Promise<Reply> {
    const [a, b, c, d, e] = path;
    if (a === "blocks" && b === "tip" && c === "height" && d === undefined) return text(String(chain.height));
    if (a === "blocks" && b === "tip" && c === "hash" && d === undefined) return text(chain.tip.rhash());
    if (a === "block-height" && b !== undefined && c === undefined) {
      if (!/^\d+$/.test(b)) throw new HttpError(400, "invalid digit found in string");
      const entry = await chain.getEntryByHeight(Number(b));
      if (!entry) throw new HttpError(404, "Block not found");
      return text(entry.rhash());
    }
    if (a === "block" && b !== undefined) {
      const entry = await mainEntry(b);
      if (c === undefined) return json(await blockJson(entry));
      if (c === "txids" && d === undefined) return json((await blockOf(entry)).txs.map((tx) => tx.txid()));
      if (c === "txs" && e === undefined) {
        const start = d === undefined ? 0 : Number.parseInt(d, 10) || 0;
        if (start % PAGE !== 0) throw new HttpError(400, `start index must be a multiple of ${PAGE}`);
        const block = await blockOf(entry);
        if (start >= block.txs.length) throw new HttpError(400, "start index out of range");
        const view = await chain.getBlockView(block);
        // Block pages carry no status: every tx shares the block's.
        return json(block.txs.slice(start, start + PAGE).map((tx) => txJson(tx, view, undefined)));
      }
    }
    if (a === "tx" && b !== undefined) {
      const meta = await findMeta(b);
      if (c === undefined) {
        const tx = meta && (await metaJson(meta));
        if (!tx) throw new HttpError(404, "Transaction not found");
        return json(tx);
      }
      if (c === "status" && d === undefined) return json((meta && (await statusOf(meta))) ?? { confirmed: false });
    }
    if (a === "address" && b !== undefined && c === "txs") {
      const { mempool: waiting, chain: mined } = await history(b);
      if (d === undefined) {
        return json([...(await metasJson(waiting.slice(0, MAX_MEMPOOL_TXS))), ...(await metasJson(mined.slice(0, PAGE)))]);
      }
      if (d === "mempool" && e === undefined) return json(await metasJson(waiting.slice(0, MAX_MEMPOOL_TXS)));
      if (d === "chain") {
        let start = 0;
        if (e !== undefined) {
          const seen = mined.findIndex((m) => m.tx.txid() === e);
          start = seen < 0 ? mined.length : seen + 1;
        }
        return json(await metasJson(mined.slice(start, start + PAGE)));
      }
    }
    if (a === "mempool" && b === "txids" && c === undefined) return json(mempool.getSnapshot().map((hash) => revHex(hash)));
    throw new HttpError(404, "Not found");
  }

  async function handle(req: IncomingMessage): Promise<Reply> {
    const url = new URL(req.url ?? "/", "http://localhost");
    requests.push(url.pathname);
    if (req.method !== "GET") return { status: 405, body: "Method not allowed", type: "text/plain" };
    try {
      return await route(url.pathname.split("/").slice(1));
    } catch (error) {
      if (error instanceof HttpError) return { status: error.status, body: error.message, type: "text/plain" };
      return { status: 500, body: error instanceof Error ? error.message : String(error), type: "text/plain" };
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void handle(req).then((reply) => {
      res.writeHead(reply.status, { "content-type": reply.type });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
