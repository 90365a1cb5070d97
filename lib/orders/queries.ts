import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { accountOrders, accounts, invoices, ORDER_STATUSES, type OrderStatus } from "@/db/schema";
import { CredentialsMissingError, readAccountCredentials, type AwsCredentials } from "@/lib/accounts/credentials";
import type { KeyEncryptionKey } from "@/lib/crypto/envelope";
import { money, type FiatCurrency, type Money } from "@/lib/domain";
import { hashAccessToken, isAccessTokenShape } from "./access-token";

/**
 * Read models of orders: the buyer's order page (found by the token of its link, nothing else) and
 * the admin's list. Credentials are opened only for a paid order, and only for its page.
 */

export type OrderPageView = {
  status: OrderStatus;
  account: { id: string; displayName: string; regions: string[]; instructions: string };
  price: Money & { asset: FiatCurrency };
  createdAt: Date;
  reservedUntil: Date;
  paidAt: Date | null;
  closedAt: Date | null;
  invoice: { id: string; status: string; checkoutPath: string };
  emailedTo: string | null;
  /** Present only when the order is paid (and the account still has credentials on file). */
  credentials: AwsCredentials | null;
};

/** The order behind an order link, or null for anything that is not one (no timing on the shape). */
export async function findOrderByToken(
  db: Executor,
  token: string,
  options: { keks?: KeyEncryptionKey[] } = {},
): Promise<OrderPageView | null> {
  if (!isAccessTokenShape(token)) return null;
  const [row] = await db
    .select({
      order: accountOrders,
      account: { id: accounts.id, displayName: accounts.displayName, regions: accounts.regions, instructions: accounts.instructions },
      invoice: { id: invoices.id, status: invoices.status },
    })
    .from(accountOrders)
    .innerJoin(accounts, eq(accounts.id, accountOrders.accountId))
    .innerJoin(invoices, eq(invoices.id, accountOrders.invoiceId))
    .where(eq(accountOrders.accessTokenHash, hashAccessToken(token)));
  if (!row) return null;
  const { order } = row;
  const paid = order.status === "paid";
  const credentials = paid ? await paidCredentials(db, order.accountId, options.keks) : null;
  return {
    status: order.status,
    account: row.account,
    price: money(order.priceMinor, order.priceCurrency) as Money & { asset: FiatCurrency },
    createdAt: order.createdAt,
    reservedUntil: order.reservedUntil,
    paidAt: order.paidAt,
    closedAt: order.closedAt,
    invoice: { ...row.invoice, checkoutPath: `/pay/${row.invoice.id}` },
    emailedTo: order.emailSentAt ? order.buyerEmail : null,
    credentials,
  };
}

export type AdminOrderRow = {
  id: string;
  status: OrderStatus;
  account: { id: string; displayName: string };
  buyerEmail: string | null;
  price: Money & { asset: FiatCurrency };
  invoice: { id: string; status: string; livemode: boolean };
  createdAt: Date;
  paidAt: Date | null;
  email: { sentAt: Date | null; attempts: number; error: string | null };
};

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === "string" && (ORDER_STATUSES as readonly string[]).includes(value);
}

/** Newest first, `limit` per page, keyset-paginated by (created_at, id) with `before`. */
export async function listOrdersForAdmin(
  db: Executor,
  filters: { status?: OrderStatus | null; limit?: number; before?: { createdAt: Date; id: string } | null } = {},
): Promise<AdminOrderRow[]> {
  const limit = Math.min(Math.max(filters.limit ?? 50, 1), 200);
  const conditions: (SQL | undefined)[] = [
    filters.status ? eq(accountOrders.status, filters.status) : undefined,
    filters.before
      ? or(
          lt(accountOrders.createdAt, filters.before.createdAt),
          and(eq(accountOrders.createdAt, filters.before.createdAt), lt(accountOrders.id, filters.before.id)),
        )
      : undefined,
  ];
  const rows = await db
    .select({
      order: accountOrders,
      account: { id: accounts.id, displayName: accounts.displayName },
      invoice: { id: invoices.id, status: invoices.status, livemode: invoices.livemode },
    })
    .from(accountOrders)
    .innerJoin(accounts, eq(accounts.id, accountOrders.accountId))
    .innerJoin(invoices, eq(invoices.id, accountOrders.invoiceId))
    .where(and(...conditions))
    .orderBy(desc(accountOrders.createdAt), desc(accountOrders.id))
    .limit(limit);
  return rows.map(({ order, account, invoice }) => ({
    id: order.id,
    status: order.status,
    account,
    buyerEmail: order.buyerEmail,
    price: money(order.priceMinor, order.priceCurrency) as Money & { asset: FiatCurrency },
    invoice,
    createdAt: order.createdAt,
    paidAt: order.paidAt,
    email: { sentAt: order.emailSentAt, attempts: order.emailAttempts, error: order.emailError },
  }));
}

/** The sold account's credentials; null if an admin removed them after the sale (the page says to ask us). */
async function paidCredentials(db: Executor, accountId: string, keks?: KeyEncryptionKey[]): Promise<AwsCredentials | null> {
  try {
    return await readAccountCredentials(db, accountId, keks);
  } catch (error) {
    if (error instanceof CredentialsMissingError) return null;
    throw error;
  }
}
