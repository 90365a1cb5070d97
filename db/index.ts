import { settings } from "@/lib/config";
import { openDatabase, type DatabaseHandle, type Db } from "./client";

export { queryRows, type Db, type Executor, type Tx } from "./client";

/**
 * The application's database, opened (and migrated) once per process. Kept on globalThis because
 * Next bundles server code into several module graphs (instrumentation, routes, dev reloads) and
 * PGlite allows one opener per data directory.
 */
const globalKey = Symbol.for("cryptocheckout.database");
type GlobalWithDb = typeof globalThis & { [globalKey]?: Promise<DatabaseHandle> };

export function getDatabase(): Promise<DatabaseHandle> {
  const g = globalThis as GlobalWithDb;
  g[globalKey] ??= (async () => {
    const s = settings();
    return openDatabase({
      url: s.DATABASE_URL,
      dataDir: s.PGLITE_DIR,
      poolMax: s.DATABASE_POOL_MAX,
    });
  })().catch((error: unknown) => {
    delete g[globalKey];
    throw error;
  });
  return g[globalKey];
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

/** Points getDb() at an already-open database: integration tests drive route handlers this way. */
export function setDatabaseForTesting(handle: DatabaseHandle): void {
  (globalThis as GlobalWithDb)[globalKey] = Promise.resolve(handle);
}
