import { getDatabase } from "@/db";
import { ConfigError } from "@/lib/config";

/** `npm run db:migrate`: apply committed migrations to the configured database. */
try {
  const handle = await getDatabase();
  console.log(`[db] migrations applied (${handle.kind})`);
  await handle.close();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
