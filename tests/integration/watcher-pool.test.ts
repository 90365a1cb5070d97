import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import type { ChainAdapter } from "@/lib/chains/types";
import { pollAllChains } from "@/lib/jobs/watcher";
import { preparePaymentDatabase } from "../helpers/payment-flow";

const adapter: ChainAdapter = {
  network: "ethereum", description: "fake", maxBlocksPerScan: 5,
  head: async () => ({ number: 1n, hash: "0x1" }),
  block: async (n) => ({ number: n, hash: `0x${n}`, parentHash: n > 0n ? `0x${n - 1n}` : null, timestamp: new Date() }),
  scan: async (from, to) => { const blocks = []; for (let n = from; n <= to; n++) blocks.push({ number: n, hash: `0x${n}`, parentHash: n > 0n ? `0x${n - 1n}` : null, timestamp: new Date() }); return { blocks, transfers: [] }; },
  lookup: async () => ({ state: "missing", reason: "x" }),
};

describe.runIf(!!process.env.DATABASE_URL)("the watcher and a small connection pool", () => {
  it("polling several sources needs two connections, whatever their number", async () => {
    const name = `test_${randomBytes(6).toString("hex")}`;
    const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const url = new URL(process.env.DATABASE_URL!); url.pathname = `/${name}`;
    const h = await openDatabase({ url: url.toString(), poolMax: 2 });
    try {
      await preparePaymentDatabase(h.db);
      const sources = ["a", "b"].map((s) => ({ id: `ethereum:${s}`, network: "ethereum" as const, livemode: false, adapter, startBlock: 0n }));
      const outcome = await Promise.race([
        pollAllChains(h.db, sources).then(() => "finished"),
        new Promise((r) => setTimeout(() => r("still waiting after 5 s"), 5000)),
      ]);
      expect(outcome).toBe("finished");
    } finally {
      await Promise.race([h.close(), new Promise((r) => setTimeout(r, 2000))]);
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    }
  }, 20_000);
});
