import fc from "fast-check";
import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { queryRows, type DatabaseHandle } from "@/db/client";
import { invoices } from "@/db/schema";
import { api, type ApiCall, type ApiResponse } from "../helpers/api-client";
import { createTestKey, createTestMerchant, openApiTestDatabase } from "../helpers/merchant-fixtures";
import { targetName } from "../helpers/test-db";

/**
 * Property-based fuzzing of the REST API through the real route handlers. Whatever a client sends,
 * the API must answer with JSON, never a 5xx, errors in the documented shape, and every invoice it
 * creates must satisfy total = subtotal + tax.
 *
 * Inputs PostgreSQL cannot store (U+0000 in any string, totals beyond int8, dates outside its
 * timestamp range) are generated too: they once answered 500 and are now refused with 400; the
 * cases at the end of this file pin each one.
 */

type Method = "GET" | "POST";

const NUM_RUNS = {
  nearValidInvoices: 1000,
  arbitraryJsonInvoices: 500,
  rawStringInvoices: 300,
  listQueries: 500,
  customerBodies: 400,
  idLookups: 300,
  authorizationHeaders: 200,
  idempotencyKeys: 200,
};

// ---------------------------------------------------------------------------------------------
// Oracles

const FIAT_MINOR = /^(\d+)(?:\.(\d{1,2}))?$/;

/** "49.00" → 4900n, "49.5" → 4950n, "49" → 4900n: exact, no floating point. */
function fiatToMinor(value: string): bigint {
  const m = FIAT_MINOR.exec(value);
  if (!m) throw new Error(`not a fiat amount: ${JSON.stringify(value)}`);
  return BigInt(m[1]!) * 100n + BigInt((m[2] ?? "").padEnd(2, "0"));
}

let invoicesCreated = 0;
let requestsSent = 0;
/** Statuses per property (the label's first word), printed at the end to show what the mix reached. */
const histogramByKind = new Map<string, Record<string, number>>();

