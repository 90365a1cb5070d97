/**
 * The Bitcoin watcher adapters against a real regtest chain (bcoin, in process): the JSON-RPC
 * adapter talks to the node itself, the Esplora adapter to an Esplora API served from the node's
 * chain and mempool (tests/helpers/esplora-server.ts), once per scan strategy.
 *
 * Invoices in test mode hold `tb1q…` addresses derived from the project's BIP84 test key; the
 * node is regtest (`bcrt1q…`), so payments go to the same script under the regtest encoding and
 * the adapters must report the `tb1q…` form.
 */
import { HDKey } from "@scure/bip32";
import { mnemonicToSeedSync } from "@scure/bip39";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveAddress, parseExtendedPublicKey } from "@/lib/chains/addresses";
import {
  btcToSatoshis,
  createBitcoinRpcAdapter,
  createEsploraAdapter,
  reencodeAddress,
  scriptToAddress,
} from "@/lib/chains/bitcoin";
import {
  ChainSourceError,
  confirmationsOf,
  type ChainAdapter,
  type ObservedTransfer,
  type TransferRef,
  type WatchSet,
} from "@/lib/chains/types";
import { startRegtestNode, type RegtestNode } from "../helpers/bcoin";
import { startEsploraServer, type EsploraServer } from "../helpers/esplora-server";

// The key scheme of walletKeys(n).bitcoinTest in tests/helpers/merchant-fixtures.ts (a BIP84
// vpub of the "abandon … about" mnemonic), on an account no other test uses.
const MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const VPUB = { private: 0x045f18bc, public: 0x045f1cf6 };
const vpub = HDKey.fromMasterSeed(mnemonicToSeedSync(MNEMONIC), VPUB).derive("m/84'/1'/77'").publicExtendedKey;
const testKey = parseExtendedPublicKey("bitcoin", vpub, { testnet: true });
let nextIndex = 0;
/** A fresh invoice address, as a test-mode invoice stores it (tb1q…). */
const invoiceAddress = () => deriveAddress(testKey, nextIndex++);

function onRegtest(address: string): string {
  const regtest = reencodeAddress(address, "bcrt");
  if (!regtest) throw new Error(`not an address: ${address}`);
  return regtest;
}

/** The poller's watch set, in memory, counting how the adapter asks. */
class MemoryWatchSet implements WatchSet {
  readonly addresses: Set<string>;
  matchCalls = 0;
  constructor(addresses: Iterable<string>) {
    this.addresses = new Set(addresses);
  }
  async match(candidates: readonly string[]): Promise<Set<string>> {
    this.matchCalls++;
    return new Set(candidates.filter((a) => this.addresses.has(a)));
  }
  async list(limit: number): Promise<string[] | null> {
    return this.addresses.size <= limit ? [...this.addresses] : null;
  }
}

let btc: RegtestNode;
let esplora: EsploraServer;
let faucet: string;

beforeAll(async () => {
  btc = await startRegtestNode();
  esplora = await startEsploraServer(btc);
  faucet = reencodeAddress(btc.faucetAddress, "tb") as string;
});

afterAll(async () => {
  await esplora?.close();
  await btc?.close();
});

async function blockAt(height: number) {
  const entry = await btc.node.chain.getEntryByHeight(height);
  if (!entry) throw new Error(`no block at ${height}`);
  return {
    number: BigInt(height),
    hash: entry.rhash(),
    parentHash: btc.bcoin.util.revHex(entry.prevBlock),
    timestamp: new Date(entry.time * 1000),
  };
}

function refOf(t: ObservedTransfer): TransferRef {
  return { txHash: t.txHash, index: t.index, asset: t.asset, toAddress: t.toAddress };
}

interface Flavour {
  readonly name: string;
  make(): ChainAdapter;
  /** Which Esplora strategy the scan must take. */
  readonly strategy?: "addresses" | "blocks";
}

const flavours: Flavour[] = [
  {
    name: "bitcoind JSON-RPC adapter (bcoin)",
    make: () => createBitcoinRpcAdapter({ url: btc.rpcUrl, username: btc.rpcUser, password: btc.rpcPassword, hrp: "tb" }),
  },
  {
    name: "Esplora adapter, per-address queries",
    make: () => createEsploraAdapter({ baseUrl: esplora.url, hrp: "tb", apiHrp: "bcrt" }),
    strategy: "addresses",
  },
  {
    name: "Esplora adapter, block-by-block scan",
    make: () => createEsploraAdapter({ baseUrl: esplora.url, hrp: "tb", apiHrp: "bcrt", addressQueryLimit: 0 }),
    strategy: "blocks",
  },
];

