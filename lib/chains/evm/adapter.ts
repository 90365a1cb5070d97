/**
 * Ethereum watcher over any JSON-RPC endpoint (viem). Native ETH: every transaction of every
 * scanned block whose `to` is watched. ERC-20 USDT: eth_getLogs on the token's Transfer event,
 * filtered server-side by the `to` topic while the watched set is small, and matched against the
 * database otherwise. Requests for a block range go out as one JSON-RPC batch.
 *
 * Limits, stated rather than hidden: ETH sent to an invoice address by a contract (an internal
 * transaction) produces no transaction `to` nor log and is not seen; pay from an account.
 * Ethereum's pending pool is not read (there is no portable way to list it), so an ETH payment is
 * first seen in its block.
 */
import {
  BlockNotFoundError,
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
  createPublicClient,
  decodeFunctionData,
  erc20Abi,
  getAddress,
  http,
  parseAbiItem,
  type Block,
  type Hash,
  type Hex,
  type PublicClient,
} from "viem";
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

export const TRANSFER_EVENT = parseAbiItem("event Transfer(address indexed from, address indexed to, uint256 value)");

/** Above this many watched addresses, token logs are fetched unfiltered and matched in the database. */
export const TOPIC_FILTER_LIMIT = 200;

export interface EvmAdapterOptions {
  /** JSON-RPC URL. Only its origin is ever shown (it may embed an API key in the path). */
  rpcUrl: string;
  /** The USDT-like ERC-20 contract (6 decimals) payments in USDT are read from; none: ETH only. */
  usdtContract?: `0x${string}` | null;
  maxBlocksPerScan?: number;
  timeoutMs?: number;
}

function describe(rpcUrl: string): string {
  try {
    return `ethereum JSON-RPC ${new URL(rpcUrl).origin}`;
  } catch {
    return "ethereum JSON-RPC";
  }
}

function toBlockRef(block: Block): BlockRef {
  if (block.number === null || block.hash === null) throw new Error("pending block");
  return { number: block.number, hash: block.hash, parentHash: block.parentHash, timestamp: new Date(Number(block.timestamp) * 1000) };
}

