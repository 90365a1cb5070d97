import { and, count, desc, eq, ilike, inArray, like, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { auditEntries, customerPaymentHistory, customers, invoices } from "@/db/schema";
import type { FiatCurrency } from "@/lib/domain";
import { isUuid } from "@/lib/invoices/queries";

/**
 * Read models of the merchant dashboard's customer pages. Every query is scoped to one merchant:
 * another merchant's customer is simply not found. Totals come from the append-only
 * customer_payment_history (what was finally paid, cancelled or expired) and the invoices table.
 */

export const CUSTOMER_STATUSES = ["active", "blocked", "inactive"] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];
export const CUSTOMERS_PAGE_SIZE = 25;
export const HISTORY_PAGE_SIZE = 25;

export type CustomerFilters = { q?: string; status?: CustomerStatus; page: number };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
const pageOf = (v: string | string[] | undefined) => {
  const page = Number(one(v) ?? "1");
  return Number.isSafeInteger(page) && page >= 1 && page <= 10_000 ? page : 1;
};

/** The URL's search parameters, with anything unknown or malformed dropped rather than trusted. */
export function parseCustomerFilters(params: Record<string, string | string[] | undefined>): CustomerFilters {
  const status = one(params.status);
  return {
    // NUL cannot be sent to PostgreSQL in text; control characters never match an email anyway.
    q: one(params.q)?.replace(/[\u0000-\u001f]/g, "").slice(0, 100) || undefined,
    status: (CUSTOMER_STATUSES as readonly string[]).includes(status ?? "") ? (status as CustomerStatus) : undefined,
    page: pageOf(params.page),
  };
}

export function parseHistoryPage(params: Record<string, string | string[] | undefined>): number {
  return pageOf(params.page);
}

/** Paid totals per currency, and how many history entries ended in each final status. */
export type CustomerTotals = {
  invoiceCount: number;
  paid: { currency: FiatCurrency; amountMinor: bigint; count: number }[];
  cancelledCount: number;
  expiredCount: number;
};

const emptyTotals = (): CustomerTotals => ({ invoiceCount: 0, paid: [], cancelledCount: 0, expiredCount: 0 });

/** The display name merchants may keep in metadata.name (customers have no name column). */
export const customerName = (metadata: Record<string, string>): string | null =>
  typeof metadata?.name === "string" && metadata.name.trim() ? metadata.name.trim() : null;

async function totalsFor(db: Executor, merchantId: string, customerIds: string[]): Promise<Map<string, CustomerTotals>> {
  const out = new Map(customerIds.map((id) => [id, emptyTotals()]));
  if (customerIds.length === 0) return out;
  const [history, invoiceCounts] = await Promise.all([
    db
      .select({
        customerId: customerPaymentHistory.customerId,
        currency: customerPaymentHistory.currency,
        status: customerPaymentHistory.status,
        count: count(),
        // Summed in SQL as numeric and read back as text: exact, whatever the total.
        amount: sql<string>`sum(${customerPaymentHistory.amountMinor})::text`,
      })
      .from(customerPaymentHistory)
      .where(inArray(customerPaymentHistory.customerId, customerIds))
      .groupBy(customerPaymentHistory.customerId, customerPaymentHistory.currency, customerPaymentHistory.status),
    db
      .select({ customerId: invoices.customerId, count: count() })
      .from(invoices)
      .where(and(eq(invoices.merchantId, merchantId), inArray(invoices.customerId, customerIds)))
      .groupBy(invoices.customerId),
  ]);
  for (const row of history) {
    const totals = out.get(row.customerId)!;
    if (row.status === "paid") totals.paid.push({ currency: row.currency, amountMinor: BigInt(row.amount), count: row.count });
    else if (row.status === "cancelled") totals.cancelledCount += row.count;
    else totals.expiredCount += row.count;
  }
  for (const row of invoiceCounts) if (row.customerId) out.get(row.customerId)!.invoiceCount = row.count;
  for (const totals of out.values()) totals.paid.sort((a, b) => a.currency.localeCompare(b.currency));
  return out;
}

export type CustomerListRow = {
  id: string;
  email: string;
  name: string | null;
  status: CustomerStatus;
  createdAt: Date;
  lastSeenAt: Date | null;
  totals: CustomerTotals;
};

