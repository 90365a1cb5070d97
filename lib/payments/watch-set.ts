import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { queryRows } from "@/db/client";
import type { WatchSet } from "@/lib/chains/types";
import type { Network } from "@/lib/domain";

/**
 * How long after its expiry an invoice's address is still watched. Money sent that late is still
 * recorded (the invoice is flagged paid late); after this window the address is no longer read.
 */
export const WATCH_AFTER_EXPIRY_DAYS = 7;

/**
 * The addresses of one source (network and mode) that the chain watcher reads: those of open
 * invoices, and of invoices that expired less than WATCH_AFTER_EXPIRY_DAYS ago (whatever their
 * status, so a payment to a cancelled or paid invoice is still recorded). Both calls go through
 * indexes (invoices_network_address_key and invoices_network_watch_idx), so their cost depends
 * on the candidates asked about, not on how many invoices are watched.
 */
export function invoiceWatchSet(db: Executor, scope: { network: Network; livemode: boolean }, now: Date): WatchSet {
  const since = new Date(now.getTime() - WATCH_AFTER_EXPIRY_DAYS * 86_400_000).toISOString();
  return {
    async match(candidates) {
      if (candidates.length === 0) return new Set();
      const rows = await queryRows<{ address: string }>(
        db,
        sql`select payment_address as address from invoices
            where network = ${scope.network} and payment_address = any(${sql.param([...candidates])}::text[])
              and livemode = ${scope.livemode}
              and (expires_at > ${since}::timestamptz or status in ('pending', 'partial', 'confirming'))`,
      );
      return new Set(rows.map((r) => r.address));
    },
    async list(limit) {
      // Two index range reads, each stopped at limit + 1 rows, rather than one OR that reads all.
      const recent = await queryRows<{ address: string }>(
        db,
        sql`select payment_address as address from invoices
            where network = ${scope.network} and livemode = ${scope.livemode} and expires_at > ${since}::timestamptz
            limit ${limit + 1}`,
      );
      if (recent.length > limit) return null;
      const overdue = await queryRows<{ address: string }>(
        db,
        sql`select payment_address as address from invoices
            where network = ${scope.network} and livemode = ${scope.livemode} and expires_at <= ${since}::timestamptz
              and status in ('pending', 'partial', 'confirming')
            limit ${limit + 1}`,
      );
      const all = new Set([...recent, ...overdue].map((r) => r.address));
      return all.size > limit ? null : [...all];
    },
  };
}