export function createEvmAdapter(options: EvmAdapterOptions): ChainAdapter & { client: PublicClient } {
  const description = describe(options.rpcUrl);
  const client = createPublicClient({
    transport: http(options.rpcUrl, { batch: { batchSize: 200 }, timeout: options.timeoutMs ?? 10_000, retryCount: 1 }),
    cacheTime: 0,
  });
  const token = options.usdtContract ? getAddress(options.usdtContract) : null;

  /** Runs an RPC step, turning any failure into a ChainSourceError that names only the endpoint. */
  async function rpc<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof ChainSourceError) throw error;
      const reason = error instanceof Error ? (error as { shortMessage?: string }).shortMessage ?? error.message : String(error);
      throw new ChainSourceError(description, `${what} failed: ${reason.replaceAll(options.rpcUrl, "<rpc>")}`, { cause: error });
    }
  }

  async function fetchBlock(number: bigint, includeTransactions: boolean) {
    try {
      return await client.getBlock({ blockNumber: number, includeTransactions });
    } catch (error) {
      if (error instanceof BlockNotFoundError) return null;
      throw error;
    }
  }

  /**
   * USDT Transfer logs to watched addresses, asked block by block by hash: a node that does not
   * have a block answers an error rather than an empty list, so a lagging node behind a load
   * balancer cannot make the scan skip transfers. The requests go out in the range's one batch.
   */
  async function tokenTransfers(blocks: BlockRef[], watch: WatchSet): Promise<ObservedTransfer[]> {
    if (!token) return [];
    const listed = await watch.list(TOPIC_FILTER_LIMIT);
    if (listed && listed.length === 0) return [];
    const perBlock = await Promise.all(
      blocks.map((block) =>
        client.getLogs({
          address: token,
          event: TRANSFER_EVENT,
          args: listed ? { to: listed.map((a) => getAddress(a)) } : undefined,
          blockHash: block.hash as Hash,
          strict: true,
        }),
      ),
    );
    const logs = perBlock.flat().filter((log) => !log.removed && log.args.value > 0n);
    const recipients = [...new Set(logs.map((log) => getAddress(log.args.to)))];
    const watched = listed ? new Set(listed.map((a) => getAddress(a))) : await watch.match(recipients);
    const mine = logs.filter((log) => watched.has(getAddress(log.args.to)));
    // A log's index counts across the block, so a reorg that moves the transaction changes it. The
    // transfer's key is its position among its transaction's own logs, read from the receipt.
    const receipts = new Map<string, Promise<{ logs: { logIndex: number | null }[] }>>();
    for (const log of mine) if (!receipts.has(log.transactionHash)) receipts.set(log.transactionHash, client.getTransactionReceipt({ hash: log.transactionHash }));
    const byNumber = new Map(blocks.map((b) => [b.number, b]));
    const transfers: ObservedTransfer[] = [];
    for (const log of mine) {
      const block = byNumber.get(log.blockNumber);
      const receipt = await receipts.get(log.transactionHash)!;
      const index = receipt.logs.findIndex((l) => l.logIndex === log.logIndex);
      if (!block || block.hash !== log.blockHash || index < 0) {
        throw new ChainSourceError(description, `block ${log.blockNumber} changed during the scan; retrying`);
      }
      transfers.push({
        network: "ethereum",
        txHash: log.transactionHash,
        index,
        asset: "USDT",
        toAddress: getAddress(log.args.to),
        fromAddress: getAddress(log.args.from),
        amount: log.args.value,
        block,
      });
    }
    return transfers;
  }

  return {
    network: "ethereum",
    description,
    maxBlocksPerScan: options.maxBlocksPerScan ?? 50,
    client,

    head: () =>
      rpc("reading the head block", async (): Promise<ChainHead> => {
        const block = await client.getBlock({ blockTag: "latest" });
        return { number: block.number, hash: block.hash };
      }),

    block: (number) =>
      rpc(`reading block ${number}`, async () => {
        const block = await fetchBlock(number, false);
        return block ? toBlockRef(block) : null;
      }),

    scan: (from, to, watch) =>
      rpc(`scanning blocks ${from}-${to}`, async () => {
        const numbers: bigint[] = [];
        for (let n = from; n <= to; n++) numbers.push(n);
        const fetched = await Promise.all(numbers.map((n) => fetchBlock(n, true)));
        const blocks: BlockRef[] = [];
        for (const [i, block] of fetched.entries()) {
          if (!block) throw new ChainSourceError(description, `block ${numbers[i]} is not available yet`);
          const ref = toBlockRef(block);
          const previous = blocks.at(-1);
          if (previous && ref.parentHash !== previous.hash) {
            throw new ChainSourceError(description, `block ${ref.number} does not follow ${previous.number}: the chain reorganised during the scan; retrying`);
          }
          blocks.push(ref);
        }

        // Native ETH: one database match per block over the recipients of its value transfers.
        const matched: { tx: { hash: Hash; from: string; value: bigint }; toAddress: string; block: BlockRef }[] = [];
        for (const [i, block] of fetched.entries()) {
          const valued = block!.transactions.flatMap((tx) =>
            typeof tx !== "string" && tx.to && tx.value > 0n ? [{ tx, toAddress: getAddress(tx.to) }] : [],
          );
          if (valued.length === 0) continue;
          const watched = await watch.match([...new Set(valued.map((v) => v.toAddress))]);
          for (const v of valued) if (watched.has(v.toAddress)) matched.push({ ...v, block: blocks[i]! });
        }
        // A plain transfer to an account cannot fail, but a call with value can: check the receipts.
        const receipts = await Promise.all(matched.map((m) => client.getTransactionReceipt({ hash: m.tx.hash })));
        const transfers: ObservedTransfer[] = matched.flatMap((m, i) =>
          receipts[i]!.status === "success"
            ? [{ network: "ethereum" as const, txHash: m.tx.hash, index: 0, asset: "ETH" as const, toAddress: m.toAddress, fromAddress: getAddress(m.tx.from), amount: m.tx.value, block: m.block }]
            : [],
        );
        transfers.push(...(await tokenTransfers(blocks, watch)));
        return { blocks, transfers };
      }),

    lookup: (ref: TransferRef) =>
      rpc(`looking up ${ref.txHash}`, async (): Promise<TransferLookup> => {
        const hash = ref.txHash as Hash;
        let receipt;
        try {
          receipt = await client.getTransactionReceipt({ hash });
        } catch (error) {
          if (!(error instanceof TransactionReceiptNotFoundError)) throw error;
        }
        if (!receipt) {
          try {
            const tx = await client.getTransaction({ hash });
            if (tx.blockNumber === null) {
              const transfer = ref.asset === "ETH" ? nativeTransfer(ref, tx.to, tx.from, tx.value, hash, null) : pendingTokenTransfer(ref, tx, token);
              return transfer ? { state: "mempool", transfer } : { state: "missing", reason: "the pending transaction no longer pays this address" };
            }
          } catch (error) {
            if (!(error instanceof TransactionNotFoundError)) throw error;
          }
          return { state: "missing", reason: "the transaction is neither mined nor pending" };
        }
        if (receipt.status !== "success") return { state: "reverted", reason: "the transaction reverted" };
        const block = await fetchBlock(receipt.blockNumber, false);
        if (!block || block.hash !== receipt.blockHash) return { state: "missing", reason: "the including block is no longer on the chain" };
        const blockRef = toBlockRef(block);
        if (ref.asset === "ETH") {
          const tx = await client.getTransaction({ hash });
          const transfer = nativeTransfer(ref, tx.to, tx.from, tx.value, hash, blockRef);
          return transfer ? { state: "mined", transfer } : { state: "missing", reason: "the transaction does not pay this address" };
        }
        const log = receipt.logs[ref.index];
        if (!log || !token || getAddress(log.address) !== token) return { state: "missing", reason: "the transfer log is not in the mined transaction" };
        const [, fromTopic, toTopic] = log.topics;
        if (!fromTopic || !toTopic) return { state: "missing", reason: "the log is not a Transfer" };
        const toAddress = getAddress(`0x${toTopic.slice(26)}`);
        if (toAddress !== getAddress(ref.toAddress)) return { state: "missing", reason: "the transfer pays another address" };
        return {
          state: "mined",
          transfer: {
            network: "ethereum",
            txHash: hash,
            index: ref.index,
            asset: "USDT",
            toAddress,
            fromAddress: getAddress(`0x${fromTopic.slice(26)}`),
            amount: BigInt(log.data),
            block: blockRef,
          },
        };
      }),
  };
}

