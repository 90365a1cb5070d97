import { randomUUID } from "node:crypto";
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

export async function serveCatalogPage(request: NextRequest): Promise<Response> {
  if (!cacheable(request)) return NextResponse.next();
  try {
    const version = await catalogCache().version(await getDb());
    let rendered = false;
    const page = await pages.read(request.nextUrl.search, version, () => {
      rendered = true;
      return render(request.nextUrl.search);
    });
    const headers = new Headers(page.headers);
    headers.set("x-catalog-cache", rendered ? "miss" : "hit");
    // The stored bytes themselves (a Buffer is a Uint8Array): no copy per request.
    return new Response(request.method === "HEAD" ? null : (page.body as Uint8Array<ArrayBuffer>), { status: 200, headers });
  } catch {
    return NextResponse.next();
  }
}
