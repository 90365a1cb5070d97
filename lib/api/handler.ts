import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { getDb, type Db } from "@/db";
import type { AuditContext } from "@/lib/audit";
import { clientIp } from "@/lib/auth/request-info";
import type { ApiPermission, PlanType } from "@/lib/domain";
import { authenticateApiKeyRequest, type ApiPrincipal } from "@/lib/merchants/api-keys";
import { getSystemConfig } from "@/lib/system-config";
import { ApiError, errorBody, jsonBody, toApiError, validationError } from "./errors";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  parseIdempotencyKey,
  releaseIdempotencyKey,
  requestFingerprint,
  type IdempotencyScope,
} from "./idempotency";
import { maybeSweepRateLimits, rateLimitDecision } from "./rate-limit";

/**
 * One wrapper for every /api/v1 route: request id, bearer-key authentication, per-key rate limit,
 * permission check, JSON body parsing with zod, Idempotency-Key on POST, and the error shape.
 * Route files stay thin: parse → call a command or query → return { status, body }.
 */

export const MAX_BODY_BYTES = 64 * 1024;
const PLAN_RATE_MULTIPLIER: Record<PlanType, number> = { free: 1, pro: 4, enterprise: 10 };

export type ApiContext<P> = {
  db: Db;
  request: Request;
  url: URL;
  params: P;
  principal: ApiPrincipal;
  requestId: string;
  audit: AuditContext;
  /** Parses the JSON body with `schema`, throwing a 400 naming the first bad field. */
  body<S extends z.ZodType>(schema: S): z.output<S>;
  /** Parses the query string with `schema`. */
  query<S extends z.ZodType>(schema: S): z.output<S>;
};

export type ApiResult = { status: number; body: unknown; headers?: Record<string, string> };

type RouteContext<P> = { params: Promise<P> };

function respond(status: number, body: string, headers: Record<string, string>): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

function bearerKey(request: Request): string {
  const header = request.headers.get("authorization");
  if (!header) {
    throw new ApiError(401, "auth.missing_key", "Send your API key as 'Authorization: Bearer sk_…'");
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new ApiError(401, "auth.malformed_header", "The Authorization header must be 'Bearer <API key>'");
  return match[1]!;
}

async function readBody(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) {
    throw new ApiError(413, "request.too_large", `The request body is limited to ${MAX_BODY_BYTES} bytes`);
  }
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new ApiError(413, "request.too_large", `The request body is limited to ${MAX_BODY_BYTES} bytes`);
  }
  return text;
}

/**
 * The path of the first string holding a NUL character, which PostgreSQL text cannot store.
 * Iterative, so a body nested thousands of levels deep cannot exhaust the stack.
 */
export function findNulPath(root: unknown): string | null {
  const stack: { value: unknown; path: string[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === "string") {
      if (value.includes("\u0000")) return path.join(".") || "(body)";
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, String(i)] });
    } else if (value && typeof value === "object") {
      const entries = Object.entries(value);
      for (const [key] of entries) {
        if (key.includes("\u0000")) return [...path, key.replaceAll("\u0000", "\\0")].join(".");
      }
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], path: [...path, entries[i]![0]] });
    }
  }
  return null;
}

function refuseNul(value: unknown, where: string): void {
  const path = findNulPath(value);
  if (path !== null) {
    throw new ApiError(400, "validation_failed", `Invalid ${where}: ${path} — must not contain NUL characters`, {
      issues: [{ path, message: "must not contain NUL characters", code: "invalid_string" }],
    });
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, "request.malformed_json", "The request body is not valid JSON");
  }
}

export function apiRoute<P = Record<string, never>>(
  options: { permission: ApiPermission },
  handler: (ctx: ApiContext<P>) => Promise<ApiResult>,
): (request: Request, context: RouteContext<P>) => Promise<Response> {
  return async (request, context) => {
    const supplied = request.headers.get("x-request-id");
    const requestId = supplied && /^[\w.:-]{1,100}$/.test(supplied) ? supplied : `req_${randomUUID()}`;
    const headers: Record<string, string> = { "x-request-id": requestId };
    let db: Db | null = null;
    let idempotency: IdempotencyScope | null = null;
    try {
      db = await getDb();
      const now = new Date();
      // One round trip authenticates the key and counts the request in its rate-limit window.
      const auth = await authenticateApiKeyRequest(db, bearerKey(request), now, { countRequest: true });
      const { principal } = auth;
      const config = await getSystemConfig(db);
      const limit = config.securitySettings.apiRateLimitPerMinute * PLAN_RATE_MULTIPLIER[principal.planType];
      const rate = rateLimitDecision(auth.requestsInWindow ?? 1, limit, auth.windowStart, now);
      await maybeSweepRateLimits(db, auth.windowStart);
      headers["x-ratelimit-limit"] = String(rate.limit);
      headers["x-ratelimit-remaining"] = String(rate.remaining);
      headers["x-ratelimit-reset"] = String(rate.resetSeconds);
      if (!rate.allowed) {
        throw new ApiError(
          429,
          "rate_limited",
          `Rate limit of ${rate.limit} requests per minute exceeded for this API key`,
          { limit: rate.limit, retryAfterSeconds: rate.resetSeconds },
          { "Retry-After": String(rate.resetSeconds) },
        );
      }
      if (!principal.permissions.includes(options.permission)) {
        throw new ApiError(403, "auth.missing_permission", `This API key lacks the ${options.permission} permission`, {
          required: options.permission,
        });
      }

      const url = new URL(request.url);
      const isPost = request.method === "POST";
      const rawBody = isPost ? await readBody(request) : "";
      let parsedBody: unknown;
      const audit: AuditContext = {
        actor: { type: "api_key", id: principal.apiKeyId },
        ipAddress: clientIp(request.headers),
        userAgent: request.headers.get("user-agent"),
        requestId,
      };

      const key = isPost ? parseIdempotencyKey(request.headers.get("idempotency-key")) : null;
      if (key) {
        const scope: IdempotencyScope = { merchantId: principal.merchantId, mode: principal.keyType, key };
        const claim = await claimIdempotencyKey(db, scope, requestFingerprint("POST", url.pathname, rawBody), now);
        if (claim.kind === "replay") {
          return respond(claim.status, claim.body, { ...headers, "idempotent-replayed": "true" });
        }
        idempotency = scope;
      }

      const params = await context.params;
      const result = await handler({
        db,
        request,
        url,
        params,
        principal,
        requestId,
        audit,
        body(schema) {
          parsedBody ??= parseJson(rawBody);
          refuseNul(parsedBody, "body");
          const parsed = schema.safeParse(parsedBody);
          if (!parsed.success) throw validationError(parsed.error, "body");
          return parsed.data;
        },
        query(schema) {
          const params = Object.fromEntries(url.searchParams);
          refuseNul(params, "query");
          const parsed = schema.safeParse(params);
          if (!parsed.success) throw validationError(parsed.error, "query");
          return parsed.data;
        },
      });
      const body = jsonBody(result.body);
      if (idempotency) {
        if (result.status < 300) await completeIdempotencyKey(db, idempotency, result.status, body);
        else await releaseIdempotencyKey(db, idempotency);
      }
      return respond(result.status, body, { ...headers, ...result.headers });
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.status >= 500 && apiError.code === "internal_error") {
        console.error(`[api] ${request.method} ${new URL(request.url).pathname} ${requestId}`, error);
      }
      if (idempotency && db) await releaseIdempotencyKey(db, idempotency).catch(() => {});
      return respond(apiError.status, errorBody(apiError, requestId), { ...headers, ...apiError.headers });
    }
  };
}
