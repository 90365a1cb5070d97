import { parseJsonNumbersAsStrings } from "./lossless-json";
import type { FetchImpl, HttpProviderOptions } from "./types";

export const DEFAULT_PROVIDER_TIMEOUT_MS = 5_000;
/** Ticker responses are a few KB; anything far bigger is not what we asked for. */
const MAX_BODY_CHARS = 1_000_000;

/** A request that produced no usable document (transport, HTTP status, timeout, bad JSON). */
export class ProviderRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProviderRequestError";
  }
}

export type ResolvedHttpOptions = { baseUrl: string; timeoutMs: number; fetchImpl: FetchImpl | undefined };

export function resolveHttpOptions(options: HttpProviderOptions, defaultBaseUrl: string): ResolvedHttpOptions {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError(`Provider timeout must be a positive integer of milliseconds, got ${timeoutMs}`);
  }
  return {
    baseUrl: (options.baseUrl ?? defaultBaseUrl).replace(/\/+$/, ""),
    timeoutMs,
    fetchImpl: options.fetchImpl,
  };
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

/**
 * GETs `url` and parses the body as JSON with every number kept as its literal text.
 * Throws ProviderRequestError with a diagnostic message; the adapters turn it into absent quotes.
 */
export async function getJson(url: string, http: ResolvedHttpOptions, signal?: AbortSignal): Promise<unknown> {
  const timeout = AbortSignal.timeout(http.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const fetchImpl = http.fetchImpl ?? globalThis.fetch;
  let text: string;
  try {
    const response = await fetchImpl(url, {
      method: "GET",
      headers: { accept: "application/json" },
      signal: combined,
      redirect: "error",
    });
    text = await response.text();
    if (!response.ok) {
      throw new ProviderRequestError(`HTTP ${response.status}${text ? `: ${snippet(text)}` : ""}`);
    }
  } catch (error) {
    if (error instanceof ProviderRequestError) throw error;
    if (timeout.aborted) throw new ProviderRequestError(`timed out after ${http.timeoutMs} ms`);
    if (signal?.aborted) throw new ProviderRequestError("request aborted");
    const cause = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    throw new ProviderRequestError(`request failed: ${cause}`);
  }
  if (text.length > MAX_BODY_CHARS) throw new ProviderRequestError(`response too large (${text.length} chars)`);
  try {
    return parseJsonNumbersAsStrings(text);
  } catch {
    throw new ProviderRequestError(`invalid JSON: ${snippet(text) || "(empty body)"}`);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Own property only: a feed answering {"__proto__": ...} must not reach Object.prototype. */
export function field(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Sentinel for a request that failed and was reported: the provider then yields no quotes. */
export const FETCH_FAILED = Symbol("fetch failed");

/** getJson that reports a failure through `report` instead of throwing. */
export async function getJsonOrReport(
  url: string,
  http: ResolvedHttpOptions,
  opts: { signal?: AbortSignal; onError?: (message: string) => void },
): Promise<unknown> {
  try {
    return await getJson(url, http, opts.signal);
  } catch (error) {
    (opts.onError ?? (() => {}))(errorMessage(error));
    return FETCH_FAILED;
  }
}
