import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { checkDestination, type CidrList } from "./destination-policy";
import type { AttemptOutcome } from "./retry-policy";

/**
 * One webhook POST, sent only to an address that passed the destination policy. The name is
 * resolved here, every address it resolves to is checked (a name with one internal address among
 * public ones is refused), and the connection is made to the checked address through the request's
 * `lookup` hook, so a DNS answer that changes between the check and the connect (rebinding) cannot
 * redirect it. The URL's host still goes in the Host header and, for https, in SNI and the
 * certificate check. Redirects are not followed: a 3xx is the answer.
 */

export const RESPONSE_BODY_LIMIT = 2_048;
/** Reading stops here: a receiver cannot make the worker buffer a large answer. */
const READ_LIMIT = 64 * 1024;

export type SendRequest = { url: string; body: string; headers: Record<string, string>; timeoutMs: number };
export type SendPolicy = { allowPrivateTargets: boolean; allowedIps: CidrList | null };
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export type SendResult =
  | { kind: "sent"; outcome: AttemptOutcome; statusCode: number | null; latencyMs: number; responseBody: string | null; error: string | null; address: string }
  | { kind: "refused"; error: string; address: string | null };

const defaultResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export async function sendWebhook(request: SendRequest, policy: SendPolicy, resolve: Resolver = defaultResolver): Promise<SendResult> {
  const url = new URL(request.url);
  if (url.protocol !== "https:" && url.protocol !== "http:") return { kind: "refused", error: `unsupported scheme ${url.protocol}`, address: null };
  const hostname = url.hostname.replace(/^\[|\]$/g, "");

  let addresses: { address: string; family: number }[];
  if (isIP(hostname)) addresses = [{ address: hostname, family: isIP(hostname) }];
  else {
    try {
      addresses = await resolve(hostname);
    } catch (error) {
      return { kind: "sent", outcome: { kind: "network_error" }, statusCode: null, latencyMs: 0, responseBody: null, error: `DNS lookup failed: ${describe(error)}`, address: "" };
    }
  }
  if (addresses.length === 0) return { kind: "sent", outcome: { kind: "network_error" }, statusCode: null, latencyMs: 0, responseBody: null, error: "DNS lookup returned no address", address: "" };
  for (const { address } of addresses) {
    const verdict = checkDestination(address, { allowPrivateTargets: policy.allowPrivateTargets, allowedIps: policy.allowedIps });
    if (!verdict.allowed) {
      const why = verdict.reason === "not_in_allowed_ips" ? "is outside the endpoint's allowed IP ranges" : `is a ${verdict.reason.replace("_", "-")} address`;
      return { kind: "refused", error: `Refused: ${hostname} resolves to ${address}, which ${why}`, address };
    }
  }
  const pinned = addresses[0]!;
  return post(url, request, pinned);
}

function post(url: URL, request: SendRequest, pinned: { address: string; family: number }): Promise<SendResult> {
  const pinnedLookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const client = url.protocol === "https:" ? https : http;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = client.request(
      url,
      {
        method: "POST",
        headers: { ...request.headers, "content-length": String(Buffer.byteLength(request.body)) },
        lookup: pinnedLookup,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const text = Buffer.concat(chunks).toString("utf8");
          finish({
            kind: "sent",
            outcome: { kind: "response", status: res.statusCode ?? 0 },
            statusCode: res.statusCode ?? null,
            latencyMs: elapsed(),
            responseBody: text.length > RESPONSE_BODY_LIMIT ? `${text.slice(0, RESPONSE_BODY_LIMIT)}…` : text,
            error: null,
            address: pinned.address,
          });
          res.destroy();
        };
        res.on("data", (chunk: Buffer) => {
          if (size < READ_LIMIT) chunks.push(chunk);
          size += chunk.length;
          if (size >= READ_LIMIT) done();
        });
        res.on("end", done);
        res.on("error", done);
      },
    );
    const timer = setTimeout(() => {
      finish({ kind: "sent", outcome: { kind: "timeout" }, statusCode: null, latencyMs: elapsed(), responseBody: null, error: `No answer within ${request.timeoutMs / 1000} s`, address: pinned.address });
      req.destroy();
    }, request.timeoutMs);
    req.on("error", (error) => {
      finish({ kind: "sent", outcome: { kind: "network_error" }, statusCode: null, latencyMs: elapsed(), responseBody: null, error: describe(error), address: pinned.address });
    });
    req.end(request.body);
  });
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return (code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message).slice(0, 500);
}
