// A delivery worker in its own process, for the crash test: relays the outbox and sends webhooks
// every 100 ms against DATABASE_URL, with the key-encryption key from TEST_KEK (id:base64) and a
// short lease margin, printing one JSON line per tick. Killed with SIGKILL by the test.
import { openDatabase } from "@/db/client";
import { startDeliveryWorker } from "@/lib/jobs/delivery-worker";

const [id, key] = (process.env.TEST_KEK ?? "").split(":") as [string, string];
const handle = await openDatabase({ url: process.env.DATABASE_URL, poolMax: 4 });
startDeliveryWorker(handle.db, {
  intervalMs: 100,
  delivery: { keks: [{ id, key: Buffer.from(key, "base64") }], leaseMarginSeconds: 1, concurrency: 2 },
  onTick: (tick) => console.log(JSON.stringify(tick)),
});
console.log("ready");
