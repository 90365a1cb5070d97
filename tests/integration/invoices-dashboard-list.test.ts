import { eq } from "drizzle-orm";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { customers, invoices, payments } from "@/db/schema";
import { formatDecimalUnitsTrimmed, getAsset } from "@/lib/domain";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { csvCell, INVOICE_CSV_COLUMNS, streamInvoiceCsv } from "@/lib/invoices/dashboard-csv";
import { listDashboardInvoices } from "@/lib/invoices/dashboard-list";
import { DEFAULT_INVOICE_QUERY, parseInvoiceListQuery, type InvoiceListQuery } from "@/lib/invoices/dashboard-params";
import { createTestMerchant, MERCHANT_AUDIT, openApiTestDatabase, seedFreshRates } from "../helpers/merchant-fixtures";
import { targetName } from "../helpers/test-db";

// The export route reads the signed-in merchant; the session layer is replaced by a plain value.
const session = vi.hoisted(() => ({ merchant: null as null | { id: string } }));
vi.mock("@/lib/auth/current-merchant", () => ({
  currentMerchant: async () => session.merchant,
  requireMerchant: async () => session.merchant,
}));

type Row = typeof invoices.$inferSelect;
type Spec = {
  title: string;
  reference?: string;
  description?: string;
  currency?: "USD" | "EUR" | "CNY";
  cents: bigint;
  asset?: "BTC:bitcoin" | "ETH:ethereum" | "USDT:ethereum" | "USDT:tron";
  customer?: string;
  at: string;
  mode?: "test" | "live";
};

