import { getDatabase } from "@/db";
import { ensureSeeded, type SeedResult } from "@/db/seed";
import { ConfigError, settings } from "@/lib/config";
import { currentKek } from "@/lib/crypto/keys";

/**
 * Opens (and migrates) the database and seeds an empty one. Run once per server start from
 * instrumentation.ts, and by `npm run db:seed`.
 */
export async function prepareDatabase(): Promise<SeedResult> {
  const s = settings();
  const { db, kind } = await getDatabase();
  const result = await ensureSeeded(db, {
    adminUsername: s.ADMIN_USERNAME,
    adminPassword: s.ADMIN_PASSWORD,
    demoData: s.SEED_DEMO_DATA,
    storeName: s.STORE_NAME,
    kek: currentKek(),
  });
  const where = kind === "pglite" ? `embedded PGlite at ${s.PGLITE_DIR}` : "PostgreSQL (DATABASE_URL)";
  console.log(`[db] ready: ${where}${result.demoDataCreated ? "; demo data created" : ""}`);
  if (result.generatedAdminPassword) {
    // Printed exactly once, when the admin is created; only its hash is stored.
    console.log(
      [
        "",
        "  ┌──────────────────────────────────────────────────────────┐",
        "  │ Admin account created (shown once, store it now)         │",
        `  │   username: ${s.ADMIN_USERNAME.padEnd(45)}│`,
        `  │   password: ${result.generatedAdminPassword.padEnd(45)}│`,
        "  │   sign in:  /admin/sign-in                               │",
        "  └──────────────────────────────────────────────────────────┘",
        "",
      ].join("\n"),
    );
  } else if (result.adminCreated) {
    console.log(`[db] admin "${s.ADMIN_USERNAME}" created with the password from ADMIN_PASSWORD`);
  }
  return result;
}

/** Server start: a configuration error ends the process with the message, not a stack trace. */
export async function startServer(): Promise<void> {
  try {
    await prepareDatabase();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