/** The invariants every response must satisfy, whatever the input. */
function assertWellFormed(res: ApiResponse, label: string) {
  const where = `${label} → ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, where).toBeLessThan(500);
  expect(res.status, where).toBeGreaterThanOrEqual(200);
  expect(res.text.length, where).toBeGreaterThan(0);
  expect(() => JSON.parse(res.text), where).not.toThrow();
  expect(res.headers.get("content-type"), where).toMatch(/^application\/json/);
  if (res.status >= 400) {
    const error = res.json.error as Record<string, unknown> | undefined;
    expect(error, where).toBeTypeOf("object");
    expect(error!.code, where).toBeTypeOf("string");
    expect(error!.message, where).toBeTypeOf("string");
    expect(error!.details, where).toBeTypeOf("object");
    expect(error!.details, where).not.toBeNull();
    expect(Array.isArray(error!.details), where).toBe(false);
  }
}

type InvoiceJson = {
  id: string;
  currency: string;
  items: { quantity: number; unit_price: string; amount: string }[];
  subtotal: string;
  tax: string;
  total: string;
  crypto: { currency: string; amount_minor: string };
};

/** A created invoice: total = subtotal + tax exactly, subtotal = Σ items, and it matches the request. */
function assertInvoiceConsistent(inv: InvoiceJson, requested: unknown, where: string) {
  const subtotal = fiatToMinor(inv.subtotal);
  const tax = fiatToMinor(inv.tax);
  const total = fiatToMinor(inv.total);
  expect(total, where).toBe(subtotal + tax);
  expect(subtotal > 0n, where).toBe(true);
  let sum = 0n;
  for (const item of inv.items) {
    expect(fiatToMinor(item.amount), where).toBe(BigInt(item.quantity) * fiatToMinor(item.unit_price));
    sum += fiatToMinor(item.amount);
  }
  expect(sum, where).toBe(subtotal);
  expect(inv.crypto.amount_minor, where).toMatch(/^[1-9]\d*$/);

  // The request was accepted, so it was well-formed: recompute the amounts from it.
  const body = requested as { currency: string; crypto_currency: string; tax?: string; items: { quantity?: number; unit_price: string }[] };
  expect(inv.currency, where).toBe(body.currency);
  expect(inv.crypto.currency, where).toBe(body.crypto_currency);
  const expectedSubtotal = body.items.reduce((acc, item) => acc + BigInt(item.quantity ?? 1) * fiatToMinor(item.unit_price), 0n);
  expect(subtotal, where).toBe(expectedSubtotal);
  expect(tax, where).toBe(body.tax === undefined ? 0n : fiatToMinor(body.tax));
}

// ---------------------------------------------------------------------------------------------
// Generators

// NUL characters are kept: the API must refuse them with a 400, not pass them to PostgreSQL.
const stripNul = (s: string) => s;
const withoutNul = <T,>(value: T): T => value;

function isWellFormedUtf16(s: string): boolean {
  try {
    encodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
}

const emojiUnit = fc.constantFrom("😀", "👨‍👩‍👧", "🏳️‍🌈", "\u200b", "\u202e", "é", "e\u0301", "𝔘", "Ω", "ß", "中", "\ufeff", "\u00a0", "\t");
const unicodeString = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: "grapheme", maxLength }),
    fc.string({ unit: "binary", maxLength }),
    fc.string({ unit: emojiUnit, maxLength }),
  );

const UUID_ZERO = "00000000-0000-0000-0000-000000000000";

const evilConstants = fc.constantFrom<unknown>(
  null,
  true,
  false,
  0,
  -1,
  1,
  1.5,
  -0,
  1e9,
  1e21,
  Number.MAX_SAFE_INTEGER,
  1e308,
  "",
  " ",
  "\t\n",
  "0",
  "-1",
  "1",
  "1.001",
  "1e5",
  "-0.00",
  "00.10",
  " 1.00",
  "1.00 ",
  "1,00",
  "1.",
  ".5",
  "+1.00",
  "0.00",
  "0.001",
  "NaN",
  "Infinity",
  "0x10",
  "１.００",
  "٣.٠٠",
  "999999999999999.99",
  "9999999999999999.99",
  "1000000000000000",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "USD ",
  "usd",
  "GBP",
  "XXX",
  "DOGE",
  "BTC",
  "ETH",
  "USDT",
  "bitcoin",
  "ethereum",
  "tron",
  "solana",
  "javascript:alert(1)",
  "http://evil.example.com",
  "https://",
  "ftp://example.com",
  "https://example.com/" + "a".repeat(2100),
  "not-an-email",
  "a@b",
  "@example.com",
  "a@@b.co",
  UUID_ZERO,
  "00000000-0000-4000-8000-00000000000g",
  "' OR 1=1 --",
  "'; drop table invoices; --",
  "<script>alert(1)</script>",
  "${jndi:ldap://x}",
  "%00",
  "\\u0000",
  "😀",
  "🏳️‍🌈".repeat(100),
  [],
  {},
  { __proto__: null },
  [null],
  [1, 2, 3],
  { $gt: "" },
  { toString: "x" },
);

/** Lengths around every limit the schemas declare (40, 100, 254, 255, 500, 1000) and beyond. */
const longString = fc
  .tuple(fc.constantFrom(39, 40, 41, 99, 100, 101, 254, 255, 256, 499, 500, 501, 999, 1000, 1001, 2000), fc.constantFrom("x", "é", "😀", " ", "中"))
  .map(([n, ch]) => ch.repeat(n));

const evilScalar: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: evilConstants },
  { weight: 2, arbitrary: unicodeString(30) },
  { weight: 2, arbitrary: longString },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map((n) => n.toString()) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.nat({ max: 10 ** 9 }), fc.nat({ max: 999 })).map(([a, b]) => `${a}.${String(b).padStart(3, "0")}`),
  },
);

const evil: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: evilScalar },
  { weight: 1, arbitrary: fc.object({ maxDepth: 2, maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.array(evilScalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

const ASCII_LOWER = /^[a-z0-9]{1,12}$/;
const validEmail = fc
  .tuple(fc.stringMatching(ASCII_LOWER), fc.constantFrom("example.com", "Example.COM", "shop.example.org", "x-y.io"), fc.constantFrom("", "+tag", ".dot", "_u"))
  .map(([local, domain, suffix]) => `${local}${suffix}@${domain}`);

const validAmount = (maxWhole: number) =>
  fc
    .tuple(fc.integer({ min: 0, max: maxWhole }), fc.integer({ min: 0, max: 99 }), fc.constantFrom(0, 1, 2))
    .map(([whole, cents, decimals]) => (decimals === 0 ? `${whole}` : decimals === 1 ? `${whole}.${Math.floor(cents / 10)}` : `${whole}.${String(cents).padStart(2, "0")}`));
const validPositiveAmount = validAmount(99_999).filter((a) => /[1-9]/.test(a));

const nonBlank = (maxLength: number) => unicodeString(maxLength).filter((s) => s.trim().length > 0);

/** Quantities stay ≤ 50: with the largest valid unit price (≈1e17 minor) Σ stays within int8 (known bug). */
const validItem = fc.record(
  {
    description: nonBlank(60),
    quantity: fc.integer({ min: 1, max: 1_000_000 }),
    unit_price: validPositiveAmount,
  },
  { requiredKeys: ["description", "unit_price"] },
);

const ITEM_FIELDS = ["description", "quantity", "unit_price", "extra"] as const;

const evilItemValues: Record<(typeof ITEM_FIELDS)[number], fc.Arbitrary<unknown>> = {
  description: fc.oneof(evil, fc.constantFrom("", "   ", "\u3000", "x".repeat(500), "x".repeat(501), "é".repeat(500))),
  quantity: fc.oneof(evil, fc.constantFrom(0, -1, 1.5, 1e9, 1_000_000, 1_000_001, "1", null, 2 ** 53, Number.NaN)),
  unit_price: fc.oneof(
    evil,
    fc.constantFrom("0", "0.00", "0.01", "-5.00", "1.001", "1e5", "-0.00", "00.10", " 1.00", "999999999999999.99", "1000000000000000.00", 49, 49.0, "49,00"),
  ),
  extra: evil,
};

const DELETE = Symbol("delete");

/** An own, enumerable property even for "__proto__", so JSON.stringify sends it as a key. */
function defineField(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function applyPatch(base: Record<string, unknown>, patch: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of patch) {
    if (value === DELETE) delete out[key];
    else if (value !== undefined) defineField(out, key, value);
  }
  return out;
}

/** One maybe-evil replacement per field, as [field, value] pairs (prototype keys stay plain strings). */
function patchOf(fields: [string, fc.Arbitrary<unknown>, number?][]): fc.Arbitrary<[string, unknown][]> {
  return fc.tuple(...fields.map(([, arb, keep]) => maybeEvil(arb, keep))).map((values) => values.map((v, i) => [fields[i]![0], v] as [string, unknown]));
}

/** Either untouched, dropped, or replaced by an evil value (each field independently). */
const maybeEvil = (fieldEvil: fc.Arbitrary<unknown>, keepWeight = 20) =>
  fc.oneof(
    { weight: keepWeight, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant<unknown>(DELETE) },
    { weight: 2, arbitrary: fieldEvil },
  );

const badItemsArrays = fc.oneof(
  fc.constant([]),
  validItem.map((item) => Array.from({ length: 101 }, () => item)),
  // 100 items is the largest valid list.
  validItem.map((item) => Array.from({ length: 100 }, () => ({ ...item, quantity: 1 }))),
  fc.array(evil, { maxLength: 3 }),
  evil,
);

/** Item lists with one bad field in one item, or a bad list altogether. */
const evilItems: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.array(validItem, { minLength: 1, maxLength: 3 }),
        fc.nat(),
        fc.constantFrom(...ITEM_FIELDS),
        fc.constantFrom("amount", "__proto__", "constructor", "price", ""),
      )
      .chain(([items, at, field, extraKey]) =>
        evilItemValues[field].map((value) => {
          const copy: Record<string, unknown>[] = items.map((i) => ({ ...i }));
          defineField(copy[at % copy.length]!, field === "extra" ? extraKey : field, value);
          return copy;
        }),
      ),
  },
  { weight: 1, arbitrary: badItemsArrays },
);

const metadataArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.dictionary(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ maxLength: 60 }), { maxKeys: 5 }),
  fc.dictionary(fc.string({ minLength: 21, maxLength: 25 }), fc.string(), { minKeys: 21, maxKeys: 25 }),
  fc.constant(Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, "v"]))),
  fc.constant(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, "v".repeat(500)]))),
  fc.constant({ ["k".repeat(41)]: "v" }),
  fc.constant({ "": "v" }),
  fc.constant({ k: "v".repeat(501) }),
  fc.constant({ k: 1 }),
  fc.constant({ k: null }),
  fc.constant({ k: { nested: "x" } }),
  fc.constant(JSON.parse('{"__proto__":"x","constructor":"y"}') as unknown),
  fc.constant(JSON.parse('{"__proto__":{"polluted":"yes"}}') as unknown),
  fc.constant(["a", "b"]),
  evil,
);

const cryptoChoice = fc.constantFrom(
  { crypto_currency: "BTC" },
  { crypto_currency: "BTC", network: "bitcoin" },
  { crypto_currency: "ETH" },
  { crypto_currency: "ETH", network: "ethereum" },
  { crypto_currency: "USDT", network: "ethereum" },
  { crypto_currency: "USDT", network: "tron" },
);

const customerIds: string[] = [];
let blockedCustomerId = "";

const validInvoiceBody = fc
  .record(
    {
      title: nonBlank(80),
      currency: fc.constantFrom("USD", "EUR", "CNY"),
      items: fc.array(validItem, { minLength: 1, maxLength: 3 }),
      crypto: cryptoChoice,
      tax: validAmount(9_999),
      description: unicodeString(200),
      reference: nonBlank(40),
      customer: fc.oneof(
        validEmail.map((e) => ({ customer_email: e })),
        fc.nat().map((i) => ({ customer_id: customerIds.length ? customerIds[i % customerIds.length]! : UUID_ZERO })),
      ),
      expires_in_minutes: fc.integer({ min: 5, max: 1440 }),
      underpayment_threshold_percent: fc.constantFrom("0", "0.5", "1", "1.00", "0.01"),
      overpayment_threshold_percent: fc.constantFrom("0", "1", "50.5", "100", "100.00"),
      overpayment_action: fc.constantFrom("credit", "refund", "donate"),
      redirect_url: fc.constantFrom("https://shop.example.com/thanks", "http://localhost:3000/done", "https://例え.jp/ü?x=1#y"),
      metadata: fc.dictionary(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ maxLength: 100 }), { maxKeys: 4 }),
    },
    { requiredKeys: ["title", "currency", "items", "crypto"] },
  )
  .map(({ crypto, customer, ...rest }) => ({ ...rest, ...crypto, ...(customer ?? {}) }) as Record<string, unknown>);

const INVOICE_FIELD_EVIL: [string, fc.Arbitrary<unknown>, number?][] = Object.entries({
  title: fc.oneof(evil, fc.constantFrom("", "   ", "x".repeat(255), "x".repeat(256), "😀".repeat(128), " padded ")),
  description: fc.oneof(evil, fc.constantFrom("x".repeat(1000), "x".repeat(1001), "😀".repeat(500), "😀".repeat(501))),
  reference: fc.oneof(evil, fc.constantFrom("", " ", "r".repeat(100), "r".repeat(101))),
  currency: fc.oneof(evil, fc.constantFrom("usd", "GBP", "BTC", "US D", "USD\u200b")),
  items: evilItems,
  tax: fc.oneof(evil, fc.constantFrom("0", "0.00", "-0.01", "1.001", "999999999999999.99", "1e2", 5, "")),
  crypto_currency: fc.oneof(evil, fc.constantFrom("btc", "DOGE", "USDC", "XMR")),
  network: fc.oneof(evil, fc.constantFrom("tron", "bitcoin", "ethereum", "sepolia", "Tron", "polygon")),
  customer_id: fc.oneof(evil, fc.uuid(), fc.constant(UUID_ZERO), fc.constant("not-a-uuid"), fc.constant(() => blockedCustomerId).map((f) => f())),
  customer_email: fc.oneof(evil, validEmail, fc.emailAddress(), fc.constantFrom("a@b", "x".repeat(250) + "@b.co", "ann@example.com ")),
  expires_in_minutes: fc.oneof(evil, fc.constantFrom(4, 5, 1440, 1441, 30.5, "30", -30, 0)),
  underpayment_threshold_percent: fc.oneof(evil, fc.constantFrom("1.01", "-1", "0.001", "1000", "1e0", "", 1)),
  overpayment_threshold_percent: fc.oneof(evil, fc.constantFrom("100.01", "101", "-0", "1000.00", "0.001", 50)),
  overpayment_action: fc.oneof(evil, fc.constantFrom("keep", "CREDIT", "refund ")),
  redirect_url: fc.oneof(evil, fc.constantFrom("javascript:alert(1)", "http://example.com", "https://", "//evil.com", "data:text/html,x", "https://a.b/" + "x".repeat(2048))),
  metadata: metadataArb,
  // Items get a bad field more often: they carry the amounts.
}).map(([field, arb]): [string, fc.Arbitrary<unknown>, number?] => [field, arb, field === "items" ? 8 : undefined]);

// Unknown fields, including prototype keys, added now and then: the schema is strict.
const UNKNOWN_FIELDS: [string, fc.Arbitrary<unknown>, number?][] = [
  ["amount", evil, 60],
  ["__proto__", fc.constantFrom<unknown>({ polluted: true }, "x", null), 60],
  ["constructor", evil, 60],
  ["livemode", fc.constantFrom<unknown>(true, false, "true"), 60],
];

const nearValidInvoiceBody = fc
  .tuple(validInvoiceBody, patchOf([...INVOICE_FIELD_EVIL, ...UNKNOWN_FIELDS]))
  .map(([base, patch]) => applyPatch(base, patch))
  .map(withoutNul);

// ---------------------------------------------------------------------------------------------

describe(`REST API fuzzing (${targetName()})`, () => {
  let h: DatabaseHandle;
  let merchantId: string;
  let key: string;
  const createdInvoiceIds: string[] = [];
  const createdCustomerIds: string[] = [];

  async function send(method: Method, path: string, call: ApiCall, label: string) {
    const res = await api(method, path, call);
    requestsSent += 1;
    const kind = label.split(" ")[0]!;
    const perKind = histogramByKind.get(kind) ?? {};
    const outcome = res.status >= 400 && res.status !== 400 ? `${res.status} ${res.json.error?.code}` : String(res.status);
    perKind[outcome] = (perKind[outcome] ?? 0) + 1;
    histogramByKind.set(kind, perKind);
    assertWellFormed(res, label);
    if (method === "POST" && path === "/api/v1/invoices" && res.status === 201) {
      const replayed = res.headers.get("idempotent-replayed") === "true";
      if (!replayed) {
        invoicesCreated += 1;
        createdInvoiceIds.push(res.json.id);
      }
      assertInvoiceConsistent(res.json as InvoiceJson, call.rawBody !== undefined ? JSON.parse(call.rawBody) : call.body, label);
    }
    if (method === "POST" && path === "/api/v1/customers" && res.status === 201) createdCustomerIds.push(res.json.id);
    return res;
  }

  beforeAll(async () => {
    h = await openApiTestDatabase(1_000_000);
    ({ merchantId } = await createTestMerchant(h.db, { plan: "enterprise", account: 0 }));
    key = (await createTestKey(h.db, merchantId, "test", ["invoices:read", "invoices:write", "customers:read", "customers:write"])).key;
    for (const email of ["ann@example.com", "bob@example.com", "blocked@example.com"]) {
      const res = await api("POST", "/api/v1/customers", { key, body: { email } });
      customerIds.push(res.json.id);
    }
    blockedCustomerId = customerIds[2]!;
    await api("POST", `/api/v1/customers/${blockedCustomerId}/block`, { key });
  });
  afterAll(async () => {
    console.info(`[fuzz ${targetName()}] ${requestsSent} requests, ${invoicesCreated} invoices created, statuses:`, JSON.stringify(Object.fromEntries(histogramByKind)));
    await h?.close();
  });

  it("POST /invoices with near-valid bodies: never 5xx, consistent totals", async () => {
    await fc.assert(
      fc.asyncProperty(nearValidInvoiceBody, async (body) => {
        await send("POST", "/api/v1/invoices", { key, body }, `near-valid ${JSON.stringify(body).slice(0, 500)}`);
      }),
      { numRuns: NUM_RUNS.nearValidInvoices },
    );
    // The mix must actually reach the success path, or the totals property proves nothing.
    const outcomes = histogramByKind.get("near-valid")!;
    expect(outcomes["201"] ?? 0).toBeGreaterThan(NUM_RUNS.nearValidInvoices / 20);
    expect(outcomes["400"] ?? 0).toBeGreaterThan(NUM_RUNS.nearValidInvoices / 10);
  }, 120_000);

  it("POST /invoices with arbitrary JSON values", async () => {
    const anyJson = fc.oneof(
      fc.jsonValue(),
      fc.jsonValue({ stringUnit: "binary" }),
      fc.dictionary(fc.constantFrom("title", "currency", "items", "crypto_currency", "network", "tax", "metadata"), fc.jsonValue({ maxDepth: 2 })),
    );
    await fc.assert(
      fc.asyncProperty(anyJson, async (body) => {
        await send("POST", "/api/v1/invoices", { key, body }, `json ${JSON.stringify(body).slice(0, 300)}`);
      }),
      { numRuns: NUM_RUNS.arbitraryJsonInvoices },
    );
  }, 120_000);

  it("POST /invoices with arbitrary raw bodies (invalid JSON, huge, unicode)", async () => {
    const raw = fc.oneof(
      { weight: 4, arbitrary: unicodeString(200) },
      { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 2000 }) },
      { weight: 1, arbitrary: fc.constantFrom("", " ", "{", "}", "[", "null", "true", "0", '""', "{}", "[]", '{"title":', "\ufeff{}", "{'title':'x'}", "NaN", "\u0000") },
      { weight: 1, arbitrary: fc.constantFrom(65_535, 65_536, 65_537, 200_000).map((n) => "x".repeat(n)) },
      { weight: 1, arbitrary: fc.constantFrom(21_845, 21_846, 40_000).map((n) => `{"title":"${"€".repeat(n)}"}`) },
      { weight: 1, arbitrary: fc.nat({ max: 5000 }).map((n) => "[".repeat(n) + "]".repeat(n)) },
      { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v).slice(0, -1)) },
    );
    await fc.assert(
      fc.asyncProperty(raw, async (rawBody) => {
        await send("POST", "/api/v1/invoices", { key, rawBody }, `raw ${JSON.stringify(rawBody.slice(0, 200))} (${rawBody.length} chars)`);
      }),
      { numRuns: NUM_RUNS.rawStringInvoices },
    );
  }, 120_000);

  it("GET /invoices with arbitrary query strings", async () => {
    const PARAMS = ["limit", "starting_after", "status", "created_gte", "created_lte", "customer_id", "q"] as const;
    // Any representable date, including ones outside PostgreSQL's range (refused with 400).
    const date = fc.date({ noInvalidDate: true });
    const cursorOf = (d: Date, id: string) => Buffer.from(`${d.toISOString()}|${id}`).toString("base64url");
    const paramValue: Record<(typeof PARAMS)[number], fc.Arbitrary<string>> = {
      limit: fc.oneof(fc.integer({ min: -5, max: 200 }).map(String), fc.constantFrom("", " 5", "1e1", "0x10", "20.5", "Infinity", "-0", "1".repeat(400))),
      starting_after: fc.oneof(
        fc.tuple(date, fc.uuid()).map(([d, id]) => cursorOf(d, id)),
        fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.from(b).toString("base64url")),
        fc.constantFrom("%%%", "a".repeat(200), "a".repeat(201), "", "null", "ab+/=", "MTIz"),
      ),
      status: fc.oneof(
        fc.subarray(["pending", "partial", "confirming", "paid", "expired", "cancelled", "refunded"]).map((s) => s.join(",")),
        fc.constantFrom("", ",", ",,pending,,", " paid ", "PAID", "unpaid", "pending,".repeat(8), "pending,".repeat(30)),
      ),
      created_gte: fc.oneof(
        date.map((d) => d.toISOString()),
        date.map((d) => d.toISOString().slice(0, 10)),
        fc.tuple(date, fc.integer({ min: -14, max: 14 })).map(([d, h]) => `${d.toISOString().slice(0, 19)}${h < 0 ? "-" : "+"}${String(Math.abs(h)).padStart(2, "0")}:00`),
        fc.constantFrom("yesterday", "2024-02-30", "2024-13-01", "2024-1-1", "1700000000", "2024-01-01T25:00:00Z", "2024-01-01 00:00:00"),
      ),
      created_lte: fc.oneof(date.map((d) => d.toISOString()), fc.constantFrom("", "2024-02-29", "2023-02-29", "now")),
      customer_id: fc.oneof(fc.uuid(), fc.constantFrom("42", UUID_ZERO, "", "00000000-0000-0000-0000-00000000000Z"), fc.nat().map((i) => customerIds[i % customerIds.length]!)),
      q: fc.oneof(unicodeString(50).map(stripNul), fc.constantFrom("espresso", "!", "&|!()", ":*", "'", '"', "a & b", "-", "x".repeat(200), "x".repeat(201), "   ", "or", "\\")),
    };
    const knownPair = fc.constantFrom(...PARAMS).chain((name) => paramValue[name].map((value) => [name, value] as [string, string]));
    const randomPair = fc.tuple(unicodeString(12), unicodeString(20)).map(([k, v]) => [stripNul(k), stripNul(v)] as [string, string]);
    const query = fc
      .array(fc.oneof({ weight: 4, arbitrary: knownPair }, { weight: 1, arbitrary: randomPair }), { maxLength: 4 })
      .filter((pairs) => pairs.every(([k, v]) => isWellFormedUtf16(k) && isWellFormedUtf16(v)));
    await fc.assert(
      fc.asyncProperty(query, async (pairs) => {
        const qs = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
        const res = await send("GET", `/api/v1/invoices?${qs}`, { key }, `list ?${qs.slice(0, 400)}`);
        if (res.status === 200) {
          expect(res.json.object).toBe("list");
          expect(Array.isArray(res.json.data)).toBe(true);
          expect(typeof res.json.has_more).toBe("boolean");
        }
      }),
      { numRuns: NUM_RUNS.listQueries },
    );
  }, 120_000);

  it("POST /customers with arbitrary and near-valid bodies", async () => {
    const validCustomer = fc.record(
      {
        email: validEmail,
        metadata: fc.dictionary(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ maxLength: 100 }), { maxKeys: 4 }),
      },
      { requiredKeys: ["email"] },
    );
    const nearValidCustomer = fc
      .tuple(
        validCustomer,
        patchOf([
          ["email", fc.oneof(evil, fc.emailAddress(), fc.constantFrom("ANN@EXAMPLE.COM", "x".repeat(245) + "@b.co", "a b@c.de", "ann@example.com\n")), 6],
          ["metadata", metadataArb, 6],
          ["extra", evil, 30],
          ["__proto__", fc.constantFrom<unknown>({ email: "proto@example.com" }, "x"), 30],
        ]),
      )
      .map(([base, patch]) => applyPatch(base, patch))
      .map(withoutNul);
    const body = fc.oneof({ weight: 4, arbitrary: nearValidCustomer }, { weight: 1, arbitrary: fc.jsonValue() });
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await send("POST", "/api/v1/customers", { key, body: b }, `customer ${JSON.stringify(b).slice(0, 300)}`);
        if (res.status === 201) {
          const sent = b as { email: string; metadata?: Record<string, string> };
          expect(res.json.email).toBe(sent.email);
          if (sent.metadata && !Object.keys(sent.metadata).includes("__proto__")) expect(res.json.metadata).toEqual(sent.metadata);
        }
        if (res.status === 409) expect(res.json.error.code).toBe("customer.email_taken");
      }),
      { numRuns: NUM_RUNS.customerBodies },
    );
    expect(createdCustomerIds.length).toBeGreaterThan(0);
  }, 120_000);

  it("GET /invoices/{id} and /customers/{id} with arbitrary ids", async () => {
    const id = fc.oneof(
      { weight: 3, arbitrary: unicodeString(60) },
      { weight: 1, arbitrary: fc.uuid() },
      { weight: 1, arbitrary: fc.uuid().map((u) => u.toUpperCase()) },
      { weight: 1, arbitrary: fc.constantFrom(UUID_ZERO, "null", "undefined", "../customers", "%", "%00", "\u0000", " ", "1 OR 1=1", "x".repeat(2000)) },
      { weight: 2, arbitrary: fc.nat().map((i) => (createdInvoiceIds.length ? createdInvoiceIds[i % createdInvoiceIds.length]! : UUID_ZERO)) },
      { weight: 2, arbitrary: fc.nat().map((i) => customerIds.concat(createdCustomerIds)[i % (customerIds.length + createdCustomerIds.length)]!) },
    );
    const target = fc.tuple(fc.constantFrom("invoices", "customers"), id).filter(([, v]) => v.length > 0 && v !== "." && v !== ".." && isWellFormedUtf16(v));
    await fc.assert(
      fc.asyncProperty(target, async ([resource, value]) => {
        const res = await send("GET", `/api/v1/${resource}/${encodeURIComponent(value)}`, { key }, `lookup ${resource}/${JSON.stringify(value.slice(0, 100))}`);
        expect([200, 404]).toContain(res.status);
        if (res.status === 200) expect(res.json.id).toBe(value.toLowerCase());
        else expect(res.json.error.code).toBe(resource === "invoices" ? "invoice.not_found" : "customer.not_found");
      }),
      { numRuns: NUM_RUNS.idLookups },
    );
  }, 120_000);

  /** Header values the Fetch Headers class accepts: Latin-1, no NUL, CR or LF. */
  const headerSafe = (s: string) => {
    if (/[\u0000\r\n]/.test(s) || [...s].some((ch) => ch.charCodeAt(0) > 0xff)) return false;
    try {
      new Headers({ "x-probe": s });
      return true;
    } catch {
      return false;
    }
  };

  it("arbitrary Authorization headers", async () => {
    const mutatedKey = fc.constantFrom(
      (k: string) => `Bearer ${k}`,
      (k: string) => `bearer ${k}`,
      (k: string) => `Bearer\t${k}`,
      (k: string) => `Bearer    ${k}   `,
      (k: string) => `Bearer ${k} extra`,
      (k: string) => `Bearer ${k.slice(0, -1)}`,
      (k: string) => `Bearer ${k}x`,
      (k: string) => `Bearer ${k.toUpperCase()}`,
      (k: string) => `Bearer ${k.replace("sk_test_", "sk_live_")}`,
      (k: string) => `Basic ${k}`,
      (k: string) => k,
      (k: string) => `Bearer ${encodeURIComponent(k)}`,
      (k: string) => `Bearer ${k},Bearer ${k}`,
      () => "Bearer ",
      () => "Bearer",
      () => "",
      () => `Bearer sk_test_${"A".repeat(43)}`,
      () => `Bearer sk_live_${"_".repeat(43)}`,
      () => `Bearer ${"x".repeat(10_000)}`,
    );
    const header = fc.oneof(
      fc.string({ unit: "binary-ascii", maxLength: 120 }),
      fc.string({ unit: "binary-ascii", maxLength: 80 }).map((s) => `Bearer ${s}`),
      mutatedKey.map((f) => f(key)),
    );
    await fc.assert(
      fc.asyncProperty(header.filter(headerSafe), fc.constantFrom<Method>("GET", "POST"), async (authorization, method) => {
        const res = await send(method, "/api/v1/invoices", method === "POST" ? { headers: { authorization }, body: { title: "x" } } : { headers: { authorization } }, `authorization ${method} ${JSON.stringify(authorization.slice(0, 120))}`);
        if (res.status === 401) expect(res.json.error.code).toMatch(/^auth\./);
      }),
      { numRuns: NUM_RUNS.authorizationHeaders },
    );
  }, 120_000);

  it("arbitrary Idempotency-Key values", async () => {
    const idemKey = fc.oneof(
      fc.string({ minLength: 1, maxLength: 40 }),
      fc.string({ unit: "binary-ascii", maxLength: 40 }),
      fc.constantFrom("", " ", "   key   ", "k".repeat(255), "k".repeat(256), "k".repeat(300), "é", "clé-😀".replace("😀", ""), "\t", "a\tb", "a b", "order-1", "order-1", "\u00ff", "\u007f"),
    );
    const body = fc.tuple(cryptoChoice, validPositiveAmount, fc.boolean()).map(([crypto, price, twin]) => ({
      title: "Idempotent order",
      currency: "USD",
      // `twin` repeats one fixed body so reused keys sometimes replay instead of conflicting.
      items: [{ description: "Item", unit_price: twin ? "10.00" : price }],
      ...(twin ? { crypto_currency: "BTC" } : crypto),
    }));
    await fc.assert(
      fc.asyncProperty(idemKey.filter(headerSafe), body, async (idempotencyKey, b) => {
        const res = await send("POST", "/api/v1/invoices", { key, body: b, headers: { "idempotency-key": idempotencyKey } }, `idempotency-key ${JSON.stringify(idempotencyKey)}`);
        const trimmed = idempotencyKey.trim();
        const valid = trimmed.length >= 1 && trimmed.length <= 255 && /^[\x21-\x7e]+$/.test(trimmed);
        if (!valid) expect(res.json.error?.code).toBe("idempotency.invalid_key");
        else expect([201, 409]).toContain(res.status);
      }),
      { numRuns: NUM_RUNS.idempotencyKeys },
    );
  }, 120_000);

  it("wrote exactly one consistent invoice per 201 and nothing for refused requests", async () => {
    const totalRuns = Object.values(NUM_RUNS).reduce((a, b) => a + b, 0);
    expect(totalRuns).toBeGreaterThanOrEqual(3000);
    expect(requestsSent).toBeGreaterThanOrEqual(totalRuns);
    const [inconsistent] = await queryRows<{ n: string | number }>(h.db, sql`select count(*) as n from invoices where total_minor <> subtotal_minor + tax_minor`);
    expect(Number(inconsistent!.n)).toBe(0);
    const [itemsMismatch] = await queryRows<{ n: string | number }>(
      h.db,
      sql`select count(*) as n from invoices i where i.subtotal_minor <> (select coalesce(sum(amount_minor), 0) from invoice_items where invoice_id = i.id)`,
    );
    expect(Number(itemsMismatch!.n)).toBe(0);
    const [{ n }] = (await h.db.select({ n: count() }).from(invoices).where(and(eq(invoices.merchantId, merchantId), eq(invoices.livemode, false)))) as [{ n: number }];
    expect(Number(n)).toBe(invoicesCreated);
    expect(new Set(createdInvoiceIds).size).toBe(invoicesCreated);
  });

  // -------------------------------------------------------------------------------------------
  // Inputs this fuzzer once found answering 500: each must now be a 400 naming the problem.

  describe("inputs PostgreSQL cannot store are refused with 400", () => {
    // The handler logs every 500 with its stack; these are expected, so keep the output readable.
    beforeEach(() => void vi.spyOn(console, "error").mockImplementation(() => {}));
    afterEach(() => vi.restoreAllMocks());
    const base = { title: "Pro plan", currency: "USD", items: [{ description: "Pro plan", quantity: 1, unit_price: "49.00" }], crypto_currency: "BTC" };
    const NUL = "\u0000";
    const cursor = (iso: string) => Buffer.from(`${iso}|00000000-0000-4000-8000-000000000000`).toString("base64url");
    const MAX_PRICE = "999999999999999.99";

    const cases: [string, Method, string, ApiCall][] = [
      ["U+0000 in title", "POST", "/api/v1/invoices", { body: { ...base, title: `a${NUL}b` } }],
      ["U+0000 in description", "POST", "/api/v1/invoices", { body: { ...base, description: `a${NUL}b` } }],
      ["U+0000 in reference", "POST", "/api/v1/invoices", { body: { ...base, reference: `a${NUL}b` } }],
      ["U+0000 in an item description", "POST", "/api/v1/invoices", { body: { ...base, items: [{ description: `a${NUL}`, unit_price: "1.00" }] } }],
      ["U+0000 in redirect_url", "POST", "/api/v1/invoices", { body: { ...base, redirect_url: `https://shop.example.com/${NUL}` } }],
      ["U+0000 in an invoice metadata value", "POST", "/api/v1/invoices", { body: { ...base, metadata: { k: NUL } } }],
      ["U+0000 in an invoice metadata key", "POST", "/api/v1/invoices", { body: { ...base, metadata: { [NUL]: "v" } } }],
      ["U+0000 in a customer metadata value", "POST", "/api/v1/customers", { body: { email: "nul-value@example.com", metadata: { k: NUL } } }],
      ["U+0000 in a customer metadata key", "POST", "/api/v1/customers", { body: { email: "nul-key@example.com", metadata: { [NUL]: "v" } } }],
      ["U+0000 in the invoice search q", "GET", "/api/v1/invoices?q=%00", {}],
      ["line total beyond int8: quantity 1000000 × 999999999999999.99", "POST", "/api/v1/invoices", { body: { ...base, items: [{ description: "x", quantity: 1_000_000, unit_price: MAX_PRICE }] } }],
      ["line total beyond int8: quantity 93 × 999999999999999.99", "POST", "/api/v1/invoices", { body: { ...base, items: [{ description: "x", quantity: 93, unit_price: MAX_PRICE }] } }],
      ["subtotal beyond int8: 100 items × 999999999999999.99", "POST", "/api/v1/invoices", { body: { ...base, items: Array.from({ length: 100 }, () => ({ description: "x", unit_price: MAX_PRICE })) } }],
      ["created_gte in year 0", "GET", "/api/v1/invoices?created_gte=0000-01-01", {}],
      ["created_lte in year 0", "GET", "/api/v1/invoices?created_lte=0000-01-01T00:00:00Z", {}],
      ["created_gte whose offset moves it past year 9999", "GET", "/api/v1/invoices?created_gte=9999-12-31T23:59:59-23:59", {}],
      ["invoice cursor dated year 0", "GET", `/api/v1/invoices?starting_after=${cursor("0000-01-01T00:00:00.000Z")}`, {}],
      ["invoice cursor dated +275760", "GET", `/api/v1/invoices?starting_after=${cursor("+275760-09-13T00:00:00Z")}`, {}],
      ["customer cursor dated year 0", "GET", `/api/v1/customers?starting_after=${cursor("0000-01-01T00:00:00.000Z")}`, {}],
    ];
    for (const [name, method, path, call] of cases) {
      it(name, async () => {
        const res = await api(method, path, { key, ...call });
        assertWellFormed(res, name);
        expect(res.status, name).toBe(400);
      });
    }
  });

  describe("a malformed percentage is a 400 naming the field", () => {
    const base = { title: "Pro plan", currency: "USD", items: [{ description: "Pro plan", unit_price: "49.00" }], crypto_currency: "BTC" };
    const cases: [string, string][] = [
      ["underpayment_threshold_percent", "-1"],
      ["underpayment_threshold_percent", "0.001"],
      ["overpayment_threshold_percent", "1e0"],
      ["overpayment_threshold_percent", ""],
    ];
    for (const [field, value] of cases) {
      it(`${field}: ${JSON.stringify(value)} → 400 validation_failed naming the field`, async () => {
        const res = await api("POST", "/api/v1/invoices", { key, body: { ...base, [field]: value } });
        expect(res.status).toBe(400);
        expect(res.json.error.code).toBe("validation_failed");
        expect(res.json.error.details.issues[0].path).toBe(field);
      });
    }
  });
});
