import { and, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { queryRows } from "@/db";
import { customers, invoices, payments } from "@/db/schema";
import { CRYPTO_CURRENCIES, NETWORKS, type InvoiceStatus } from "@/lib/domain";
import { decodeListCursor, encodeListCursor, type InvoiceListQuery, type ListCursor } from "./dashboard-params";
import { isUuid } from "@/lib/uuid";

/**
 * The merchant dashboard's invoice list: filters, full-text search (plus exact id, customer email,
 * payment address and transaction hash), three sorts, keyset pages both ways. Every query is
 * scoped by merchant and mode first, which the (merchant_id, livemode, …) indexes lead with.
 */

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const TX_HASH = /^(0x)?([0-9a-f]{64})$/i;
/** Bitcoin (base58 / bech32), Ethereum (0x + 40 hex) and Tron (T… base58) addresses. */
const ADDRESS = /^(0x[0-9a-fA-F]{40}|[13][1-9A-HJ-NP-Za-km-z]{24,34}|(bc|tb|bcrt)1[02-9ac-hj-np-z]{8,87}|T[1-9A-HJ-NP-Za-km-z]{33})$/;

export const listColumns = {
  id: invoices.id,
  title: invoices.title,
  reference: invoices.reference,
  status: invoices.status,
  exception: invoices.exception,
  livemode: invoices.livemode,
  fiatCurrency: invoices.fiatCurrency,
  subtotalMinor: invoices.subtotalMinor,
  taxMinor: invoices.taxMinor,
  totalMinor: invoices.totalMinor,
  cryptoCurrency: invoices.cryptoCurrency,
  network: invoices.network,
  cryptoAmount: invoices.cryptoAmount,
  amountReceived: invoices.amountReceived,
  paymentAddress: invoices.paymentAddress,
  customerId: invoices.customerId,
  customerEmail: customers.email,
  createdAt: invoices.createdAt,
  paidAt: invoices.paidAt,
  expiresAt: invoices.expiresAt,
  // Exact (microsecond) creation time for the cursor: a JS Date would round ties away.
  createdAtText: sql<string>`${invoices.createdAt}::text`.as("created_at_text"),
};

export type DashboardInvoiceRow = {
  id: string;
  title: string;
  reference: string | null;
  status: InvoiceStatus;
  exception: (typeof invoices.$inferSelect)["exception"];
  livemode: boolean;
  fiatCurrency: (typeof invoices.$inferSelect)["fiatCurrency"];
  subtotalMinor: bigint;
  taxMinor: bigint;
  totalMinor: bigint;
  cryptoCurrency: (typeof invoices.$inferSelect)["cryptoCurrency"];
  network: (typeof invoices.$inferSelect)["network"];
  cryptoAmount: bigint;
  amountReceived: bigint;
  paymentAddress: string;
  customerId: string | null;
  customerEmail: string | null;
  createdAt: Date;
  paidAt: Date | null;
  expiresAt: Date;
  createdAtText: string;
};

export type DashboardInvoicePage = {
  rows: DashboardInvoiceRow[];
  /** `after` cursor of the next page, when there is one. */
  nextCursor: string | null;
  /** `before` cursor of the previous page, when there is one. */
  prevCursor: string | null;
};

/**
 * What an exact identifier typed into the search box points at: an invoice id, an order
 * reference, a transaction hash, a payment address (invoice ids), or a customer's email or id
 * (customer ids). Each is one index look-up, scoped to the merchant.
 */
async function exactMatches(db: Executor, merchantId: string, q: string): Promise<{ ids: string[]; customerIds: string[] }> {
  const lookups: Promise<{ id: string }[]>[] = [];
  if (isUuid(q)) {
    lookups.push(db.select({ id: invoices.id }).from(invoices).where(and(eq(invoices.id, q.toLowerCase()), eq(invoices.merchantId, merchantId))));
  }
  if (!/\s/.test(q)) {
    lookups.push(
      db.select({ id: invoices.id }).from(invoices).where(and(eq(invoices.merchantId, merchantId), eq(invoices.reference, q))).limit(100),
    );
  }
  const hash = TX_HASH.exec(q);
  if (hash) {
    const hex = hash[2]!.toLowerCase();
    // Listing every network makes the (network, tx_hash, …) unique index usable by tx hash alone.
    lookups.push(
      db
        .selectDistinct({ id: payments.invoiceId })
        .from(payments)
        .innerJoin(invoices, eq(invoices.id, payments.invoiceId))
        .where(and(inArray(payments.network, [...NETWORKS]), inArray(payments.txHash, [hex, `0x${hex}`, q]), eq(invoices.merchantId, merchantId)))
        .limit(100),
    );
  }
  if (ADDRESS.test(q)) {
    lookups.push(
      db
        .select({ id: invoices.id })
        .from(invoices)
        .where(and(inArray(invoices.network, [...NETWORKS]), eq(invoices.paymentAddress, q), eq(invoices.merchantId, merchantId)))
        .limit(100),
    );
  }
  const customerIds =
    EMAIL.test(q) || isUuid(q)
      ? (
          await db
            .select({ id: customers.id })
            .from(customers)
            .where(
              and(
                eq(customers.merchantId, merchantId),
                isUuid(q) ? eq(customers.id, q.toLowerCase()) : sql`lower(${customers.email}) = lower(${q})`,
              ),
            )
        ).map((r) => r.id)
      : [];
  const ids = (await Promise.all(lookups)).flat().map((r) => r.id);
  return { ids: [...new Set(ids)], customerIds };
}

async function customerIdsByEmail(db: Executor, merchantId: string, email: string): Promise<string[]> {
  const rows = await db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.merchantId, merchantId), sql`lower(${customers.email}) = lower(${email})`));
  return rows.map((r) => r.id);
}

