import { createHash, timingSafeEqual } from "node:crypto";
import { jsonBody } from "@/lib/api/errors";

/**
 * Guard of the /api/cron/* routes: `Authorization: Bearer <CRON_SECRET>`, compared in constant
 * time (both sides hashed first, so neither the length nor a prefix leaks). Fails closed: with no
 * secret configured every call is refused with 503, never let through.
 */
export function refuseUnlessCron(request: Request, secret: string | undefined): Response | null {
  if (!secret) {
    return cronError(503, "cron.not_configured", "Set CRON_SECRET to enable the cron routes");
  }
  const header = request.headers.get("authorization") ?? "";
  const presented = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : "";
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  if (!presented || !timingSafeEqual(digest(presented), digest(secret))) {
    return cronError(401, "cron.unauthorized", "A valid bearer secret is required");
  }
  return null;
}

function cronError(status: number, code: string, message: string): Response {
  return new Response(jsonBody({ error: { code, message } }), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...(status === 401 ? { "www-authenticate": 'Bearer realm="cron"' } : {}) },
  });
}

export function cronJson(value: unknown): Response {
  return new Response(jsonBody(value), { headers: { "content-type": "application/json", "cache-control": "no-store" } });
}
