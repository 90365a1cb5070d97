import { describe, expect, it } from "vitest";
import type { Db } from "@/db";
import { startWatcher } from "@/lib/jobs/watcher";
import type { WatchSource } from "@/lib/jobs/poll-chains";

describe("the watcher survives a database outage", () => {
  it("a failure to take the lock connection is reported and the loop goes on", async () => {
    let reserveCalls = 0;
    const db = { $client: { reserve: async () => { reserveCalls++; throw new Error("connect ECONNREFUSED 127.0.0.1:5432"); } } } as unknown as Db;
    const source = { id: "ethereum:test", network: "ethereum", livemode: false, adapter: {} } as unknown as WatchSource;
    const ticks: unknown[] = [];
    const watcher = startWatcher(db, { intervalMs: 10, sources: async () => [source], onTick: (t) => ticks.push(t) });
    const outcome = await Promise.race([
      watcher.done.then(() => "loop ended normally", (e: unknown) => `loop died: ${(e as Error).message}`),
      new Promise((r) => setTimeout(() => r("still running"), 300)),
    ]);
    await watcher.stop();
    expect(outcome).toBe("still running");
    expect(reserveCalls).toBeGreaterThan(1); // it kept trying
    expect(ticks.length).toBeGreaterThan(1);
    expect(ticks[0]).toMatchObject({ polls: [{ source: "ethereum:test", error: expect.stringMatching(/ECONNREFUSED/) }] });
  });
});
