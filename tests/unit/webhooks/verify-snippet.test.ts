import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { signWebhook } from "@/lib/webhooks/signature";
import { VERIFY_SNIPPET } from "@/lib/webhooks/verify-snippet";

// The snippet shown to merchants, run as they would run it: its own module, plain Node.
const dir = mkdtempSync(path.join(tmpdir(), "verify-snippet-"));
const file = path.join(dir, "verify.mjs");
writeFileSync(file, VERIFY_SNIPPET);
type Verify = (rawBody: string | Buffer, header: string, secret: string, toleranceSeconds?: number) => boolean;
const load = async () => ((await import(pathToFileURL(file).href)) as { verify: Verify }).verify;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the signature check shown in the dashboard", () => {
  const secret = "whsec_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
  const body = JSON.stringify({ id: "3f1c8a4e-9b2d-4c1e-8f00-2a6b5c4d3e21", type: "InvoicePaid", data: { total: "12.50" } });
  const now = () => Math.floor(Date.now() / 1000);

  it("accepts a delivery signed by the sender, as a string or raw bytes", async () => {
    const verify = await load();
    const header = signWebhook(secret, body, now());
    expect(verify(body, header, secret)).toBe(true);
    expect(verify(Buffer.from(body), header, secret)).toBe(true);
  });

  it("rejects a changed body, another secret, an old timestamp and a malformed header", async () => {
    const verify = await load();
    const header = signWebhook(secret, body, now());
    expect(verify(body.replace("12.50", "1250"), header, secret)).toBe(false);
    expect(verify(body, header, `${secret}x`)).toBe(false);
    expect(verify(body, signWebhook(secret, body, now() - 301), secret)).toBe(false);
    expect(verify(body, "v1=abc", secret)).toBe(false);
    expect(verify(body, `t=${now()},v1=zz`, secret)).toBe(false);
  });
});