describe(`merchant dashboard: invoice list, search, filters, CSV (${targetName()})`, () => {
  let h: DatabaseHandle;
  let A: string;
  let B: string;
  const inv: Record<string, Row> = {};

  async function make(merchantId: string, spec: Spec): Promise<Row> {
    const now = new Date(spec.at);
    await seedFreshRates(h.db, now); // a rate locked at the invoice's own time
    const [cryptoCurrency, network] = (spec.asset ?? "BTC:bitcoin").split(":") as ["BTC", "bitcoin"];
    return createInvoice(
      h.db,
      {
        merchantId,
        mode: spec.mode ?? "test",
        title: spec.title,
        reference: spec.reference ?? null,
        description: spec.description ?? null,
        currency: spec.currency ?? "USD",
        items: [{ description: spec.title, quantity: 1n, unitPriceMinor: spec.cents }],
        cryptoCurrency,
        network,
        customer: spec.customer ? { email: spec.customer } : null,
        now,
      },
      MERCHANT_AUDIT,
    );
  }

  const q = (over: Partial<InvoiceListQuery>): InvoiceListQuery => ({ ...DEFAULT_INVOICE_QUERY, mode: "test", ...over });
  const titles = async (merchantId: string, over: Partial<InvoiceListQuery>) =>
    (await listDashboardInvoices(h.db, merchantId, q(over))).rows.map((r) => r.reference ?? r.title);

  beforeAll(async () => {
    h = await openApiTestDatabase(10_000);
    A = (await createTestMerchant(h.db, { plan: "pro" })).merchantId;
    B = (await createTestMerchant(h.db, { plan: "pro" })).merchantId;
    inv.a1 = await make(A, { title: "Annual subscription", reference: "ORD-1001", cents: 10_000n, customer: "alice@example.com", at: "2026-03-01T10:00:00Z" });
    inv.a2 = await make(A, { title: "Hosting plan", reference: "ORD-1002", currency: "EUR", cents: 2_550n, asset: "USDT:tron", customer: "bob@example.com", at: "2026-03-05T12:00:00Z" });
    inv.a3 = await make(A, {
      title: "Consulting hours",
      reference: '=HYPERLINK("http://evil.example")',
      description: 'Two days, "on site", in Berlin',
      currency: "CNY",
      cents: 99_999n,
      asset: "ETH:ethereum",
      at: "2026-03-10T23:59:00Z",
    });
    inv.a4 = await make(A, { title: "Annual subscription renewal", reference: "ORD-1004", cents: 500n, asset: "USDT:ethereum", customer: "alice@example.com", at: "2026-04-01T08:00:00Z" });
    inv.a5 = await make(A, { title: '@cmd, "quoted"\nsecond line', reference: "+SUM(1)", cents: 4_200n, at: "2026-04-15T09:30:00Z" });
    inv.a6 = await make(A, { title: "Live order", reference: "ORD-LIVE", cents: 1_000n, at: "2026-03-02T10:00:00Z", mode: "live" });
    inv.b1 = await make(B, { title: "Annual subscription", reference: "ORD-1001", cents: 7_700n, customer: "alice@example.com", at: "2026-03-03T10:00:00Z" });
    await h.db.update(invoices).set({ status: "paid", paidAt: new Date("2026-04-01T08:10:00Z") }).where(eq(invoices.id, inv.a4!.id));
    await h.db.update(invoices).set({ status: "cancelled" }).where(eq(invoices.id, inv.a5!.id));
    for (const [key, hash] of [["a2", "ab".repeat(32)], ["b1", "cd".repeat(32)]] as const) {
      const row = inv[key]!;
      await h.db.insert(payments).values({
        invoiceId: row.id,
        network: row.network,
        txHash: hash,
        outputIndex: 0,
        asset: row.cryptoCurrency,
        amount: row.cryptoAmount,
        toAddress: row.paymentAddress,
        requiredConfirmations: row.requiredConfirmations,
      });
    }
  });
  afterAll(async () => h?.close());

  describe("search", () => {
    it("finds title words with full-text search, only among the merchant's own invoices", async () => {
      expect(await titles(A, { q: "subscription" })).toEqual(["ORD-1004", "ORD-1001"]);
      expect(await titles(A, { q: "annual renewal" })).toEqual(["ORD-1004"]);
      expect(await titles(A, { q: "berlin" })).toEqual(['=HYPERLINK("http://evil.example")']);
      expect(await titles(A, { q: "nothing-like-this" })).toEqual([]);
      const b = await listDashboardInvoices(h.db, B, q({ q: "subscription" }));
      expect(b.rows.map((r) => r.id)).toEqual([inv.b1!.id]);
    });

    it("finds an order reference exactly, without the other merchant's invoice of the same reference", async () => {
      expect(await titles(A, { q: "ORD-1002" })).toEqual(["ORD-1002"]);
      const found = await listDashboardInvoices(h.db, A, q({ q: "ORD-1001" }));
      expect(found.rows.map((r) => r.id)).toEqual([inv.a1!.id]);
    });

    it("finds a customer's invoices by email, case-insensitively", async () => {
      expect(await titles(A, { q: "alice@example.com" })).toEqual(["ORD-1004", "ORD-1001"]);
      expect(await titles(A, { q: "ALICE@Example.com" })).toEqual(["ORD-1004", "ORD-1001"]);
      expect(await titles(A, { q: "carol@example.com" })).toEqual([]);
    });

    it("finds an invoice by id, tx hash or payment address, and never another merchant's", async () => {
      expect(await titles(A, { q: inv.a3!.id })).toEqual(['=HYPERLINK("http://evil.example")']);
      expect(await titles(A, { q: inv.a3!.id.toUpperCase() })).toEqual(['=HYPERLINK("http://evil.example")']);
      expect(await titles(A, { q: inv.b1!.id })).toEqual([]);
      expect(await titles(A, { q: "ab".repeat(32) })).toEqual(["ORD-1002"]);
      expect(await titles(A, { q: `0x${"AB".repeat(32)}` })).toEqual(["ORD-1002"]);
      expect(await titles(A, { q: "cd".repeat(32) })).toEqual([]);
      expect(await titles(A, { q: inv.a1!.paymentAddress })).toEqual(["ORD-1001"]);
      expect(await titles(A, { q: inv.b1!.paymentAddress })).toEqual([]);
    });
  });

  describe("filters", () => {
    it("filters by status, by fiat or crypto currency, and by mode", async () => {
      expect(await titles(A, { status: "paid" })).toEqual(["ORD-1004"]);
      expect(await titles(A, { status: "cancelled" })).toEqual(["+SUM(1)"]);
      expect(await titles(A, { status: "pending" })).toEqual(['=HYPERLINK("http://evil.example")', "ORD-1002", "ORD-1001"]);
      expect(await titles(A, { currency: "EUR" })).toEqual(["ORD-1002"]);
      expect(await titles(A, { currency: "ETH" })).toEqual(['=HYPERLINK("http://evil.example")']);
      expect(await titles(A, { currency: "USDT" })).toEqual(["ORD-1004", "ORD-1002"]);
      expect(await titles(A, { mode: "live" })).toEqual(["ORD-LIVE"]);
      expect(await titles(A, { mode: "live", q: "subscription" })).toEqual([]);
    });

    it("filters by a date range that includes its last day", async () => {
      const { query, errors } = parseInvoiceListQuery(new URLSearchParams("mode=test&from=2026-03-05&to=2026-03-10"));
      expect(errors).toEqual({});
      expect(await titles(A, query)).toEqual(['=HYPERLINK("http://evil.example")', "ORD-1002"]);
      const from = parseInvoiceListQuery(new URLSearchParams("mode=test&from=2026-04-01")).query;
      expect(await titles(A, from)).toEqual(["+SUM(1)", "ORD-1004"]);
      const to = parseInvoiceListQuery(new URLSearchParams("mode=test&to=2026-03-01")).query;
      expect(await titles(A, to)).toEqual(["ORD-1001"]);
    });

    it("filters by customer email or customer id, within the merchant", async () => {
      expect(await titles(A, { customer: "bob@example.com" })).toEqual(["ORD-1002"]);
      const [alice] = await h.db.select({ id: customers.id }).from(customers).where(eq(customers.id, inv.a1!.customerId!));
      expect(await titles(A, { customer: alice!.id })).toEqual(["ORD-1004", "ORD-1001"]);
      expect(await titles(A, { customer: inv.b1!.customerId! })).toEqual([]);
      expect(await titles(A, { customer: "nobody@example.com" })).toEqual([]);
      expect(await titles(A, { customer: "alice@example.com", status: "paid" })).toEqual(["ORD-1004"]);
    });

    it("reports a bad filter by its field and keeps the others", () => {
      const bad = parseInvoiceListQuery(new URLSearchParams("status=lost&currency=DOGE&from=2026-02-30&to=yesterday&customer=x&sort=name&dir=up&mode=demo&q=a%00b"));
      expect(Object.keys(bad.errors).sort()).toEqual(["currency", "customer", "dir", "from", "mode", "q", "sort", "status", "to"]);
      expect(bad.errors.from).toMatch(/start date/);
      const reversed = parseInvoiceListQuery(new URLSearchParams("from=2026-03-10&to=2026-03-01&status=paid"));
      expect(reversed.errors).toEqual({ to: "The end date is before the start date." });
      expect(reversed.query.status).toBe("paid");
      expect(parseInvoiceListQuery(new URLSearchParams("after=not-a-cursor")).errors.after).toMatch(/first page/);
    });
  });

  describe("sorting", () => {
    it("sorts by creation, total and status in both directions", async () => {
      expect(await titles(A, {})).toEqual(["+SUM(1)", "ORD-1004", '=HYPERLINK("http://evil.example")', "ORD-1002", "ORD-1001"]);
      expect(await titles(A, { dir: "asc" })).toEqual(["ORD-1001", "ORD-1002", '=HYPERLINK("http://evil.example")', "ORD-1004", "+SUM(1)"]);
      // Totals in minor units: 99999, 10000, 4200, 2550, 500.
      expect(await titles(A, { sort: "total" })).toEqual(['=HYPERLINK("http://evil.example")', "ORD-1001", "+SUM(1)", "ORD-1002", "ORD-1004"]);
      expect(await titles(A, { sort: "total", dir: "asc" })).toEqual(["ORD-1004", "ORD-1002", "+SUM(1)", "ORD-1001", '=HYPERLINK("http://evil.example")']);
      // Status in lifecycle order (pending, …, paid, …, cancelled); within one status by creation, in the same direction.
      expect(await titles(A, { sort: "status", dir: "asc" })).toEqual(["ORD-1001", "ORD-1002", '=HYPERLINK("http://evil.example")', "ORD-1004", "+SUM(1)"]);
      expect(await titles(A, { sort: "status" })).toEqual(["+SUM(1)", "ORD-1004", '=HYPERLINK("http://evil.example")', "ORD-1002", "ORD-1001"]);
    });
  });

  describe("pagination", () => {
    let C: string;
    const ids: string[] = []; // newest first
    beforeAll(async () => {
      C = (await createTestMerchant(h.db, { plan: "pro" })).merchantId;
      // Seven invoices, three of them created at the very same instant: ties are cut by id.
      const times = ["2026-05-01T10:00:00Z", "2026-05-02T10:00:00Z", "2026-05-03T10:00:00Z", "2026-05-03T10:00:00Z", "2026-05-03T10:00:00Z", "2026-05-04T10:00:00Z", "2026-05-05T10:00:00Z"];
      for (const [i, at] of times.entries()) await make(C, { title: `Item ${i}`, cents: BigInt(100 + i), at });
      const rows = await h.db.select({ id: invoices.id, createdAt: invoices.createdAt }).from(invoices).where(eq(invoices.merchantId, C));
      ids.push(...rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)).map((r) => r.id));
    });

    for (const sort of ["created", "total", "status"] as const) {
      for (const dir of ["desc", "asc"] as const) {
        it(`walks every page forwards and back again without gaps or repeats (${sort} ${dir})`, async () => {
          const all = await listDashboardInvoices(h.db, C, q({ sort, dir }), { pageSize: 100 });
          const expected = all.rows.map((r) => r.id);
          expect(expected).toHaveLength(7);
          if (sort === "created") expect(expected).toEqual(dir === "desc" ? ids : [...ids].reverse());
          const pages: string[][] = [];
          let page = await listDashboardInvoices(h.db, C, q({ sort, dir }), { pageSize: 3 });
          expect(page.prevCursor).toBeNull();
          pages.push(page.rows.map((r) => r.id));
          while (page.nextCursor) {
            page = await listDashboardInvoices(h.db, C, q({ sort, dir, after: page.nextCursor }), { pageSize: 3 });
            pages.push(page.rows.map((r) => r.id));
          }
          expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
          expect(pages.flat()).toEqual(expected);
          // Back from the last page: the previous cursors lead to exactly the earlier pages.
          const back = [pages.at(-1)!];
          while (page.prevCursor) {
            page = await listDashboardInvoices(h.db, C, q({ sort, dir, before: page.prevCursor }), { pageSize: 3 });
            back.unshift(page.rows.map((r) => r.id));
          }
          expect(back).toEqual(pages);
          expect(page.nextCursor).not.toBeNull();
        });
      }
    }

    it("has no next page when the last page is exactly full, and an empty page past the end", async () => {
      const first = await listDashboardInvoices(h.db, C, q({}), { pageSize: 7 });
      expect(first.rows).toHaveLength(7);
      expect(first.nextCursor).toBeNull();
      const six = await listDashboardInvoices(h.db, C, q({}), { pageSize: 6 });
      const last = await listDashboardInvoices(h.db, C, q({ after: six.nextCursor! }), { pageSize: 6 });
      expect(last.rows.map((r) => r.id)).toEqual([ids[6]]);
      expect(last.nextCursor).toBeNull();
      expect(last.prevCursor).not.toBeNull();
    });

    it("refuses a cursor made for another sort", async () => {
      const byTotal = await listDashboardInvoices(h.db, C, q({ sort: "total" }), { pageSize: 2 });
      const parsed = parseInvoiceListQuery(new URLSearchParams({ after: byTotal.nextCursor! }));
      expect(parsed.errors.after).toMatch(/another sort/);
      await expect(listDashboardInvoices(h.db, C, q({ after: byTotal.nextCursor! }))).rejects.toThrow(/another sort/);
    });
  });

  describe("the list page", () => {
    async function page(merchantId: string, params: Record<string, string>) {
      const { default: InvoicesPage } = await import("@/app/merchant/(dashboard)/invoices/page");
      session.merchant = { id: merchantId };
      return renderToStaticMarkup(await InvoicesPage({ searchParams: Promise.resolve(params) }));
    }

    it("lists the filtered invoices with links to them, and keeps the filter in the export link", async () => {
      const html = await page(A, { mode: "test", currency: "EUR" });
      expect(html).toContain(`href="/merchant/invoices/${inv.a2!.id}"`);
      expect(html).not.toContain(`href="/merchant/invoices/${inv.a1!.id}"`);
      expect(html).toContain('href="/merchant/invoices/export?mode=test&amp;currency=EUR"');
      expect(html).toContain("€25.50");
    });

    it("shows the empty, no-result and bad-filter states", async () => {
      expect(await page(A, { mode: "test", q: "nothing-like-this" })).toContain("No invoices match these filters.");
      expect(await page(B, { mode: "live" })).toContain("No live invoices yet.");
      const bad = await page(A, { mode: "test", status: "lost", from: "2026-13-01" });
      expect(bad).toContain("Some filters are not valid");
      expect(bad).toMatch(/id="status-error"[^>]*>Status must be one of/);
      expect(bad).toMatch(/id="from-error"[^>]*>Enter the start date/);
      expect(bad).not.toContain("<table");
    });
  });

  describe("CSV export", () => {
    async function csvOf(query: InvoiceListQuery, batchSize?: number): Promise<string> {
      return new Response(streamInvoiceCsv(h.db, A, query, batchSize)).text();
    }

    /** RFC 4180 parser, enough to read the export back. */
    function parseCsv(text: string): string[][] {
      const rows: string[][] = [];
      let row: string[] = [];
      let cell = "";
      let quoted = false;
      for (let i = 0; i < text.length; i++) {
        const c = text[i]!;
        if (quoted && c === '"' && text[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (quoted && c === '"') {
          quoted = false;
        } else if (quoted) {
          cell += c;
        } else if (c === '"') {
          quoted = true;
        } else if (c === ",") {
          row.push(cell);
          cell = "";
        } else if (c === "\r" && text[i + 1] === "\n") {
          row.push(cell);
          rows.push(row);
          row = [];
          cell = "";
          i++;
        } else {
          cell += c;
        }
      }
      return rows;
    }

    it("quotes per RFC 4180 and defuses cells a spreadsheet would run as formulas", () => {
      expect(csvCell("plain")).toBe("plain");
      expect(csvCell('say "hi", twice')).toBe('"say ""hi"", twice"');
      expect(csvCell("two\nlines")).toBe('"two\nlines"');
      expect(csvCell("=1+1")).toBe("'=1+1");
      expect(csvCell("+1")).toBe("'+1");
      expect(csvCell("-1")).toBe("'-1");
      expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
      expect(csvCell("\tx")).toBe("'\tx");
      expect(csvCell('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
      expect(csvCell(null)).toBe("");
    });

    it("exports every invoice of the current filter in order, amounts as decimals, across several batches", async () => {
      const text = await csvOf(q({}), 2);
      expect(text.endsWith("\r\n")).toBe(true);
      const [header, ...rows] = parseCsv(text);
      expect(header).toEqual([...INVOICE_CSV_COLUMNS]);
      expect(rows.map((r) => r[0])).toEqual([inv.a5!.id, inv.a4!.id, inv.a3!.id, inv.a2!.id, inv.a1!.id]);
      const col = (row: string[], name: (typeof INVOICE_CSV_COLUMNS)[number]) => row[INVOICE_CSV_COLUMNS.indexOf(name)];
      const a3 = rows[2]!;
      expect(col(a3, "reference")).toBe(`'=HYPERLINK("http://evil.example")`);
      expect(col(a3, "currency")).toBe("CNY");
      expect(col(a3, "total")).toBe("999.99");
      expect(col(a3, "crypto_currency")).toBe("ETH");
      expect(col(a3, "crypto_amount")).toBe(formatDecimalUnitsTrimmed(inv.a3!.cryptoAmount, getAsset("ETH").decimals));
      expect(col(a3, "mode")).toBe("test");
      const a5 = rows[0]!;
      expect(col(a5, "title")).toBe(`'@cmd, "quoted"\nsecond line`);
      expect(col(a5, "reference")).toBe("'+SUM(1)");
      expect(col(a5, "status")).toBe("cancelled");
      expect(col(rows[1]!, "customer_email")).toBe("alice@example.com");
      expect(col(rows[1]!, "paid_at")).toBe("2026-04-01T08:10:00.000Z");
      expect(col(rows[3]!, "total")).toBe("25.50");
      expect(col(rows[3]!, "subtotal")).toBe("25.50");
      expect(col(rows[3]!, "tax")).toBe("0.00");
    });

    it("exports only the filtered invoices, whatever page the merchant was on", async () => {
      const paid = parseCsv(await csvOf(q({ status: "paid" })));
      expect(paid.slice(1).map((r) => r[0])).toEqual([inv.a4!.id]);
      const page2 = await listDashboardInvoices(h.db, A, q({}), { pageSize: 2 });
      const all = parseCsv(await csvOf(q({ after: page2.nextCursor! })));
      expect(all).toHaveLength(6);
      const none = parseCsv(await csvOf(q({ q: "nothing-like-this" })));
      expect(none).toEqual([[...INVOICE_CSV_COLUMNS]]);
    });

    it("the export route streams CSV for the signed-in merchant, refuses a bad filter and a missing session", async () => {
      const { GET } = await import("@/app/merchant/(dashboard)/invoices/export/route");
      session.merchant = { id: A };
      const ok = await GET(new Request("http://localhost/merchant/invoices/export?mode=test&currency=EUR"));
      expect(ok.status).toBe(200);
      expect(ok.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(ok.headers.get("content-disposition")).toMatch(/^attachment; filename="invoices-test-\d{4}-\d{2}-\d{2}\.csv"$/);
      expect(parseCsv(await ok.text()).slice(1).map((r) => r[0])).toEqual([inv.a2!.id]);
      const bad = await GET(new Request("http://localhost/merchant/invoices/export?status=lost"));
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ code: "invalid_filter", field: "status" });
      session.merchant = { id: B };
      const other = await GET(new Request("http://localhost/merchant/invoices/export?mode=test"));
      expect(parseCsv(await other.text()).slice(1).map((r) => r[0])).toEqual([inv.b1!.id]);
      session.merchant = null;
      const anonymous = await GET(new Request("http://localhost/merchant/invoices/export"));
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ code: "unauthenticated" });
    });
  });
});
