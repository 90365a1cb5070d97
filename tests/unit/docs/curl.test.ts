import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { buildCurlExample, shellQuote } from "@/components/docs/curl";

/** What a POSIX shell makes of `words`: each argument on its own line, NUL-separated. */
function shellArgs(words: string): string[] {
  const out = execFileSync("sh", ["-c", `for a in ${words}; do printf '%s\\0' "$a"; done`], { encoding: "utf8" });
  return out.split("\0").slice(0, -1);
}

/** Runs the command with `curl` replaced by a function that prints its arguments. */
function curlArgs(command: string, env: Record<string, string> = {}): string[] {
  const script = `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${command}`;
  const out = execFileSync("sh", ["-c", script], { encoding: "utf8", env: { ...process.env, ...env } });
  return out.split("\0").slice(0, -1);
}

describe("shellQuote", () => {
  it.each(["plain", "it's", "'", "''", "a'b'c", '{"a":"b\'s"}', "$HOME `x` \\ \"q\"", "line\nbreak", ""])(
    "round-trips %j through sh",
    (value) => {
      expect(shellArgs(shellQuote(value))).toEqual([value]);
    },
  );

  it("escapes a single quote as '\\''", () => {
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });
});

describe("buildCurlExample", () => {
  it("builds a POST with auth, JSON content type, idempotency key and body", () => {
    const cmd = buildCurlExample("post", "/api/v1/invoices", {
      baseUrl: "$BASE",
      body: { title: "Pro plan", items: [{ quantity: 1, unit_price: "49.00" }] },
      idempotent: true,
    });
    expect(cmd).toBe(
      [
        'curl -X POST "$BASE/api/v1/invoices"',
        '-H "Authorization: Bearer sk_test_..."',
        '-H "Content-Type: application/json"',
        '-H "Idempotency-Key: order-1001"',
        `-d '{"title":"Pro plan","items":[{"quantity":1,"unit_price":"49.00"}]}'`,
      ].join(" \\\n  "),
    );
  });

  it("is a valid shell command whose body argument is the exact JSON (quotes escaped)", () => {
    const body = { title: "Bob's plan", description: "It's 'quoted' and \"double\" $HOME `x`" };
    const cmd = buildCurlExample("POST", "/api/v1/invoices", { baseUrl: "$BASE", body, idempotent: "order-'7'" });
    expect(cmd).toContain(`'\\''`);
    const args = curlArgs(cmd, { BASE: "https://pay.example.com" });
    expect(args).toEqual([
      "-X",
      "POST",
      "https://pay.example.com/api/v1/invoices",
      "-H",
      "Authorization: Bearer sk_test_...",
      "-H",
      "Content-Type: application/json",
      "-H",
      "Idempotency-Key: order-'7'",
      "-d",
      JSON.stringify(body),
    ]);
    expect(JSON.parse(args.at(-1)!)).toEqual(body);
  });

  it("keeps a pretty-printed body intact across lines", () => {
    const body = { items: [{ description: "Pro plan, 1 month" }] };
    const cmd = buildCurlExample("POST", "/invoices", { baseUrl: "https://x.test", body, pretty: true });
    expect(cmd).toContain(`-d '{\n    "items": [`);
    expect(cmd.endsWith("\n  }'")).toBe(true);
    expect(JSON.parse(curlArgs(cmd).at(-1)!)).toEqual(body);
  });

  it("builds a GET without -X, content type, idempotency key or body", () => {
    const cmd = buildCurlExample("GET", "/api/v1/invoices", {
      baseUrl: "https://pay.example.com/",
      query: { limit: "10", status: "pending,partial", q: undefined },
      idempotent: false,
    });
    expect(cmd).toBe(
      'curl "https://pay.example.com/api/v1/invoices?limit=10&status=pending,partial" \\\n  -H "Authorization: Bearer sk_test_..."',
    );
  });

  it("sends a POST without a body when there is none (no Content-Type)", () => {
    const cmd = buildCurlExample("post", "/api/v1/customers/abc/block", { baseUrl: "https://x.test", idempotent: "block-1" });
    expect(cmd).not.toContain("Content-Type");
    expect(cmd).not.toContain("-d ");
    expect(curlArgs(cmd)).toEqual([
      "-X",
      "POST",
      "https://x.test/api/v1/customers/abc/block",
      "-H",
      "Authorization: Bearer sk_test_...",
      "-H",
      "Idempotency-Key: block-1",
    ]);
  });

  it("escapes double quotes and backticks in the URL but lets $VARIABLES expand", () => {
    const cmd = buildCurlExample("GET", '/a"b`c', { baseUrl: "$BASE", apiKey: "sk_live_123" });
    expect(curlArgs(cmd, { BASE: "https://h.test" })).toEqual([
      'https://h.test/a"b`c',
      "-H",
      "Authorization: Bearer sk_live_123",
    ]);
  });

  it("accepts a ready-made JSON string body", () => {
    const cmd = buildCurlExample("POST", "/x", { baseUrl: "https://h.test", body: '{"a":"it\'s"}' });
    expect(curlArgs(cmd).at(-1)).toBe('{"a":"it\'s"}');
  });
});
