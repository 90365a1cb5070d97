/**
 * Builds copy-pasteable curl commands for the API reference. Pure: no React, no environment.
 *
 * The URL goes in double quotes so that a `$BASE`-style variable in `baseUrl` still expands; the
 * characters that are special inside double quotes (`"`, `\`, `` ` ``) are escaped. The JSON body
 * goes in single quotes, where nothing expands; a single quote inside it becomes `'\''` (close the
 * quote, an escaped quote, reopen).
 */

export const EXAMPLE_API_KEY = "sk_test_...";
export const EXAMPLE_IDEMPOTENCY_KEY = "order-1001";

export type CurlOptions = {
  /** Prefix of the request URL: an origin ("https://pay.example.com") or a shell variable ("$BASE"). */
  baseUrl: string;
  /** A JSON value (serialised here) or a ready-made JSON string. */
  body?: unknown;
  /** Adds an Idempotency-Key header: `true` uses "order-1001", a string is used as the key. */
  idempotent?: boolean | string;
  /** Query parameters appended to the URL; commas stay readable. */
  query?: Record<string, string | number | boolean | undefined>;
  /** Defaults to "sk_test_...". */
  apiKey?: string;
  /** Indent the JSON body across lines (valid shell: newlines are literal inside single quotes). */
  pretty?: boolean;
};

/** Quotes a string for POSIX shells: 'it'\''s'. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Escapes what is special inside double quotes, except `$` (so variables still expand). */
function doubleQuote(value: string): string {
  return `"${value.replace(/[\\"`]/g, (c) => `\\${c}`)}"`;
}

function queryString(query: CurlOptions["query"]): string {
  const pairs = Object.entries(query ?? {}).filter(([, v]) => v !== undefined && v !== "");
  if (pairs.length === 0) return "";
  return (
    "?" +
    pairs
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v)).replace(/%2C/gi, ",")}`)
      .join("&")
  );
}

export function buildCurlExample(method: string, path: string, options: CurlOptions): string {
  const verb = method.toUpperCase();
  const url = `${options.baseUrl.replace(/\/+$/, "")}${path.startsWith("/") ? path : `/${path}`}${queryString(options.query)}`;
  const hasBody = options.body !== undefined;
  const lines = [`curl ${verb === "GET" ? "" : `-X ${verb} `}${doubleQuote(url)}`];
  lines.push(`-H "Authorization: Bearer ${options.apiKey ?? EXAMPLE_API_KEY}"`);
  if (hasBody) lines.push(`-H "Content-Type: application/json"`);
  if (options.idempotent) {
    const key = typeof options.idempotent === "string" ? options.idempotent : EXAMPLE_IDEMPOTENCY_KEY;
    lines.push(`-H ${doubleQuote(`Idempotency-Key: ${key}`)}`);
  }
  if (hasBody) {
    const json =
      typeof options.body === "string"
        ? options.body
        : options.pretty
          ? // Indented under the -d; JSON.stringify escapes newlines in strings, so these are whitespace.
            JSON.stringify(options.body, null, 2).replace(/\n/g, "\n  ")
          : JSON.stringify(options.body);
    lines.push(`-d ${shellQuote(json)}`);
  }
  return lines.join(" \\\n  ");
}
