import { describe, expect, it } from "vitest";
import { generateWebhookSecret, webhookEndpointSchema } from "@/lib/webhooks/endpoint-input";

const strict = webhookEndpointSchema({ allowHttpToLocalhost: false });
const dev = webhookEndpointSchema({ allowHttpToLocalhost: true });
const base = { url: "https://shop.example.com/hooks", events: ["InvoicePaid"] };
const fieldsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => result.error?.issues.map((i) => String(i.path[0])) ?? [];

describe("webhook endpoint input", () => {
  it("applies the spec's defaults and normalises ranges", () => {
    expect(strict.parse({ ...base, events: ["InvoicePaid", "InvoicePaid", "PaymentDetected"], allowedIps: ["203.0.113.0/24", " 198.51.100.7 ", ""] })).toEqual({
      url: "https://shop.example.com/hooks",
      events: ["InvoicePaid", "PaymentDetected"],
      maxRetries: 5,
      retryBackoff: "exponential",
      timeoutSeconds: 10,
      allowedIps: ["203.0.113.0/24", "198.51.100.7/32"],
    });
  });

  it.each([
    [{ url: "http://shop.example.com/hooks" }, "url"],
    [{ url: "http://localhost:4000/hooks" }, "url"],
    [{ url: "ftp://shop.example.com" }, "url"],
    [{ url: "https://user:pass@shop.example.com/hooks" }, "url"],
    [{ url: "not a url" }, "url"],
    [{ events: [] }, "events"],
    [{ events: ["InvoiceDeleted"] }, "events"],
    [{ maxRetries: 0 }, "maxRetries"],
    [{ maxRetries: 11 }, "maxRetries"],
    [{ timeoutSeconds: 4 }, "timeoutSeconds"],
    [{ timeoutSeconds: 61 }, "timeoutSeconds"],
    [{ retryBackoff: "random" }, "retryBackoff"],
    [{ allowedIps: ["10.0.0.0/33"] }, "allowedIps"],
  ])("refuses %o, naming the field", (overrides, field) => {
    expect(fieldsOf(strict.safeParse({ ...base, ...overrides }))).toContain(field);
  });

  it("allows plain http to localhost only under the development setting", () => {
    expect(dev.safeParse({ ...base, url: "http://localhost:4000/hooks" }).success).toBe(true);
    expect(dev.safeParse({ ...base, url: "http://127.0.0.1:4000/hooks" }).success).toBe(true);
    expect(fieldsOf(dev.safeParse({ ...base, url: "http://shop.example.com/hooks" }))).toContain("url");
  });

  it("generates secrets of at least 32 characters, never the same twice", () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(generateWebhookSecret()).not.toBe(a);
  });
});
