import { getDatabase } from "@/db";
import { ConfigError } from "@/lib/config";
import { prepareDatabase } from "@/lib/startup";

/** `npm run db:seed`: migrate, then create the admin and demo data if they are missing. */
try {
  await prepareDatabase();
  await (await getDatabase()).close();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
