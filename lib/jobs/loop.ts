/** A job that runs `tick`, waits `intervalMs`, and again, until stopped. */
export type Loop = { stop(): Promise<void>; done: Promise<void> };

/**
 * `tick` must not throw (report inside it). `stop()` wakes the wait and lets a running tick
 * finish, so a graceful stop leaves no half-done round.
 */
export function startLoop(intervalMs: number, tick: () => Promise<void>): Loop {
  let stopping = false;
  let wake: (() => void) | null = null;
  const done = (async () => {
    while (!stopping) {
      await tick();
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, intervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();
  return {
    done,
    async stop() {
      stopping = true;
      (wake as (() => void) | null)?.();
      await done;
    },
  };
}