/** A pending plain `transfer(to, amount)` call on the token, decoded from its calldata. */
function pendingTokenTransfer(
  ref: TransferRef,
  tx: { to: string | null; from: string; input: Hex; hash: Hash },
  token: string | null,
): ObservedTransfer | null {
  if (!token || !tx.to || getAddress(tx.to) !== token) return null;
  try {
    const call = decodeFunctionData({ abi: erc20Abi, data: tx.input });
    if (call.functionName !== "transfer") return null;
    const [to, amount] = call.args;
    if (getAddress(to) !== getAddress(ref.toAddress) || amount <= 0n) return null;
    return { network: "ethereum", txHash: tx.hash, index: ref.index, asset: "USDT", toAddress: getAddress(to), fromAddress: getAddress(tx.from), amount, block: null };
  } catch {
    return null;
  }
}

function nativeTransfer(
  ref: TransferRef,
  to: string | null,
  from: string,
  value: bigint,
  hash: Hash,
  block: BlockRef | null,
): ObservedTransfer | null {
  if (!to || getAddress(to) !== getAddress(ref.toAddress) || value <= 0n) return null;
  return { network: "ethereum", txHash: hash, index: 0, asset: "ETH", toAddress: getAddress(to), fromAddress: getAddress(from), amount: value, block };
}
