import type { Db } from "@/db";

/**
 * One poller per chain source at a time, across every process: a PostgreSQL session advisory lock
 * held on a reserved connection for the length of the poll (the scan's network calls happen
 * outside any transaction, so the lock cannot be a transaction's). If the process dies, its
 * connection closes and the lock is released. Within one process a map of running polls does the
 * same without a round trip. Embedded PGlite is one process by construction: the map suffices.
 */
const running = new Set<string>();

/** Namespace of this application's advisory locks (first key of the two-key form). */
const LOCK_NAMESPACE = 0x43484b31; // "CHK1"

type Reservable = {
  reserve(): Promise<{
    unsafe(query: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
    release(): void;
  }>;
};

function postgresClient(db: Db): Reservable | null {
  const client = (db as unknown as { $client?: unknown }).$client;
  return client && typeof (client as Reservable).reserve === "function" ? (client as Reservable) : null;
}

/** Runs `fn` holding the lock for `name`, or returns `{ locked: false }` at once if someone holds it. */
export async function withSourceLock<T>(db: Db, name: string, fn: () => Promise<T>): Promise<{ locked: true; value: T } | { locked: false }> {
  if (running.has(name)) return { locked: false };
  running.add(name);
  try {
    const client = postgresClient(db);
    if (!client) return { locked: true, value: await fn() };
    const connection = await client.reserve();
    try {
      const [row] = await connection.unsafe("select pg_try_advisory_lock($1, hashtext($2)) as locked", [LOCK_NAMESPACE, name]);
      if (!row?.locked) return { locked: false };
      try {
        return { locked: true, value: await fn() };
      } finally {
        await connection.unsafe("select pg_advisory_unlock($1, hashtext($2))", [LOCK_NAMESPACE, name]);
      }
    } finally {
      connection.release();
    }
  } finally {
    running.delete(name);
  }
}
