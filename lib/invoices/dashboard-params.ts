import { CRYPTO_CURRENCIES, DomainError, FIAT_CURRENCIES, INVOICE_STATUSES, type CryptoCurrency, type FiatCurrency, type InvoiceStatus } from "@/lib/domain";
import { isUuid } from "@/lib/uuid";

/**
 * The merchant dashboard's invoice list query, as it travels in the URL (a GET form): parsed and
 * validated here once, so the page, the CSV export and the benchmark read the same filters.
 */

export const INVOICE_SORTS = ["created", "total", "status"] as const;
export type InvoiceSort = (typeof INVOICE_SORTS)[number];
export const INVOICE_CURRENCIES = [...FIAT_CURRENCIES, ...CRYPTO_CURRENCIES] as const;
export type InvoiceCurrencyFilter = FiatCurrency | CryptoCurrency;

export type InvoiceListQuery = {
  mode: "live" | "test";
  q?: string;
  status?: InvoiceStatus;
  currency?: InvoiceCurrencyFilter;
  /** Inclusive first day (UTC midnight). */
  from?: Date;
  /** Exclusive end: the UTC midnight after the chosen last day. */
  toExclusive?: Date;
  /** A customer's email or id. */
  customer?: string;
  sort: InvoiceSort;
  dir: "asc" | "desc";
  after?: string;
  before?: string;
};

export const DEFAULT_INVOICE_QUERY: InvoiceListQuery = { mode: "live", sort: "created", dir: "desc" };

/** Which URL parameter (= form field) each filter comes from, for error messages. */
export type InvoiceQueryField = "mode" | "q" | "status" | "currency" | "from" | "to" | "customer" | "sort" | "dir" | "after" | "before";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function parseDay(value: string): Date | null {
  const m = DAY.exec(value);
  if (!m) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  // Rejects 2026-02-30 and friends, which Date.UTC would roll over into March.
  if (date.getUTCFullYear() !== Number(m[1]) || date.getUTCMonth() !== Number(m[2]) - 1 || date.getUTCDate() !== Number(m[3])) return null;
  if (date.getUTCFullYear() < 2000 || date.getUTCFullYear() > 9998) return null;
  return date;
}

export type ParsedInvoiceQuery = {
  query: InvoiceListQuery;
  /** One message per bad field; the list is not run while any remain. */
  errors: Partial<Record<InvoiceQueryField, string>>;
  /** The raw values, to refill the form as the merchant typed them. */
  values: Record<InvoiceQueryField, string>;
};

/** Reads the list query from URL parameters; unknown parameters are ignored, bad ones reported by field. */
export function parseInvoiceListQuery(params: URLSearchParams): ParsedInvoiceQuery {
  const raw = (key: InvoiceQueryField) => (params.get(key) ?? "").trim();
  const values = Object.fromEntries(
    (["mode", "q", "status", "currency", "from", "to", "customer", "sort", "dir", "after", "before"] as const).map((k) => [k, raw(k)]),
  ) as Record<InvoiceQueryField, string>;
  const errors: ParsedInvoiceQuery["errors"] = {};
  const query: InvoiceListQuery = { ...DEFAULT_INVOICE_QUERY };

  if (values.mode) {
    if (values.mode === "live" || values.mode === "test") query.mode = values.mode;
    else errors.mode = "Mode must be live or test.";
  }
  if (values.q) {
    if (values.q.length > 200) errors.q = "Keep the search under 200 characters.";
    else if (!NO_CONTROL.test(values.q)) errors.q = "The search contains control characters.";
    else query.q = values.q;
  }
  if (values.status) {
    if ((INVOICE_STATUSES as readonly string[]).includes(values.status)) query.status = values.status as InvoiceStatus;
    else errors.status = `Status must be one of ${INVOICE_STATUSES.join(", ")}.`;
  }
  if (values.currency) {
    const upper = values.currency.toUpperCase();
    if ((INVOICE_CURRENCIES as readonly string[]).includes(upper)) query.currency = upper as InvoiceCurrencyFilter;
    else errors.currency = `Currency must be one of ${INVOICE_CURRENCIES.join(", ")}.`;
  }
  if (values.from) {
    const from = parseDay(values.from);
    if (from) query.from = from;
    else errors.from = "Enter the start date as YYYY-MM-DD.";
  }
  if (values.to) {
    const to = parseDay(values.to);
    if (to) query.toExclusive = new Date(to.getTime() + 86_400_000);
    else errors.to = "Enter the end date as YYYY-MM-DD.";
  }
  if (query.from && query.toExclusive && query.toExclusive <= query.from) errors.to = "The end date is before the start date.";
  if (values.customer) {
    if (isUuid(values.customer) || (EMAIL.test(values.customer) && values.customer.length <= 254)) query.customer = values.customer;
    else errors.customer = "Enter the customer's email address or customer id.";
  }
  if (values.sort) {
    if ((INVOICE_SORTS as readonly string[]).includes(values.sort)) query.sort = values.sort as InvoiceSort;
    else errors.sort = "Sort by created, total or status.";
  }
  if (values.dir) {
    if (values.dir === "asc" || values.dir === "desc") query.dir = values.dir;
    else errors.dir = "Order must be asc or desc.";
  }
  if (values.after && values.before) errors.after = "Use either after or before, not both.";
  else if (values.after) query.after = values.after;
  else if (values.before) query.before = values.before;
  // Cursors are checked against the sort when decoded (decodeListCursor).
  for (const key of ["after", "before"] as const) {
    const cursor = query[key];
    if (!cursor) continue;
    try {
      decodeListCursor(cursor, query.sort);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      errors[key] = error.message;
      delete query[key];
    }
  }
  return { query, errors, values };
}

