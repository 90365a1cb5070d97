import { HDKey } from "@scure/bip32";
import { mnemonicToSeedSync } from "@scure/bip39";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { deriveAddress, isValidAddress, parseExtendedPublicKey } from "@/lib/chains/addresses";
import { TRON_MAINNET_USDT_CONTRACT, createTronGridAdapter, toTronAddress, type TronGridAdapterOptions } from "@/lib/chains/tron";
import { ChainSourceError, confirmationsOf, type ChainAdapter, type ObservedTransfer, type WatchSet } from "@/lib/chains/types";
import {
  startTronGridServer,
  tronAddressFor,
  tronBase58Of,
  tronHexOf,
  type TronGridServer,
  type TronGridServerOptions,
} from "../helpers/trongrid-server";

// Watched addresses are real invoice addresses: m/44'/195'/0'/0/i of the BIP39 test mnemonic
// ("abandon … about", the one tests/helpers/merchant-fixtures.ts uses), derived by the project.
const TEST_MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const tronXpub = HDKey.fromMasterSeed(mnemonicToSeedSync(TEST_MNEMONIC)).derive("m/44'/195'/0'").publicExtendedKey;
const tronKey = parseExtendedPublicKey("tron", tronXpub, { testnet: false });
const invoiceAddress = (i: number) => deriveAddress(tronKey, i);
const [A0, A1, A2] = [invoiceAddress(0), invoiceAddress(1), invoiceAddress(2)];

const API_KEY = "3f1c9e2a-7b4d-4e8f-9a6b-5d2c1e0f8a7b";
const OTHER_TOKEN = tronAddressFor("other-trc20-token");

/** The poller's WatchSet, reduced to a Set of addresses. */
function watchSetOf(addresses: Iterable<string>): WatchSet & { matchCalls: string[][] } {
  const set = new Set(addresses);
  const matchCalls: string[][] = [];
  return {
    matchCalls,
    async match(candidates) {
      matchCalls.push([...candidates]);
      return new Set(candidates.filter((c) => set.has(c)));
    },
    async list(limit) {
      return set.size <= limit ? [...set] : null;
    },
  };
}

const paths = (server: TronGridServer) => server.requests.map((r) => r.path);

