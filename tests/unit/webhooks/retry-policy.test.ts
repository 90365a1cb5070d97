import { describe, expect, it } from "vitest";
import { backoffDelayMs, isRetryable, MAX_DELAY_MS, nextStep, type AttemptOutcome } from "@/lib/webhooks/retry-policy";

const NOW = new Date("2026-12-01T12:00:00Z");
const minutes = (step: ReturnType<typeof nextStep>) => (step.action === "retry" ? (step.at.getTime() - NOW.getTime()) / 60_000 : null);
const status = (s: number): AttemptOutcome => ({ kind: "response", status: s });

describe("webhook retry policy", () => {
  it.each([
    [{ kind: "network_error" } as const, true],
    [{ kind: "timeout" } as const, true],
    [status(408), true],
    [status(429), true],
    [status(500), true],
    [status(503), true],
    [status(599), true],
    [status(301), false],
    [status(302), false],
    [status(400), false],
    [status(401), false],
    [status(404), false],
    [status(410), false],
  ])("%o is retryable: %s", (outcome, expected) => {
    expect(isRetryable(outcome)).toBe(expected);
  });

  it("spaces retries linearly or exponentially, capped", () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayMs("linear", n) / 60_000)).toEqual([1, 2, 3, 4]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs("exponential", n) / 60_000)).toEqual([1, 2, 4, 8, 16]);
    expect(backoffDelayMs("exponential", 40)).toBe(MAX_DELAY_MS);
    expect(() => backoffDelayMs("linear", 0)).toThrow(RangeError);
  });

  it("retries up to MaxRetries times after the first attempt, then fails", () => {
    const endpoint = { maxRetries: 3, retryBackoff: "exponential" as const };
    const schedule = [1, 2, 3, 4].map((attempt) => nextStep(status(503), attempt, endpoint, NOW, () => 0));
    expect(schedule.slice(0, 3).map(minutes)).toEqual([1, 2, 4]);
    expect(schedule[3]).toEqual({ action: "failed", reason: "retries_exhausted" });
  });

  it("adds at most 10 % jitter", () => {
    const endpoint = { maxRetries: 5, retryBackoff: "linear" as const };
    expect(minutes(nextStep({ kind: "timeout" }, 2, endpoint, NOW, () => 0))).toBe(2);
    expect(minutes(nextStep({ kind: "timeout" }, 2, endpoint, NOW, () => 0.999999))).toBeCloseTo(2.2, 3);
  });

  it("stops at once on success and on an answer that will not change", () => {
    const endpoint = { maxRetries: 5, retryBackoff: "linear" as const };
    expect(nextStep(status(204), 1, endpoint, NOW)).toEqual({ action: "succeeded" });
    expect(nextStep(status(404), 1, endpoint, NOW)).toEqual({ action: "failed", reason: "not_retryable" });
    expect(nextStep(status(302), 1, endpoint, NOW)).toEqual({ action: "failed", reason: "not_retryable" });
  });
});
