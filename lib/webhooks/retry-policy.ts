/**
 * When a webhook delivery is tried again. Only answers that may succeed later are retried: a
 * network error or timeout, 408, 429 and 5xx. Any other answer (2xx is success; 3xx is not
 * followed; 4xx says the receiver refuses this request) ends the delivery. A delivery gets the
 * endpoint's MaxRetries retries after its first attempt, spaced by its RetryBackoff:
 *
 *   linear       base × n            (1, 2, 3, 4… minutes)
 *   exponential  base × 2^(n-1)      (1, 2, 4, 8… minutes)
 *
 * each capped at MAX_DELAY_MS, with up to 10 % of random jitter added so that many deliveries that
 * failed together (a receiver outage) do not all come back at the same moment.
 */

export type RetryBackoff = "linear" | "exponential";

export const BASE_DELAY_MS = 60_000;
export const MAX_DELAY_MS = 6 * 60 * 60_000;
export const JITTER_RATIO = 0.1;

export type AttemptOutcome = { kind: "response"; status: number } | { kind: "network_error" } | { kind: "timeout" };

export function isSuccess(outcome: AttemptOutcome): boolean {
  return outcome.kind === "response" && outcome.status >= 200 && outcome.status < 300;
}

export function isRetryable(outcome: AttemptOutcome): boolean {
  if (outcome.kind !== "response") return true;
  const { status } = outcome;
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/** The wait before retry number `retry` (1 = the first retry), without jitter. */
export function backoffDelayMs(strategy: RetryBackoff, retry: number): number {
  if (!Number.isSafeInteger(retry) || retry < 1) throw new RangeError("retry must be 1 or more");
  const delay = strategy === "linear" ? BASE_DELAY_MS * retry : BASE_DELAY_MS * 2 ** Math.min(retry - 1, 30);
  return Math.min(delay, MAX_DELAY_MS);
}

export type NextStep = { action: "succeeded" } | { action: "failed"; reason: "not_retryable" | "retries_exhausted" } | { action: "retry"; at: Date };

/**
 * After attempt number `attempt` (1 = the first try) ended with `outcome`: done, failed for good,
 * or the time of the next try. `random` is injectable so tests can pin the jitter.
 */
export function nextStep(
  outcome: AttemptOutcome,
  attempt: number,
  endpoint: { maxRetries: number; retryBackoff: RetryBackoff },
  now: Date,
  random: () => number = Math.random,
): NextStep {
  if (isSuccess(outcome)) return { action: "succeeded" };
  if (!isRetryable(outcome)) return { action: "failed", reason: "not_retryable" };
  const retry = attempt; // the retry that would follow this attempt
  if (retry > endpoint.maxRetries) return { action: "failed", reason: "retries_exhausted" };
  const delay = backoffDelayMs(endpoint.retryBackoff, retry);
  const jitter = Math.floor(delay * JITTER_RATIO * Math.min(Math.max(random(), 0), 1));
  return { action: "retry", at: new Date(now.getTime() + delay + jitter) };
}