/** The URL search string of a query (defaults left out, so links stay short); `patch` overrides fields. */
export function invoiceQueryString(query: InvoiceListQuery, patch: Partial<Record<InvoiceQueryField, string | undefined>> = {}): string {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const base: Partial<Record<InvoiceQueryField, string | undefined>> = {
    mode: query.mode === "live" ? undefined : query.mode,
    q: query.q,
    status: query.status,
    currency: query.currency,
    from: query.from ? day(query.from) : undefined,
    to: query.toExclusive ? day(new Date(query.toExclusive.getTime() - 86_400_000)) : undefined,
    customer: query.customer,
    sort: query.sort === "created" ? undefined : query.sort,
    dir: query.dir === "desc" ? undefined : query.dir,
    after: query.after,
    before: query.before,
  };
  const merged = { ...base, ...patch };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(merged)) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : "";
}

// ---------------------------------------------------------------------------------------------
// Keyset cursors: the sort key values of the row a page ends at, tagged with the sort they
// belong to, so a cursor from another sort is refused rather than silently misread.

export type ListCursor =
  | { sort: "created"; createdAt: string; id: string }
  | { sort: "total"; total: string; id: string }
  | { sort: "status"; status: InvoiceStatus; createdAt: string; id: string };

export function encodeListCursor(cursor: ListCursor): string {
  const parts =
    cursor.sort === "created"
      ? ["c", cursor.createdAt, cursor.id]
      : cursor.sort === "total"
        ? ["t", cursor.total, cursor.id]
        : ["s", cursor.status, cursor.createdAt, cursor.id];
  return Buffer.from(parts.join("|")).toString("base64url");
}

// created_at as PostgreSQL prints timestamptz (microseconds kept, so ties are cut exactly).
const PG_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?|Z)$/;

export function decodeListCursor(cursor: string, sort: InvoiceSort): ListCursor {
  const invalid = () =>
    new DomainError("invoice_list.invalid_cursor", "That page link is out of date or belongs to another sort; start again from the first page.", {
      field: "after",
    });
  if (cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  const parts = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const id = parts.at(-1) ?? "";
  if (!isUuid(id)) throw invalid();
  if (sort === "created" && parts[0] === "c" && parts.length === 3 && PG_TIMESTAMP.test(parts[1]!)) {
    return { sort, createdAt: parts[1]!, id };
  }
  if (sort === "total" && parts[0] === "t" && parts.length === 3 && /^\d{1,19}$/.test(parts[1]!)) {
    return { sort, total: parts[1]!, id };
  }
  if (
    sort === "status" &&
    parts[0] === "s" &&
    parts.length === 4 &&
    (INVOICE_STATUSES as readonly string[]).includes(parts[1]!) &&
    PG_TIMESTAMP.test(parts[2]!)
  ) {
    return { sort, status: parts[1] as InvoiceStatus, createdAt: parts[2]!, id };
  }
  throw invalid();
}