describe.each(flavours)("$name", (flavour) => {
  let adapter: ChainAdapter;
  beforeAll(() => {
    adapter = flavour.make();
  });

  it("sees a payment in the mempool, then in its block with the exact amount and confirmations", async () => {
    const to = invoiceAddress();
    expect(to).toMatch(/^tb1q/);
    const watch = new MemoryWatchSet([to]);
    const amount = 123_456_789n; // 1.23456789 BTC: every satoshi digit matters
    const sent = await btc.send([{ address: onRegtest(to), sats: amount }]);
    const expected: ObservedTransfer = {
      network: "bitcoin",
      txHash: sent.txid,
      index: sent.vouts[0] as number,
      asset: "BTC",
      toAddress: to,
      fromAddress: faucet,
      amount,
      block: null,
    };

    expect(await adapter.mempool!(watch)).toEqual([expected]);
    expect(await adapter.lookup(refOf(expected))).toEqual({ state: "mempool", transfer: expected });

    const [hash] = await btc.mine(1);
    const height = btc.height();
    const block = await blockAt(height);
    expect(block.hash).toBe(hash);

    const requestsBefore = esplora.requests.length;
    const matchesBefore = watch.matchCalls;
    const scanned = await adapter.scan(BigInt(height), BigInt(height), watch);
    expect(scanned).toEqual({ blocks: [block], transfers: [{ ...expected, block }] });
    const asked = esplora.requests.slice(requestsBefore);
    if (flavour.strategy === "addresses") {
      expect(asked).toContain(`/address/${onRegtest(to)}/txs/chain`);
      expect(asked.some((p) => p.includes("/txs/0"))).toBe(false);
      expect(watch.matchCalls).toBe(matchesBefore);
    } else if (flavour.strategy === "blocks") {
      expect(asked).toContain(`/block/${hash}/txs/0`);
      expect(asked.some((p) => p.startsWith("/address/"))).toBe(false);
      expect(watch.matchCalls).toBeGreaterThan(matchesBefore);
    }

    expect(await adapter.mempool!(watch)).toEqual([]);
    const head = await adapter.head();
    expect(head).toEqual({ number: BigInt(height), hash });
    expect(confirmationsOf(adapter, block.number, head)).toEqual({ count: 1, final: true });
    await btc.mine(2);
    expect(confirmationsOf(adapter, block.number, await adapter.head())).toEqual({ count: 3, final: true });
    expect(await adapter.lookup(refOf(expected))).toEqual({ state: "mined", transfer: { ...expected, block } });
  });

  it("reports two outputs to two watched addresses in one tx, and nothing paid to others", async () => {
    const [first, second, stranger, otherStranger] = [invoiceAddress(), invoiceAddress(), invoiceAddress(), invoiceAddress()];
    const watch = new MemoryWatchSet([first as string, second as string]);
    const both = await btc.send([
      { address: onRegtest(first as string), sats: 10_000n },
      { address: onRegtest(stranger as string), sats: 20_000n },
      { address: onRegtest(second as string), sats: 30_001n },
    ]);
    await btc.send([{ address: onRegtest(otherStranger as string), sats: 40_000n }]);
    const expected = (block: Awaited<ReturnType<typeof blockAt>> | null): ObservedTransfer[] => [
      { network: "bitcoin", txHash: both.txid, index: both.vouts[0] as number, asset: "BTC", toAddress: first as string, fromAddress: faucet, amount: 10_000n, block },
      { network: "bitcoin", txHash: both.txid, index: both.vouts[2] as number, asset: "BTC", toAddress: second as string, fromAddress: faucet, amount: 30_001n, block },
    ];

    const pending = await adapter.mempool!(watch);
    expect([...pending].sort((a, b) => a.index - b.index)).toEqual(expected(null));

    await btc.mine(1);
    const block = await blockAt(btc.height());
    const { transfers } = await adapter.scan(block.number, block.number, watch);
    expect(transfers).toEqual(expected(block));
  });

  it("returns the block at a height, and null above the head", async () => {
    const height = btc.height();
    expect(await adapter.block(BigInt(height))).toEqual(await blockAt(height));
    expect(await adapter.block(BigInt(height - 5))).toEqual(await blockAt(height - 5));
    expect(await adapter.block(BigInt(height + 1))).toBeNull();
  });

  it("follows a reorg: new hash at the height, tx back in the mempool, then mined again", async () => {
    const to = invoiceAddress();
    const watch = new MemoryWatchSet([to]);
    const sent = await btc.send([{ address: onRegtest(to), sats: 55_555n }]);
    const [minedHash] = await btc.mine(1);
    const height = btc.height();
    const ref: TransferRef = { txHash: sent.txid, index: sent.vouts[0] as number, asset: "BTC", toAddress: to };
    expect(await adapter.lookup(ref)).toMatchObject({ state: "mined", transfer: { block: { hash: minedHash } } });

    const fork = await btc.reorg(1); // two empty blocks on the parent of `minedHash`
    const replaced = await adapter.block(BigInt(height));
    expect(replaced?.hash).toBe(fork[0]);
    expect(replaced?.hash).not.toBe(minedHash);
    expect(await adapter.lookup(ref)).toMatchObject({ state: "mempool", transfer: { txHash: sent.txid, amount: 55_555n, block: null } });
    const rescanned = await adapter.scan(BigInt(height), BigInt(height + 1), watch);
    expect(rescanned.blocks.map((b) => b.hash)).toEqual(fork);
    expect(rescanned.transfers).toEqual([]);

    const [again] = await btc.mine(1);
    const block = await blockAt(btc.height());
    expect(block.hash).toBe(again);
    expect(await adapter.lookup(ref)).toEqual({
      state: "mined",
      transfer: { network: "bitcoin", txHash: sent.txid, index: ref.index, asset: "BTC", toAddress: to, fromAddress: faucet, amount: 55_555n, block },
    });
    expect((await adapter.scan(block.number, block.number, watch)).transfers).toHaveLength(1);
  });

  it("reports a transaction replaced by a conflicting spend as missing", async () => {
    const to = invoiceAddress();
    const watch = new MemoryWatchSet([to]);
    const sent = await btc.send([{ address: onRegtest(to), sats: 77_000n }]);
    const ref: TransferRef = { txHash: sent.txid, index: sent.vouts[0] as number, asset: "BTC", toAddress: to };
    expect((await adapter.lookup(ref)).state).toBe("mempool");

    const conflict = await btc.replaceWithConflict(sent.txid);
    expect(conflict.txid).not.toBe(sent.txid);
    expect(await adapter.lookup(ref)).toMatchObject({ state: "missing" });
    expect(await adapter.mempool!(watch)).toEqual([]);
    const height = BigInt(btc.height());
    expect((await adapter.scan(height, height, watch)).transfers).toEqual([]);
  });

  it("reports a transaction dropped from the mempool as missing", async () => {
    const to = invoiceAddress();
    const watch = new MemoryWatchSet([to]);
    const sent = await btc.send([{ address: onRegtest(to), sats: 88_000n }]);
    const ref: TransferRef = { txHash: sent.txid, index: sent.vouts[0] as number, asset: "BTC", toAddress: to };
    expect(await adapter.mempool!(watch)).toHaveLength(1);

    btc.drop(sent.txid);
    expect(btc.inMempool(sent.txid)).toBe(false);
    expect(await adapter.lookup(ref)).toMatchObject({ state: "missing" });
    expect(await adapter.mempool!(watch)).toEqual([]);
  });
});