describe("Tron TRC-20 USDT adapter over TronGrid", () => {
  let server: TronGridServer;
  const extraServers: TronGridServer[] = [];

  const adapterFor = (s: TronGridServer, opts: Partial<TronGridAdapterOptions> = {}): ChainAdapter =>
    createTronGridAdapter({ baseUrl: s.baseUrl, apiKey: API_KEY, usdtContract: s.usdtContract, ...opts });
  const perAddress = () => adapterFor(server);
  const perBlock = () => adapterFor(server, { perAddressLimit: 0 });

  async function startServer(opts: TronGridServerOptions = {}): Promise<TronGridServer> {
    const s = await startTronGridServer({ apiKey: API_KEY, ...opts });
    extraServers.push(s);
    return s;
  }

  beforeAll(async () => {
    server = await startTronGridServer({ apiKey: API_KEY });
  });
  afterEach(() => {
    server.clearFaults();
    server.setSolidifiedLag(19);
  });
  afterAll(async () => {
    await Promise.all([server?.close(), ...extraServers.map((s) => s.close())]);
  });

  it("derives real T-addresses for the watched invoices", () => {
    for (const a of [A0, A1, A2]) expect(isValidAddress("tron", a, { testnet: false })).toBe(true);
    expect(A0).toBe("TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH");
    expect(toTronAddress(tronHexOf(A0))).toBe(A0);
    expect(toTronAddress(`0x${tronHexOf(A0).slice(2)}`)).toBe(A0);
    expect(toTronAddress(tronHexOf(A0).slice(2))).toBe(A0);
    expect(toTronAddress("T" + "1".repeat(33))).toBeNull();
    expect(TRON_MAINNET_USDT_CONTRACT).toBe(server.usdtContract);
    expect(tronHexOf(TRON_MAINNET_USDT_CONTRACT)).toBe("41a614f803b6fd780986a42c78ec9c7f77e6ded13c");
  });

  it("scans a transfer with its exact amount, index, addresses and block", async () => {
    const from = tronAddressFor("payer-1");
    // Above 2^53: a Number would round it.
    const amount = 9_007_199_254_740_993n;
    const txId = server.send({ to: A0, amount, from });
    const [n] = server.mine();
    const adapter = perAddress();
    const { blocks, transfers } = await adapter.scan(BigInt(n!), BigInt(n!), watchSetOf([A0]));

    expect(blocks).toEqual([
      {
        number: BigInt(n!),
        hash: server.blockId(n!),
        parentHash: server.blockId(n! - 1),
        timestamp: new Date(server.blockTimestamp(n!)!),
      },
    ]);
    expect(transfers).toEqual([
      {
        network: "tron",
        txHash: txId,
        index: 0,
        asset: "USDT",
        toAddress: A0,
        fromAddress: from,
        amount,
        block: blocks[0],
      },
    ]);
    expect(transfers[0]!.txHash).toMatch(/^[0-9a-f]{64}$/);
    // The API key travels in its header on every request.
    expect(server.requests.every((r) => r.apiKey === API_KEY)).toBe(true);
  });

  it("finds several transfers in one block, with the log index of each inside its transaction", async () => {
    const t1 = server.send({ to: A0, amount: 1_000_000n });
    const t2 = server.send({ to: A1, amount: 2_500_000n });
    // A batch contract call: log 0 pays A2, log 1 is another token, log 2 pays A0 again.
    const batch = server.send([
      { to: A2, amount: 7n },
      { to: A0, amount: 999n, contract: OTHER_TOKEN },
      { to: A0, amount: 123_456_789n },
    ]);
    const [n] = server.mine();

    for (const adapter of [perAddress(), perBlock()]) {
      const { transfers } = await adapter.scan(BigInt(n!), BigInt(n!), watchSetOf([A0, A1, A2]));
      const seen = transfers.map((t) => [t.txHash, t.index, t.toAddress, t.amount]);
      expect(seen).toHaveLength(4);
      expect(seen).toEqual(
        expect.arrayContaining([
          [t1, 0, A0, 1_000_000n],
          [t2, 0, A1, 2_500_000n],
          [batch, 0, A2, 7n],
          [batch, 2, A0, 123_456_789n],
        ]),
      );
      expect(transfers.every((t) => t.block?.number === BigInt(n!) && t.asset === "USDT")).toBe(true);
    }
  });

  it("ignores transfers to unwatched addresses and of another TRC-20 contract", async () => {
    const stranger = tronAddressFor("someone-else");
    server.send({ to: stranger, amount: 50_000_000n });
    server.send({ to: A0, amount: 42n, contract: OTHER_TOKEN });
    const ours = server.send({ to: A1, amount: 5_000_000n });
    const [n] = server.mine();

    for (const adapter of [perAddress(), perBlock()]) {
      const watch = watchSetOf([A0, A1]);
      const { transfers } = await adapter.scan(BigInt(n!), BigInt(n!), watch);
      expect(transfers.map((t) => [t.txHash, t.toAddress, t.amount])).toEqual([[ours, A1, 5_000_000n]]);
    }
  });

  it("uses the per-address path for a short list and the per-block path for a long one, with the same result", async () => {
    const many = Array.from({ length: 25 }, (_, i) => invoiceAddress(10 + i));
    const t1 = server.send({ to: many[3]!, amount: 10_000_000n });
    const [n1] = server.mine();
    const t2 = server.send({ to: many[20]!, amount: 20_000_000n });
    server.send({ to: tronAddressFor("stranger-2"), amount: 1n });
    const [n2] = server.mine(2);
    const range = [BigInt(n1!), BigInt(n2! + 1)] as const;

    server.requests.length = 0;
    const small = watchSetOf([many[3]!, many[20]!]);
    const viaAddresses = await perAddress().scan(range[0], range[1], small);
    expect(paths(server).some((p) => p.startsWith("/v1/accounts/"))).toBe(true);
    expect(paths(server).some((p) => p.startsWith("/v1/contracts/"))).toBe(false);
    expect(small.matchCalls).toHaveLength(0);
    const trc20 = server.requests.find((r) => r.path.startsWith("/v1/accounts/"))!;
    expect(Object.fromEntries(trc20.query)).toMatchObject({
      only_to: "true",
      contract_address: server.usdtContract,
      limit: "200",
      order_by: "block_timestamp,asc",
    });

    server.requests.length = 0;
    const large = watchSetOf(many); // 25 > 20: list() answers null
    const viaBlocks = await perAddress().scan(range[0], range[1], large);
    expect(paths(server).some((p) => p.startsWith("/v1/contracts/"))).toBe(true);
    expect(paths(server).some((p) => p.startsWith("/v1/accounts/"))).toBe(false);
    expect(large.matchCalls).toHaveLength(1);
    const events = server.requests.filter((r) => r.path.startsWith("/v1/contracts/"));
    expect(events).toHaveLength(3); // one per block
    expect(Object.fromEntries(events[0]!.query)).toMatchObject({ event_name: "Transfer", block_number: String(n1), limit: "200" });

    const summary = (ts: ObservedTransfer[]) => ts.map((t) => [t.txHash, t.index, t.toAddress, t.amount, t.block?.number]);
    expect(summary(viaAddresses.transfers)).toEqual([
      [t1, 0, many[3], 10_000_000n, BigInt(n1!)],
      [t2, 0, many[20], 20_000_000n, BigInt(n2!)],
    ]);
    expect(summary(viaBlocks.transfers)).toEqual(summary(viaAddresses.transfers));
    expect(viaBlocks.blocks).toEqual(viaAddresses.blocks);
    expect(viaBlocks.blocks.map((b) => b.number)).toEqual([BigInt(n1!), BigInt(n1! + 1), BigInt(n1! + 2)]);
  });

  it("follows fingerprint paging on both paths", async () => {
    // 450 Transfer events in one block (3 pages of 200) of which 3 pay watched addresses…
    const watchedTx: string[] = [];
    for (let i = 0; i < 450; i++) {
      if (i === 5 || i === 250 || i === 449) watchedTx.push(server.send({ to: i === 250 ? A1 : A0, amount: BigInt(i + 1) }));
      else server.send({ to: tronAddressFor(`crowd-${i}`), amount: BigInt(i + 1) });
    }
    const [n] = server.mine();
    server.requests.length = 0;
    const { transfers } = await perBlock().scan(BigInt(n!), BigInt(n!), watchSetOf([A0, A1]));
    expect(transfers.map((t) => t.txHash).sort()).toEqual([...watchedTx].sort());
    expect(transfers.find((t) => t.txHash === watchedTx[1])).toMatchObject({ toAddress: A1, amount: 251n });
    const eventCalls = server.requests.filter((r) => r.path.includes("/events"));
    expect(eventCalls.map((r) => r.query.has("fingerprint"))).toEqual([false, true, true]);

    // …and 205 payments to one address (2 pages of its TRC-20 history).
    const many: string[] = [];
    for (let i = 0; i < 205; i++) many.push(server.send({ to: A2, amount: 1_000n + BigInt(i) }));
    const [m] = server.mine();
    server.requests.length = 0;
    const perAddr = await perAddress().scan(BigInt(m!), BigInt(m!), watchSetOf([A2]));
    expect(perAddr.transfers).toHaveLength(205);
    expect(new Set(perAddr.transfers.map((t) => t.txHash))).toEqual(new Set(many));
    const amounts = perAddr.transfers.map((t) => t.amount).sort((a, b) => (a < b ? -1 : 1));
    expect(amounts[0]).toBe(1_000n);
    expect(amounts[204]).toBe(1_204n);
    const historyCalls = server.requests.filter((r) => r.path.endsWith("/transactions/trc20"));
    expect(historyCalls.map((r) => r.query.has("fingerprint"))).toEqual([false, true]);
  });

  it("reports head, the solidified block as finalized, and counts confirmations (final only once solidified)", async () => {
    const adapter = perAddress();
    server.send({ to: A0, amount: 3_000_000n });
    const [n] = server.mine();
    const head = await adapter.head();
    expect(head).toEqual({ number: BigInt(server.head()), hash: server.blockId(server.head()), finalized: BigInt(server.head() - 19) });

    const block = BigInt(n!);
    expect(adapter.confirmations!(block, head)).toEqual({ count: 1, final: false });
    server.mine(18);
    const h18 = await adapter.head();
    expect(confirmationsOf(adapter, block, h18)).toEqual({ count: 19, final: false });
    server.mine(1);
    const h19 = await adapter.head();
    expect(h19.finalized).toBe(block);
    expect(confirmationsOf(adapter, block, h19)).toEqual({ count: 20, final: true });

    // The count alone never makes it final: a node whose solidified block lags keeps it confirming.
    server.setSolidifiedLag(40);
    const lagging = await adapter.head();
    expect(confirmationsOf(adapter, block, lagging)).toEqual({ count: 20, final: false });
    expect(adapter.confirmations!(block, { number: h19.number, hash: h19.hash })).toEqual({ count: 20, final: false });
    expect(adapter.confirmations!(block + 100n, h19).count).toBe(0);
  });

  it("answers block(n), and null above the head", async () => {
    const adapter = perAddress();
    const h = server.head();
    expect(await adapter.block(BigInt(h))).toMatchObject({ number: BigInt(h), hash: server.blockId(h) });
    expect(await adapter.block(BigInt(h + 1))).toBeNull();
    await expect(adapter.scan(BigInt(h), BigInt(h + 1), watchSetOf([A0]))).rejects.toThrow(/above the node's head/);
  });

  it("looks a transfer up: mined, reverted, waiting in the pending pool, missing", async () => {
    const adapter = perAddress();
    const minedTx = server.send({ to: A0, amount: 77_000_000n });
    const revertedTx = server.send({ to: A1, amount: 1_000n });
    const [n] = server.mine();
    server.revert(revertedTx);
    const pendingTx = server.send({ to: A2, amount: 5_500_000n, from: tronAddressFor("payer-p") });
    const droppedTx = server.send({ to: A2, amount: 1n });
    server.drop(droppedTx);

    const mined = await adapter.lookup({ txHash: minedTx, index: 0, asset: "USDT", toAddress: A0 });
    expect(mined).toEqual({
      state: "mined",
      transfer: expect.objectContaining({ txHash: minedTx, index: 0, amount: 77_000_000n, toAddress: A0, network: "tron" }),
    });
    expect(mined.state === "mined" && mined.transfer.block).toMatchObject({ number: BigInt(n!), hash: server.blockId(n!) });

    const reverted = await adapter.lookup({ txHash: revertedTx, index: 0, asset: "USDT", toAddress: A1 });
    expect(reverted).toEqual({ state: "reverted", reason: expect.stringMatching(/REVERT/) });

    const waiting = await adapter.lookup({ txHash: pendingTx, index: 0, asset: "USDT", toAddress: A2 });
    expect(waiting).toEqual({
      state: "mempool",
      transfer: expect.objectContaining({ txHash: pendingTx, amount: 5_500_000n, toAddress: A2, fromAddress: tronAddressFor("payer-p"), block: null }),
    });
    expect(paths(server)).toContain("/wallet/gettransactionfrompending");

    expect(await adapter.lookup({ txHash: droppedTx, index: 0, asset: "USDT", toAddress: A2 })).toEqual({
      state: "missing",
      reason: expect.stringMatching(/neither in a block nor in the pending pool/),
    });
    // A transaction that exists but does not pay that address at that index.
    expect(await adapter.lookup({ txHash: minedTx, index: 0, asset: "USDT", toAddress: A1 })).toMatchObject({ state: "missing" });
    expect(await adapter.lookup({ txHash: minedTx, index: 3, asset: "USDT", toAddress: A0 })).toMatchObject({ state: "missing" });

    // A reverted transaction emits no event: scanning its block finds nothing for A1.
    const { transfers } = await adapter.scan(BigInt(n!), BigInt(n!), watchSetOf([A0, A1]));
    expect(transfers.map((t) => t.txHash)).toEqual([minedTx]);
    server.mine(); // clear the pool for the next tests
  });

  it("sees a reorganisation: block(n) changes hash, and the transfer moves to another block or disappears", async () => {
    const adapter = perAddress();
    const moved = server.send({ to: A0, amount: 11_000_000n });
    const vanished = server.send({ to: A1, amount: 22_000_000n });
    const [n] = server.mine();
    server.mine(2);
    const before = await adapter.block(BigInt(n!));
    const scanned = await adapter.scan(BigInt(n!), BigInt(n!), watchSetOf([A0, A1]));
    expect(scanned.transfers).toHaveLength(2);

    server.reorg(n! - 1); // blocks n.. are replaced by empty ones; their transactions go back to the pool
    const after = await adapter.block(BigInt(n!));
    expect(after!.hash).not.toBe(before!.hash);
    expect(after!.number).toBe(before!.number);
    expect((await adapter.scan(BigInt(n!), BigInt(n!), watchSetOf([A0, A1]))).transfers).toEqual([]);
    expect(await adapter.lookup({ txHash: moved, index: 0, asset: "USDT", toAddress: A0 })).toMatchObject({ state: "mempool" });

    server.drop(vanished);
    const [m] = server.mine();
    expect(m).toBeGreaterThan(n!);
    const found = await adapter.lookup({ txHash: moved, index: 0, asset: "USDT", toAddress: A0 });
    expect(found.state).toBe("mined");
    expect(found.state === "mined" && found.transfer.block).toMatchObject({ number: BigInt(m!), hash: server.blockId(m!) });
    expect(await adapter.lookup({ txHash: vanished, index: 0, asset: "USDT", toAddress: A1 })).toMatchObject({ state: "missing" });
  });

  it("reads v1 event addresses in 41… hex and base58 forms too", async () => {
    for (const eventAddressFormat of ["41", "base58"] as const) {
      const s = await startServer({ eventAddressFormat });
      const tx = s.send({ to: A0, amount: 314_159n, from: tronAddressFor("payer-x") });
      const [n] = s.mine();
      const { transfers } = await adapterFor(s, { perAddressLimit: 0 }).scan(BigInt(n!), BigInt(n!), watchSetOf([A0]));
      expect(transfers).toEqual([expect.objectContaining({ txHash: tx, toAddress: A0, fromAddress: tronAddressFor("payer-x"), amount: 314_159n })]);
    }
  });

  describe("failures become ChainSourceError without the API key", () => {
    async function failure(promise: Promise<unknown>): Promise<ChainSourceError> {
      const error = await promise.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ChainSourceError);
      const e = error as ChainSourceError;
      expect(e.message).not.toContain(API_KEY);
      expect(e.source).not.toContain(API_KEY);
      expect(String(e.stack)).not.toContain(API_KEY);
      return e;
    }

    it("429 rate limit", async () => {
      server.fail({ kind: "status", status: 429, headers: { "retry-after": "2" }, body: `{"Error":"too many requests for key ${API_KEY}"}` });
      const e = await failure(perAddress().head());
      expect(e.message).toMatch(/rate limited \(HTTP 429\); retry after 2 s/);
      expect(e.source).toBe(`TronGrid ${server.baseUrl}`);
    });

    it("500 and other 5xx", async () => {
      server.fail({ kind: "status", status: 500, body: `internal error (key=${API_KEY})` });
      const e = await failure(perAddress().block(1n));
      expect(e.message).toMatch(/POST \/wallet\/getblockbynum: HTTP 500/);
      expect(e.message).toContain("[redacted]");
      server.fail({ kind: "status", status: 503, body: "" }, 1);
      const n = server.send({ to: A0, amount: 1n });
      server.mine();
      expect((await failure(perBlock().lookup({ txHash: n, index: 0, asset: "USDT", toAddress: A0 }))).message).toMatch(/HTTP 503/);
    });

    it("malformed JSON and unexpected shapes", async () => {
      server.fail({ kind: "malformed" });
      expect((await failure(perAddress().head())).message).toMatch(/malformed JSON/);
      server.fail({ kind: "body", body: JSON.stringify({ blockID: "xyz", block_header: {} }) });
      expect((await failure(perAddress().block(BigInt(server.head())))).message).toMatch(/unexpected response shape/);
      // A block id that does not start with the block number is not a Tron block.
      const id = server.blockId(server.head())!;
      server.fail({
        kind: "body",
        body: JSON.stringify({ blockID: `ff${id.slice(2)}`, block_header: { raw_data: { number: server.head(), timestamp: 1 } } }),
      });
      expect((await failure(perAddress().block(BigInt(server.head())))).message).toMatch(/does not encode block number/);
      // A java-tron error document (HTTP 200, {"Error": …}).
      server.fail({ kind: "body", body: JSON.stringify({ Error: "class java.lang.NullPointerException : null" }) });
      expect((await failure(perAddress().head())).message).toMatch(/node error: class java.lang.NullPointerException/);
    });

    it("a request timeout", async () => {
      server.fail({ kind: "hang" });
      const started = Date.now();
      const e = await failure(adapterFor(server, { timeoutMs: 300 }).block(1n));
      expect(e.message).toMatch(/no answer within 300 ms \(timed out\)/);
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it("a wrong or missing API key", async () => {
      expect((await failure(adapterFor(server, { apiKey: "wrong-key" }).head())).message).toMatch(/API key rejected \(HTTP 401\)/);
      expect((await failure(adapterFor(server, { apiKey: undefined }).head())).message).toMatch(/access denied \(HTTP 401\)/);
    });

    it("a refused connection", async () => {
      const s = await startServer();
      const adapter = adapterFor(s);
      await s.close();
      extraServers.splice(extraServers.indexOf(s), 1);
      expect((await failure(adapter.head())).message).toMatch(/request failed/);
    });
  });

  it("keeps the key out of the description and rejects ranges above maxBlocksPerScan", async () => {
    const adapter = createTronGridAdapter({ baseUrl: `${server.baseUrl}/?apikey=${API_KEY}`, apiKey: API_KEY, maxBlocksPerScan: 5 });
    expect(adapter.description).toBe(`TronGrid ${server.baseUrl}`);
    expect(adapter.network).toBe("tron");
    expect(adapter.maxBlocksPerScan).toBe(5);
    const pathToken = createTronGridAdapter({ baseUrl: `${server.baseUrl}/token-in-path/`, usdtContract: server.usdtContract });
    expect(pathToken.description).toBe(`TronGrid ${server.baseUrl}`);
    await expect(adapter.scan(1n, 6n, watchSetOf([A0]))).rejects.toThrow(RangeError);
    expect(() => createTronGridAdapter({ baseUrl: server.baseUrl, apiKey: "bad key\n" })).toThrow(/not allowed in an HTTP header/);
    expect(tronBase58Of(tronHexOf(A1))).toBe(A1);
  });
});