export async function listMerchantCustomers(
  db: Executor,
  merchantId: string,
  filters: CustomerFilters,
): Promise<{ rows: CustomerListRow[]; total: number }> {
  const conditions: SQL[] = [eq(customers.merchantId, merchantId)];
  if (filters.status) conditions.push(eq(customers.status, filters.status));
  if (filters.q) {
    const pattern = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const match = [ilike(customers.email, pattern), ilike(sql`${customers.metadata}->>'name'`, pattern)];
    if (isUuid(filters.q)) match.push(eq(customers.id, filters.q));
    conditions.push(or(...match)!);
  }
  const where = and(...conditions);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(customers)
      .where(where)
      .orderBy(desc(customers.createdAt), desc(customers.id))
      .limit(CUSTOMERS_PAGE_SIZE)
      .offset((filters.page - 1) * CUSTOMERS_PAGE_SIZE),
    db.select({ n: count() }).from(customers).where(where),
  ]);
  const totals = await totalsFor(db, merchantId, rows.map((r) => r.id));
  return {
    rows: rows.map((r) => ({
      id: r.id,
      email: r.email,
      name: customerName(r.metadata),
      status: r.status,
      createdAt: r.createdAt,
      lastSeenAt: r.lastSeenAt,
      totals: totals.get(r.id)!,
    })),
    total: total?.n ?? 0,
  };
}

export type CustomerHistoryEntry = {
  id: string;
  invoiceId: string;
  invoiceTitle: string;
  invoiceReference: string | null;
  amountMinor: bigint;
  currency: FiatCurrency;
  status: "paid" | "cancelled" | "expired";
  paidAt: Date | null;
  createdAt: Date;
};

export type CustomerActivity = { event: string; actorType: string; createdAt: Date };

export type CustomerDetail = CustomerListRow & {
  metadata: Record<string, string>;
  updatedAt: Date;
  history: { entries: CustomerHistoryEntry[]; total: number; page: number };
  activity: CustomerActivity[];
};

/** One customer of this merchant with its totals, a page of its payment history and its audit trail; null if not theirs. */
export async function getMerchantCustomer(
  db: Executor,
  merchantId: string,
  customerId: string,
  historyPage = 1,
): Promise<CustomerDetail | null> {
  if (!isUuid(customerId)) return null;
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.merchantId, merchantId)));
  if (!row) return null;
  const [totals, entries, [historyTotal], activity] = await Promise.all([
    totalsFor(db, merchantId, [row.id]),
    db
      .select({
        id: customerPaymentHistory.id,
        invoiceId: customerPaymentHistory.invoiceId,
        invoiceTitle: invoices.title,
        invoiceReference: invoices.reference,
        amountMinor: customerPaymentHistory.amountMinor,
        currency: customerPaymentHistory.currency,
        status: customerPaymentHistory.status,
        paidAt: customerPaymentHistory.paidAt,
        createdAt: customerPaymentHistory.createdAt,
      })
      .from(customerPaymentHistory)
      .innerJoin(invoices, eq(invoices.id, customerPaymentHistory.invoiceId))
      .where(and(eq(customerPaymentHistory.customerId, row.id), eq(invoices.merchantId, merchantId)))
      .orderBy(desc(customerPaymentHistory.createdAt), desc(customerPaymentHistory.id))
      .limit(HISTORY_PAGE_SIZE)
      .offset((historyPage - 1) * HISTORY_PAGE_SIZE),
    db.select({ n: count() }).from(customerPaymentHistory).where(eq(customerPaymentHistory.customerId, row.id)),
    db
      .select({ event: auditEntries.event, actorType: auditEntries.actorType, createdAt: auditEntries.createdAt })
      .from(auditEntries)
      .where(
        and(
          eq(auditEntries.merchantId, merchantId),
          like(auditEntries.event, "customer.%"),
          sql`${auditEntries.data}->>'customerId' = ${row.id}`,
        ),
      )
      .orderBy(desc(auditEntries.createdAt))
      .limit(20),
  ]);
  return {
    id: row.id,
    email: row.email,
    name: customerName(row.metadata),
    status: row.status,
    metadata: row.metadata,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastSeenAt: row.lastSeenAt,
    totals: totals.get(row.id)!,
    history: { entries, total: historyTotal?.n ?? 0, page: historyPage },
    activity,
  };
}