describe("bitcoind JSON-RPC dialects", () => {
  it("reads Bitcoin Core's `getblock <hash> 2` answer as well as bcoin's `getblock <hash> true true`", async () => {
    // bcoin playing Core: the proxy answers Core's call form with full transactions and refuses
    // bcoin's boolean form, so the adapter must settle on the Core dialect.
    const calls: unknown[][] = [];
    const asCore: typeof fetch = async (input, init) => {
      const request = JSON.parse(String(init?.body)) as { method: string; params: unknown[] };
      if (request.method === "getblock") {
        calls.push(request.params);
        if (request.params[1] !== 2) return Response.json({ result: null, error: { code: -1, message: "JSON value is not an integer as expected" }, id: 1 }, { status: 500 });
        request.params = [request.params[0], true, true];
      }
      return fetch(input, { ...init, body: JSON.stringify(request) });
    };
    const adapter = createBitcoinRpcAdapter({ url: btc.rpcUrl, username: btc.rpcUser, password: btc.rpcPassword, hrp: "tb", fetch: asCore });
    const to = invoiceAddress();
    const sent = await btc.send([{ address: onRegtest(to), sats: 99_999n }]);
    await btc.mine(1);
    const height = BigInt(btc.height());
    const scanned = await adapter.scan(height - 1n, height, new MemoryWatchSet([to]));
    expect(scanned.transfers).toMatchObject([{ txHash: sent.txid, toAddress: to, amount: 99_999n, fromAddress: faucet }]);
    expect(calls.every((params) => params[1] === 2)).toBe(true);
  });
});

