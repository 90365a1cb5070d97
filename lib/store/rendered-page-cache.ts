import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db";
import { CatalogCache, catalogCache } from "./catalog-cache";

/**
 * The storefront catalog's rendered HTML, kept per query string and reused while catalog_version
 * is unchanged: a hit is a lookup and a write of stored bytes instead of a React render, which is
 * what lets one process answer 50 concurrent shoppers quickly (docs/benchmarks.md).
 *
 * Next sends a proxy's response as it is, without compressing it (and drops a Content-Encoding the
 * proxy sets), so cached pages leave uncompressed: the reverse proxy in front of the app (needed
 * for TLS anyway) should compress, as the README says.
 *
 * A miss renders the page through the server itself: a loopback request carrying this process's
 * bypass token, which the proxy lets through to Next. Anything unusual (a client navigation's RSC
 * request, a non-200 answer, the loopback failing) falls back to Next rendering as usual, so the
 * cache can only make a request faster, never wrong: the version is read on every request, and it
 * moves in the same transaction as any change to what the catalog shows.
 *
 * Under `npm start` (scripts/server.mjs) a hit does not even reach Next: this module registers
 * `serveCatalogFromNode` on globalThis, and the Node server calls it before handing a request to
 * Next. Both paths share one cache and one set of rules; the proxy's path remains for `next dev`
 * and `next start`.
 */

const BYPASS_HEADER = "x-catalog-render";
const bypassToken = randomUUID();
const MAX_PAGES = 200;
const RENDER_TIMEOUT_MS = 10_000;
/** Hop-by-hop and per-response headers: recomputed for each answer, never replayed. */
const NOT_STORED = new Set(["content-length", "content-encoding", "transfer-encoding", "connection", "keep-alive", "date", "set-cookie", "vary"]);

type StoredPage = { headers: [string, string][]; body: Buffer<ArrayBuffer> };

const pages = new CatalogCache(MAX_PAGES);

function cacheable(request: NextRequest): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  // Client-side navigations and prefetches ask for the RSC payload, not HTML.
  if (request.headers.has("rsc") || request.headers.has("next-router-prefetch") || request.nextUrl.searchParams.has("_rsc")) return false;
  return request.headers.get(BYPASS_HEADER) !== bypassToken;
}

async function render(search: string): Promise<StoredPage> {
  const port = process.env.PORT ?? "3000";
  const response = await fetch(`http://127.0.0.1:${port}/${search}`, {
    headers: { [BYPASS_HEADER]: bypassToken, "accept-encoding": "identity" },
    redirect: "manual",
    signal: AbortSignal.timeout(RENDER_TIMEOUT_MS),
  });
  const type = response.headers.get("content-type") ?? "";
  if (response.status !== 200 || !type.startsWith("text/html")) {
    await response.body?.cancel();
    throw new Error(`the catalog render answered ${response.status} ${type}`);
  }
  return { headers: [...response.headers].filter(([name]) => !NOT_STORED.has(name)), body: Buffer.from(await response.arrayBuffer()) };
}

/** The page for `search` at the current catalog version, and whether this request rendered it. */
async function lookup(search: string): Promise<{ page: StoredPage; rendered: boolean }> {
  const version = await catalogCache().version(await getDb());
  let rendered = false;
  const page = await pages.read(search, version, () => {
    rendered = true;
    return render(search);
  });
  return { page, rendered };
}

export async function serveCatalogPage(request: NextRequest): Promise<Response> {
  if (!cacheable(request)) return NextResponse.next();
  try {
    const { page, rendered } = await lookup(request.nextUrl.search);
    const headers = new Headers(page.headers);
    headers.set("x-catalog-cache", rendered ? "miss" : "hit");
    // The stored bytes themselves (a Buffer is a Uint8Array): no copy per request.
    return new Response(request.method === "HEAD" ? null : (page.body as Uint8Array<ArrayBuffer>), { status: 200, headers });
  } catch {
    return NextResponse.next();
  }
}

/**
 * The same answer written straight to Node's response, for scripts/server.mjs. Resolves false,
 * having written nothing, for any request that is not a cacheable catalog page or whose page
 * cannot be had: the server then hands it to Next.
 */
export async function serveCatalogFromNode(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const url = req.url ?? "";
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (url !== "/" && !url.startsWith("/?")) return false;
  const { headers } = req;
  if (headers.rsc !== undefined || headers["next-router-prefetch"] !== undefined || headers[BYPASS_HEADER] === bypassToken) return false;
  const search = new URL(url, "http://localhost").search;
  if (new URLSearchParams(search).has("_rsc")) return false;
  let found: Awaited<ReturnType<typeof lookup>>;
  try {
    found = await lookup(search);
  } catch {
    return false;
  }
  const { page, rendered } = found;
  const out: string[] = [];
  for (const [name, value] of page.headers) out.push(name, value);
  out.push("x-catalog-cache", rendered ? "miss" : "hit", "content-length", String(page.body.length));
  res.writeHead(200, out);
  res.end(req.method === "HEAD" ? undefined : page.body);
  return true;
}

const fastPathKey = Symbol.for("cryptocheckout.catalogFastPath");
(globalThis as typeof globalThis & { [fastPathKey]?: typeof serveCatalogFromNode })[fastPathKey] = serveCatalogFromNode;
