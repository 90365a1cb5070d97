import { z } from "zod";
import { DomainError } from "@/lib/domain";

/**
 * The API's error shape: `{ "error": { "code", "message", "details" } }` with an HTTP status that
 * says what kind of failure it is. Domain errors carry a stable code; this maps codes to statuses.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const EXACT_STATUS: Record<string, number> = {
  "merchant.inactive": 403,
  "plan.permission_not_included": 403,
  "plan.limit_reached": 403,
  "customer.email_taken": 409,
  "merchant.email_taken": 409,
  "rates.unavailable": 503,
  "request.invalid_cursor": 400,
};

export function statusForDomainCode(code: string): number {
  const exact = EXACT_STATUS[code];
  if (exact) return exact;
  if (code.startsWith("auth.")) return 401;
  if (code.endsWith(".not_found")) return 404;
  if (code.endsWith(".illegal_transition")) return 409;
  return 422;
}

export function zodIssues(error: z.ZodError): { path: string; message: string; code: string }[] {
  return error.issues.slice(0, 50).map((issue) => ({
    path: issue.path.map(String).join(".") || "(body)",
    message: issue.message,
    code: issue.code,
  }));
}

export function validationError(error: z.ZodError, where = "body"): ApiError {
  const issues = zodIssues(error);
  const first = issues[0];
  return new ApiError(
    400,
    "validation_failed",
    first ? `Invalid ${where}: ${first.path} — ${first.message}` : `Invalid ${where}`,
    { issues },
  );
}

/** Any thrown value as an ApiError; unknown errors become an opaque 500. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof DomainError) {
    return new ApiError(statusForDomainCode(error.code), error.code, error.message, { ...(error.details ?? {}) });
  }
  if (error instanceof z.ZodError) return validationError(error);
  return new ApiError(500, "internal_error", "Something went wrong on our side; the request ID identifies it");
}

function jsonReplacer(_key: string, value: unknown) {
  return typeof value === "bigint" ? value.toString() : value;
}

export function jsonBody(value: unknown): string {
  return JSON.stringify(value, jsonReplacer);
}

export function errorBody(error: ApiError, requestId: string): string {
  return jsonBody({ error: { code: error.code, message: error.message, details: error.details, request_id: requestId } });
}
