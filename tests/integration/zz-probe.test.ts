import { afterAll, beforeAll, it } from "vitest";
import { setDatabaseForTesting } from "@/db";
import type { DatabaseHandle } from "@/db/client";
import { systemConfiguration } from "@/db/schema";
import { DEFAULT_SYSTEM_CONFIG, invalidateSystemConfig } from "@/lib/system-config";
import { api } from "../helpers/api-client";
import { createTestKey, createTestMerchant, seedFreshRates } from "../helpers/merchant-fixtures";
import { createTestDatabase } from "../helpers/test-db";

const inv = (over: Record<string, unknown> = {}) => ({ title: "T", currency: "USD", items: [{ description: "x", unit_price: "49.00" }], crypto_currency: "BTC", ...over });
let h: DatabaseHandle; let key: string;
beforeAll(async () => {
  h = await createTestDatabase(); setDatabaseForTesting(h);
  await h.db.insert(systemConfiguration).values({ ...DEFAULT_SYSTEM_CONFIG, exchangeRateProviders: [{ id: "static", enabled: false, priority: 1 }], securitySettings: { ...DEFAULT_SYSTEM_CONFIG.securitySettings, apiRateLimitPerMinute: 1_000_000 } });
  invalidateSystemConfig(h.db); await seedFreshRates(h.db);
  const m = await createTestMerchant(h.db, { plan: "enterprise", account: 0 });
  key = (await createTestKey(h.db, m.merchantId)).key;
});
afterAll(async () => h?.close());
it("probe", async () => {
  const cur = (s: string) => Buffer.from(s).toString("base64url");
  const cases: [string, string, Record<string, unknown>][] = [
    ["POST", "/api/v1/invoices", { body: inv({ title: "a\u0000b" }) }],
    ["POST", "/api/v1/invoices", { body: inv({ description: "a\u0000b" }) }],
    ["POST", "/api/v1/invoices", { body: inv({ reference: "a\u0000b" }) }],
    ["POST", "/api/v1/invoices", { body: inv({ items: [{ description: "a\u0000", unit_price: "1.00" }] }) }],
    ["POST", "/api/v1/invoices", { body: inv({ metadata: { k: "\u0000" } }) }],
    ["POST", "/api/v1/invoices", { body: inv({ metadata: { "\u0000": "v" } }) }],
    ["POST", "/api/v1/invoices", { body: inv({ title: "\ud800" }) }],
    ["POST", "/api/v1/invoices", { body: inv({ items: [{ description: "x", quantity: 1000000, unit_price: "999999999999999.99" }] }) }],
    ["POST", "/api/v1/invoices", { body: inv({ items: [{ description: "x", unit_price: "999999999999999.99" }], tax: "999999999999999.99" }) }],
    ["POST", "/api/v1/invoices", { body: inv({ items: [{ description: "x", unit_price: "999999999999999.99" }] }) }],
    ["POST", "/api/v1/invoices", { body: inv({ items: Array(100).fill({ description: "x", quantity: 1000000, unit_price: "999999999999999.99" }) }) }],
    ["POST", "/api/v1/invoices", { body: inv({ crypto_currency: "ETH", items: [{ description: "x", unit_price: "999999999999999.99" }] }) }],
    ["POST", "/api/v1/invoices", { body: inv({ customer_email: "a\u0000@b.co" }) }],
    ["POST", "/api/v1/invoices", { body: inv({ redirect_url: "https://a.b/\u0000" }) }],
    ["POST", "/api/v1/invoices", { rawBody: "\"\\u0000\"" }],
    ["POST", "/api/v1/invoices", { rawBody: "null" }],
    ["POST", "/api/v1/invoices", { body: inv({ __proto__: { x: 1 } }) }],
    ["POST", "/api/v1/invoices", { rawBody: JSON.stringify(inv()).replace("{", "{\"__proto__\":{\"a\":1},") }],
    ["POST", "/api/v1/invoices", { rawBody: JSON.stringify(inv()).replace("{", "{\"constructor\":1,") }],
    ["GET", "/api/v1/invoices?q=%00", {}],
    ["GET", "/api/v1/invoices?q=a%00", {}],
    ["GET", "/api/v1/invoices?q=%F0%9F%98%80", {}],
    ["GET", "/api/v1/invoices?q=%ED%A0%80", {}],
    ["GET", "/api/v1/invoices?q=!:*%26|()", {}],
    ["GET", "/api/v1/invoices?created_gte=0000-01-01", {}],
    ["GET", "/api/v1/invoices?created_lte=0000-01-01T00:00:00Z", {}],
    ["GET", "/api/v1/invoices?created_gte=9999-12-31T23:59:59-23:59", {}],
    ["GET", `/api/v1/invoices?starting_after=${cur("0000-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000")}`, {}],
    ["GET", `/api/v1/invoices?starting_after=${cur("-271821-04-20T00:00:00Z|00000000-0000-4000-8000-000000000000")}`, {}],
    ["GET", `/api/v1/invoices?starting_after=${cur("+275760-09-13T00:00:00Z|00000000-0000-4000-8000-000000000000")}`, {}],
    ["GET", `/api/v1/invoices?starting_after=${cur("1|00000000-0000-4000-8000-000000000000")}`, {}],
    ["GET", "/api/v1/invoices?limit=1e1", {}],
    ["GET", "/api/v1/invoices?limit=%20", {}],
    ["GET", "/api/v1/invoices?limit=5&limit=6", {}],
    ["GET", "/api/v1/invoices?__proto__=x", {}],
    ["GET", "/api/v1/invoices?constructor=x", {}],
    ["GET", "/api/v1/invoices?status=%00", {}],
    ["GET", `/api/v1/customers?starting_after=${cur("0000-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000")}`, {}],
    ["POST", "/api/v1/customers", { body: { email: "a@b.co", metadata: { k: "\u0000" } } }],
    ["POST", "/api/v1/customers", { body: { email: "a@b.co", metadata: { "\u0000": "x" } } }],
    ["POST", "/api/v1/customers", { body: { email: "a@b.co", metadata: { __proto__: "x" } } }],
    ["POST", "/api/v1/customers", { rawBody: "{\"email\":\"c@b.co\",\"metadata\":{\"__proto__\":\"x\"}}" }],
    ["GET", "/api/v1/invoices/%00", {}],
    ["GET", "/api/v1/customers/%00", {}],
    ["GET", "/api/v1/invoices", { headers: { "idempotency-key": "" } }],
    ["POST", "/api/v1/invoices", { body: inv(), headers: { "idempotency-key": "" } }],
    ["POST", "/api/v1/invoices", { body: inv(), headers: { "idempotency-key": "\u00e9" } }],
  ];
  for (const [m, p, c] of cases) {
    try {
      const r = await api(m as "GET", p, { key, ...c });
      console.log(r.status, p, JSON.stringify(c).slice(0, 120), r.text.slice(0, 200));
    } catch (e) { console.log("THROW", p, JSON.stringify(c).slice(0, 100), String(e).slice(0, 200)); }
  }
}, 60_000);
