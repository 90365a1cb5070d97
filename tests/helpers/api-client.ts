import * as customerBlock from "@/app/api/v1/customers/[id]/block/route";
import * as customerOne from "@/app/api/v1/customers/[id]/route";
import * as customerUnblock from "@/app/api/v1/customers/[id]/unblock/route";
import * as customersRoot from "@/app/api/v1/customers/route";
import * as invoiceCancel from "@/app/api/v1/invoices/[id]/cancel/route";
import * as invoiceOne from "@/app/api/v1/invoices/[id]/route";
import * as invoicesRoot from "@/app/api/v1/invoices/route";
import * as payStatus from "@/app/api/pay/[invoiceId]/status/route";

/**
 * Calls the real route handlers with real Request objects, the way Next's router would, so the
 * integration tests exercise the whole HTTP layer (auth, limits, idempotency, errors) in-process.
 */

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Route = { pattern: RegExp; names: string[]; module: Record<string, unknown> };

const routes: Route[] = [
  { pattern: /^\/api\/v1\/invoices$/, names: [], module: invoicesRoot },
  { pattern: /^\/api\/v1\/invoices\/([^/]+)$/, names: ["id"], module: invoiceOne },
  { pattern: /^\/api\/v1\/invoices\/([^/]+)\/cancel$/, names: ["id"], module: invoiceCancel },
  { pattern: /^\/api\/v1\/customers$/, names: [], module: customersRoot },
  { pattern: /^\/api\/v1\/customers\/([^/]+)$/, names: ["id"], module: customerOne },
  { pattern: /^\/api\/v1\/customers\/([^/]+)\/block$/, names: ["id"], module: customerBlock },
  { pattern: /^\/api\/v1\/customers\/([^/]+)\/unblock$/, names: ["id"], module: customerUnblock },
  { pattern: /^\/api\/pay\/([^/]+)\/status$/, names: ["invoiceId"], module: payStatus },
];

export type ApiCall = {
  key?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
};

export type ApiResponse<T = Record<string, unknown>> = { status: number; headers: Headers; json: T; text: string };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read loosely-typed JSON
export async function api<T = any>(method: "GET" | "POST", pathWithQuery: string, call: ApiCall = {}): Promise<ApiResponse<T>> {
  const url = new URL(pathWithQuery, "http://localhost:3000");
  const route = routes.find((r) => r.pattern.test(url.pathname));
  if (!route) throw new Error(`no route for ${url.pathname}`);
  const match = route.pattern.exec(url.pathname)!;
  const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(match[i + 1]!)]));
  const handler = route.module[method] as Handler | undefined;
  if (!handler) return { status: 405, headers: new Headers(), json: {} as T, text: "" };
  const headers = new Headers(call.headers);
  if (call.key) headers.set("authorization", `Bearer ${call.key}`);
  const body = call.rawBody ?? (call.body !== undefined ? JSON.stringify(call.body) : undefined);
  if (body !== undefined) headers.set("content-type", "application/json");
  const response = await handler(new Request(url, { method, headers, body: method === "POST" ? (body ?? "") : undefined }), {
    params: Promise.resolve(params),
  });
  const text = await response.text();
  let json: unknown = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = { unparsable: text };
  }
  return { status: response.status, headers: response.headers, json: json as T, text };
}