/** The WHERE conditions of a query (without the page cursor). */
export async function invoiceFilterConditions(db: Executor, merchantId: string, query: InvoiceListQuery): Promise<SQL[]> {
  const conditions: SQL[] = [eq(invoices.merchantId, merchantId), eq(invoices.livemode, query.mode === "live")];
  if (query.status) conditions.push(eq(invoices.status, query.status));
  if (query.currency) {
    conditions.push(
      (CRYPTO_CURRENCIES as readonly string[]).includes(query.currency)
        ? eq(invoices.cryptoCurrency, query.currency as (typeof CRYPTO_CURRENCIES)[number])
        : eq(invoices.fiatCurrency, query.currency as "USD"),
    );
  }
  if (query.from) conditions.push(gte(invoices.createdAt, query.from));
  if (query.toExclusive) conditions.push(lt(invoices.createdAt, query.toExclusive));
  if (query.customer) {
    if (isUuid(query.customer)) conditions.push(eq(invoices.customerId, query.customer.toLowerCase()));
    else {
      const ids = await customerIdsByEmail(db, merchantId, query.customer);
      conditions.push(ids.length ? inArray(invoices.customerId, ids) : sql`false`);
    }
  }
  if (query.q) {
    // An exact identifier shows just what it names; anything else is a full-text search over
    // title, description and reference.
    const exact = await exactMatches(db, merchantId, query.q);
    const alternatives: SQL[] = [];
    if (exact.ids.length) alternatives.push(inArray(invoices.id, exact.ids));
    if (exact.customerIds.length) alternatives.push(inArray(invoices.customerId, exact.customerIds));
    if (alternatives.length === 0) alternatives.push(sql`${invoices.search} @@ websearch_to_tsquery('simple', ${query.q})`);
    conditions.push(alternatives.length === 1 ? alternatives[0]! : or(...alternatives)!);
  }
  return conditions;
}

/** The sort key columns, in order; `desc` picks the direction of all of them. */
function sortColumns(sort: InvoiceListQuery["sort"]) {
  if (sort === "total") return [invoices.totalMinor, invoices.id];
  if (sort === "status") return [invoices.status, invoices.createdAt, invoices.id];
  return [invoices.createdAt, invoices.id];
}

function cursorValues(cursor: ListCursor): SQL[] {
  const id = sql`${cursor.id}::uuid`;
  if (cursor.sort === "total") return [sql`${cursor.total}::bigint`, id];
  if (cursor.sort === "status") return [sql`${cursor.status}::invoice_status`, sql`${cursor.createdAt}::timestamptz`, id];
  return [sql`${cursor.createdAt}::timestamptz`, id];
}

function cursorOf(row: DashboardInvoiceRow, sort: InvoiceListQuery["sort"]): string {
  if (sort === "total") return encodeListCursor({ sort, total: row.totalMinor.toString(), id: row.id });
  if (sort === "status") return encodeListCursor({ sort, status: row.status, createdAt: row.createdAtText, id: row.id });
  return encodeListCursor({ sort, createdAt: row.createdAtText, id: row.id });
}

/** One page of the merchant's invoices for `query`; `before` pages backwards. */
export async function listDashboardInvoices(
  db: Executor,
  merchantId: string,
  query: InvoiceListQuery,
  options: { pageSize?: number; conditions?: SQL[] } = {},
): Promise<DashboardInvoicePage> {
  const pageSize = options.pageSize ?? 25;
  const conditions = [...(options.conditions ?? (await invoiceFilterConditions(db, merchantId, query)))];
  const backwards = Boolean(query.before);
  // Reading backwards walks the same order reversed, then flips the page.
  const desc = backwards ? query.dir === "asc" : query.dir === "desc";
  const columns = sortColumns(query.sort);
  const raw = query.after ?? query.before;
  if (raw) {
    const values = cursorValues(decodeListCursor(raw, query.sort));
    // A row comparison, so the index is entered at the cursor rather than scanned up to it.
    conditions.push(sql`(${sql.join(columns, sql`, `)}) ${desc ? sql`<` : sql`>`} (${sql.join(values, sql`, `)})`);
  }
  // NULLS LAST / FIRST as the (merchant_id, livemode, created_at DESC NULLS LAST, id DESC NULLS LAST)
  // index reads forwards / backwards, so the page comes off the index with no sort.
  const order = columns.map((c) => (desc ? sql`${c} desc nulls last` : sql`${c} asc nulls first`));
  const found = (await db
    .select(listColumns)
    .from(invoices)
    .leftJoin(customers, eq(customers.id, invoices.customerId))
    .where(and(...conditions))
    .orderBy(...order)
    .limit(pageSize + 1)) as DashboardInvoiceRow[];
  const more = found.length > pageSize;
  const rows = found.slice(0, pageSize);
  if (backwards) rows.reverse();
  const first = rows[0];
  const last = rows.at(-1);
  if (backwards) {
    return { rows, prevCursor: more && first ? cursorOf(first, query.sort) : null, nextCursor: last ? cursorOf(last, query.sort) : null };
  }
  return { rows, nextCursor: more && last ? cursorOf(last, query.sort) : null, prevCursor: query.after && first ? cursorOf(first, query.sort) : null };
}

/** Whether the merchant has any invoice in this mode: tells "no invoices yet" from "nothing matches". */
export async function hasAnyInvoice(db: Executor, merchantId: string, mode: InvoiceListQuery["mode"]): Promise<boolean> {
  const rows = await queryRows<{ one: number }>(
    db,
    sql`select 1 as one from ${invoices} where ${invoices.merchantId} = ${merchantId} and ${invoices.livemode} = ${mode === "live"} limit 1`,
  );
  return rows.length > 0;
}
