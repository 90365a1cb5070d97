import { sql } from "drizzle-orm";
import { bigint, check, index, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { networkEnum } from "./common";

/**
 * Chain watching. A "source" is one chain the watcher reads, named `<network>:<live|test>`
 * (ethereum:live is mainnet, ethereum:test the test chain the test-mode invoices are paid on).
 */

/** How far each source has been scanned. After downtime the watcher resumes from here. */
export const chainCursors = pgTable(
  "chain_cursors",
  {
    source: text("source").primaryKey(),
    network: networkEnum("network").notNull(),
    /** Highest block fully processed; the next scan starts at lastBlock + 1. */
    lastBlock: bigint("last_block", { mode: "bigint" }).notNull(),
    lastBlockHash: text("last_block_hash"),
    /** The chain tip seen at the last poll, for the admin and for lag monitoring. */
    tipBlock: bigint("tip_block", { mode: "bigint" }),
    lastPolledAt: timestamp("last_polled_at", { withTimezone: true }),
    lastError: text("last_error"),
    lastErrorAt: timestamp("last_error_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("chain_cursors_last_block_nonnegative", sql`${t.lastBlock} >= 0`)],
);

/**
 * Hashes of the most recent blocks processed per source. When the chain's hash at a stored
 * height no longer matches, the blocks above the last matching one were reorganised away.
 */
export const chainBlocks = pgTable(
  "chain_blocks",
  {
    source: text("source").notNull(),
    number: bigint("number", { mode: "bigint" }).notNull(),
    hash: text("hash").notNull(),
    parentHash: text("parent_hash"),
    seenAt: timestamp("seen_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.source, t.number] }), index("chain_blocks_source_hash_idx").on(t.source, t.hash)],
);
