import { eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { catalogVersion } from "@/db/schema";
import {
  catalogStock,
  findAccountDetail,
  searchAccountListings,
  type AccountDetail,
  type CatalogPage,
  type CatalogQuery,
  type CatalogStock,
} from "@/db/queries/catalog";

/**
 * An in-process cache of the catalog's read models, valid exactly while catalog_version is
 * unchanged. Triggers bump that version in the same transaction as any change to accounts, their
 * quotas or their orders, whichever process makes it (an admin on another instance, the chain
 * watcher in a worker), so one tiny read per request is enough to know whether an entry is still
 * current: no cross-process invalidation message, and no window in which a committed change is
 * hidden.
 *
 * An entry is loaded after its version was read, so its data is at least as new as its tag; a
 * change committed in between only makes the tag older than the data, and the next request reloads.
 */

const DEFAULT_MAX_ENTRIES = 500;

type Entry = { version: number; value: Promise<unknown> };

export class CatalogCache {
  private readonly entries = new Map<string, Entry>();
  private readonly versionStatements = new WeakMap<Executor, ReturnType<typeof prepareVersionRead>>();
  readonly stats = { hits: 0, misses: 0 };

  constructor(private readonly maxEntries = DEFAULT_MAX_ENTRIES) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError("maxEntries must be a positive whole number");
  }

  get size(): number {
    return this.entries.size;
  }

  /** The catalog's current version; 0 when the row is missing (a database without migration 0008's seed row). */
  async version(db: Executor): Promise<number> {
    let statement = this.versionStatements.get(db);
    if (!statement) this.versionStatements.set(db, (statement = prepareVersionRead(db)));
    const [row] = await statement.execute();
    return row?.version ?? 0;
  }

  /**
   * The value cached under `key` for `version`, or `load()`'s, cached. Concurrent misses on one key
   * and version share one load; a failed load is not kept.
   */
  read<T>(key: string, version: number, load: () => Promise<T>): Promise<T> {
    const found = this.entries.get(key);
    if (found && found.version === version) {
      this.stats.hits++;
      this.entries.delete(key); // re-inserted below: Map order is the recency order
      this.entries.set(key, found);
      return found.value as Promise<T>;
    }
    this.stats.misses++;
    const value = load();
    const entry: Entry = { version, value };
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.evictOverflow();
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }

  private evictOverflow(): void {
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}

function prepareVersionRead(db: Executor) {
  return db
    .select({ version: catalogVersion.version })
    .from(catalogVersion)
    .where(eq(catalogVersion.id, 1))
    .prepare("catalog_version_read");
}

/** The canonical key of a parsed query (parseCatalogQuery's output is already normalized). */
export function catalogQueryKey(query: CatalogQuery): string {
  return JSON.stringify(query, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
}

// One cache per process, kept on globalThis: Next bundles server code into several module graphs.
const globalKey = Symbol.for("cryptocheckout.catalogCache");
type GlobalWithCache = typeof globalThis & { [globalKey]?: CatalogCache };

export function catalogCache(): CatalogCache {
  const g = globalThis as GlobalWithCache;
  return (g[globalKey] ??= new CatalogCache());
}

export type CatalogView = { page: CatalogPage; stock: CatalogStock; version: number };

/** The storefront's data for one query: a page of listings and the stock counts, from one version read. */
export async function readCatalog(db: Executor, query: CatalogQuery, cache: CatalogCache = catalogCache()): Promise<CatalogView> {
  const version = await cache.version(db);
  const [page, stock] = await Promise.all([
    cache.read(`page:${catalogQueryKey(query)}`, version, () => searchAccountListings(db, query)),
    cache.read("stock", version, () => catalogStock(db)),
  ]);
  return { page, stock, version };
}

/** One account's public detail, cached like the listings (null for an unknown id is cached too). */
export async function readAccountDetail(db: Executor, id: string, cache: CatalogCache = catalogCache()): Promise<AccountDetail | null> {
  const version = await cache.version(db);
  return cache.read(`detail:${id.toLowerCase()}`, version, () => findAccountDetail(db, id));
}