describe("failures", () => {
  it("raises ChainSourceError without the credentials when the node refuses them", async () => {
    const adapter = createBitcoinRpcAdapter({ url: btc.rpcUrl, username: "bitcoinrpc", password: "s3cret-wrong", hrp: "tb" });
    const error = await adapter.head().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChainSourceError);
    expect(String((error as Error).message)).toMatch(/refused the credentials/);
    expect(JSON.stringify({ m: (error as Error).message, d: adapter.description })).not.toContain("s3cret-wrong");

    const inUrl = new URL(btc.rpcUrl);
    inUrl.username = "bitcoinrpc";
    inUrl.password = btc.rpcPassword;
    const fromUrl = createBitcoinRpcAdapter({ url: inUrl.toString(), hrp: "tb" });
    expect((await fromUrl.head()).hash).toBe(btc.tipHash());
    expect(fromUrl.description).not.toContain(btc.rpcPassword);
  });

  it("raises ChainSourceError on network failures, timeouts and malformed answers", async () => {
    const closed = createEsploraAdapter({ baseUrl: "http://127.0.0.1:1", hrp: "tb" });
    await expect(closed.head()).rejects.toThrow(ChainSourceError);

    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)));
    const slow = createBitcoinRpcAdapter({ url: "http://127.0.0.1:1/", hrp: "tb", fetch: hanging, timeoutMs: 50 });
    await expect(slow.head()).rejects.toThrow(/timed out after 50 ms/);

    const garbage: typeof fetch = async () => new Response("<html>gateway</html>", { status: 200 });
    await expect(createEsploraAdapter({ baseUrl: "http://x.invalid", hrp: "tb", fetch: garbage }).head()).rejects.toThrow(
      /expected a block hash/,
    );
    const wrongShape: typeof fetch = async () => Response.json({ result: { hash: "zz", height: -1 }, error: null });
    await expect(createBitcoinRpcAdapter({ url: "http://x.invalid/", hrp: "tb", fetch: wrongShape }).block(1n)).rejects.toThrow(
      ChainSourceError,
    );
  });
});

describe("scripts and amounts", () => {
  it("re-encodes every output from its script, whatever the node printed", () => {
    const program = "751e76e8199196d454941c45d1b3a323f1433bd6";
    expect(scriptToAddress(`0014${program}`, "bc")).toBe("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
    expect(scriptToAddress(`0014${program}`, "tb")).toBe("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx");
    expect(reencodeAddress("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", "bcrt")).toBe("bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080");
    expect(scriptToAddress("6a0568656c6c6f", "bc")).toBeNull(); // OP_RETURN
    expect(scriptToAddress("zz", "bc")).toBeNull();
    expect(
      scriptToAddress("5120a60869f0dbcf1dc659c9cecbaf8050135ea9e8cdc487053f1dc6880949dc684c", "bc"),
    ).toBe("bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr");
  });

  it("converts BTC JSON numbers to satoshis exactly", () => {
    expect(btcToSatoshis(0.00000001)).toBe(1n);
    expect(btcToSatoshis(1.23456789)).toBe(123_456_789n);
    expect(btcToSatoshis(0.1 + 0.2)).toBe(30_000_000n);
    expect(btcToSatoshis(20_999_999.9769)).toBe(2_099_999_997_690_000n);
    expect(() => btcToSatoshis(-1)).toThrow(RangeError);
    expect(() => btcToSatoshis(Number.NaN)).toThrow(RangeError);
  });
});

describe("the regtest node", () => {
  it("reported no internal errors (a failed mempool reinsertion after a reorg would show here)", () => {
    expect(btc.errors).toEqual([]);
  });
});
