/**
 * The one interface every rail's watcher adapter implements (evm/, bitcoin/, tron/). An adapter
 * speaks its chain's protocol and nothing else: it knows no database, no invoice and no status.
 * The poller (lib/jobs/poll-chains.ts) drives it: it keeps the cursor, stores block hashes to
 * detect reorganisations, decides confirmations and hands each observed transfer to the
 * payment service.
 */
import type { CryptoCurrency, Network } from "@/lib/domain";

/** A block as the poller stores it: enough to notice later that the chain replaced it. */
export interface BlockRef {
  readonly number: bigint;
  readonly hash: string;
  readonly parentHash: string | null;
  readonly timestamp: Date;
}

/** The chain's current head. */
export interface ChainHead {
  readonly number: bigint;
  readonly hash: string;
  /**
   * The highest block the chain itself calls irreversible, where it has such a notion (Tron's
   * solidified block). Undefined on chains where only the confirmation count matters.
   */
  readonly finalized?: bigint;
}

/**
 * One transfer of value to an address, as seen on chain or in the mempool. `(network, txHash,
 * index)` identifies it: Bitcoin's output index (vout), the log index of an ERC-20/TRC-20 Transfer
 * event, 0 for native ETH (a transaction carries at most one native value).
 */
export interface ObservedTransfer {
  readonly network: Network;
  readonly txHash: string;
  readonly index: number;
  readonly asset: CryptoCurrency;
  /** In the canonical form invoices store (EIP-55 checksummed, bech32 lower case, Tron base58). */
  readonly toAddress: string;
  readonly fromAddress: string | null;
  /** Minor units of `asset` (satoshi, wei, USDT's 10^-6). Always > 0. */
  readonly amount: bigint;
  /** Null while the transaction waits in the mempool. */
  readonly block: BlockRef | null;
}

/**
 * The addresses the poller is watching, asked in the form the adapter needs. Both calls read the
 * database's index of open invoices, so their cost does not grow with the number watched.
 */
export interface WatchSet {
  /** Which of `candidates` are watched (the rest are other people's addresses). */
  match(candidates: readonly string[]): Promise<Set<string>>;
  /**
   * Every watched address when there are at most `limit`, else null. An adapter that can filter
   * server-side (eth_getLogs topics, per-address REST calls) uses this while the set is small
   * and scans everything then calls `match` when it is large.
   */
  list(limit: number): Promise<string[] | null>;
}

/** What the chain now says about a transfer the poller recorded earlier. */
export type TransferLookup =
  | { readonly state: "mined"; readonly transfer: ObservedTransfer }
  | { readonly state: "mempool"; readonly transfer: ObservedTransfer }
  /** Executed but failed (an EVM transaction that reverted): the value never moved. */
  | { readonly state: "reverted"; readonly reason: string }
  /** Neither mined nor waiting: dropped, or replaced by another transaction spending the same inputs. */
  | { readonly state: "missing"; readonly reason: string };

/** A reference to a recorded transfer, as stored in the payments table. */
export interface TransferRef {
  readonly txHash: string;
  readonly index: number;
  readonly asset: CryptoCurrency;
  readonly toAddress: string;
}

export interface ChainAdapter {
  readonly network: Network;
  /** Names the endpoint for logs and the admin, without credentials. */
  readonly description: string;
  /** Largest block range one `scan` call should cover. */
  readonly maxBlocksPerScan: number;
  /**
   * Blocks below the head the scan stops at, for APIs whose event index trails the node (TronGrid):
   * a block is read only once the index surely holds it. Default 0.
   */
  readonly scanLag?: number;

  head(): Promise<ChainHead>;
  /** The block at `number` on the chain as it is now, or null above the head. */
  block(number: bigint): Promise<BlockRef | null>;
  /**
   * Every transfer to a watched address in blocks `from`..`to` inclusive (to - from + 1 <=
   * maxBlocksPerScan), and every one of those blocks, in order. Transfers of assets the adapter
   * does not know (another ERC-20 contract, say) are left out.
   */
  scan(from: bigint, to: bigint, watch: WatchSet): Promise<{ blocks: BlockRef[]; transfers: ObservedTransfer[] }>;
  /** Transfers to watched addresses waiting in the mempool, where the chain exposes one. */
  mempool?(watch: WatchSet): Promise<ObservedTransfer[]>;
  /** Where the transfer is now: mined (in which block), waiting, reverted, or gone. */
  lookup(ref: TransferRef): Promise<TransferLookup>;
  /**
   * Confirmations of a transfer mined in block `blockNumber` given the head: head - block + 1 by
   * default. `final` is false while a chain with its own finality (Tron) has not yet made the
   * block irreversible: the payment then stays confirming whatever the count.
   */
  confirmations?(blockNumber: bigint, head: ChainHead): { count: number; final: boolean };
}

/** head - block + 1, at least 0; final unless the chain says otherwise. */
export function confirmationsOf(adapter: ChainAdapter, blockNumber: bigint, head: ChainHead): { count: number; final: boolean } {
  if (adapter.confirmations) return adapter.confirmations(blockNumber, head);
  const count = head.number - blockNumber + 1n;
  return { count: count > 0n ? Number(count) : 0, final: true };
}

/** A network failure or a malformed answer from the node or API; the poller logs it and retries. */
export class ChainSourceError extends Error {
  constructor(
    readonly source: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ChainSourceError";
  }
}
