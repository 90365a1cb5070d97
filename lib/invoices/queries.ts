import { and, asc, eq, gte, inArray, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { exchangeRates, invoiceItems, invoices, merchants, payments } from "@/db/schema";
import { runningDevChain } from "@/lib/chains/dev-chain";
import { settings } from "@/lib/config";
import {
  buildPaymentUri,
  DomainError,
  formatBpsAsPercent,
  formatDecimalUnits,
  formatDecimalUnitsTrimmed,
  getAsset,
  type InvoiceStatus,
} from "@/lib/domain";

/** Read models of the Invoice aggregate: the API representation and the public checkout view. */

export type InvoiceRow = typeof invoices.$inferSelect;
type ItemRow = typeof invoiceItems.$inferSelect;
type RateRow = Pick<typeof exchangeRates.$inferSelect, "rate" | "source" | "lockedAt" | "expiresAt">;

export function hostedUrl(invoiceId: string): string {
  return new URL(`/pay/${invoiceId}`, settings().APP_URL).toString();
}

/** Sepolia's test USDT unless ETHEREUM_TEST_USDT_CONTRACT names another. */
const SEPOLIA_TEST_USDT = "0xaA8E23Fb1079EA71e0a56F48a2aA51851D8433D0";

function testEthereum(): { chainId: number; usdtContract: string } {
  const dev = runningDevChain();
  if (dev) return { chainId: dev.chainId, usdtContract: dev.token };
  const s = settings();
  return { chainId: s.ETHEREUM_TEST_CHAIN_ID, usdtContract: s.ETHEREUM_TEST_USDT_CONTRACT ?? SEPOLIA_TEST_USDT };
}

export function paymentUriFor(invoice: Pick<InvoiceRow, "cryptoCurrency" | "network" | "paymentAddress" | "cryptoAmount" | "livemode">, amount?: bigint) {
  return buildPaymentUri({
    asset: invoice.cryptoCurrency,
    network: invoice.network,
    address: invoice.paymentAddress,
    amount: amount ?? invoice.cryptoAmount,
    // Live ETH invoices are paid on mainnet; test-mode ones on the test chain (Sepolia unless
    // configured, or the local dev chain when it runs).
    chainId: invoice.network === "ethereum" ? (invoice.livemode ? 1 : testEthereum().chainId) : undefined,
    tokenContract:
      invoice.network === "ethereum" && invoice.cryptoCurrency === "USDT" && !invoice.livemode ? testEthereum().usdtContract : undefined,
  });
}

const fiat = (minor: bigint, currency: InvoiceRow["fiatCurrency"]) => formatDecimalUnits(minor, getAsset(currency).decimals);
const crypto = (minor: bigint, asset: InvoiceRow["cryptoCurrency"]) => formatDecimalUnitsTrimmed(minor, getAsset(asset).decimals);

export function serializeInvoice(invoice: InvoiceRow, items: ItemRow[], rate: RateRow) {
  return {
    id: invoice.id,
    object: "invoice" as const,
    livemode: invoice.livemode,
    status: invoice.status,
    exception: invoice.exception,
    title: invoice.title,
    description: invoice.description,
    reference: invoice.reference,
    customer_id: invoice.customerId,
    currency: invoice.fiatCurrency,
    items: items
      .sort((a, b) => a.position - b.position)
      .map((item) => ({
        description: item.description,
        quantity: item.quantity,
        unit_price: fiat(item.unitPriceMinor, invoice.fiatCurrency),
        amount: fiat(item.amountMinor, invoice.fiatCurrency),
      })),
    subtotal: fiat(invoice.subtotalMinor, invoice.fiatCurrency),
    tax: fiat(invoice.taxMinor, invoice.fiatCurrency),
    total: fiat(invoice.totalMinor, invoice.fiatCurrency),
    crypto: {
      currency: invoice.cryptoCurrency,
      network: invoice.network,
      amount: crypto(invoice.cryptoAmount, invoice.cryptoCurrency),
      amount_minor: invoice.cryptoAmount.toString(),
      received: crypto(invoice.amountReceived, invoice.cryptoCurrency),
      received_minor: invoice.amountReceived.toString(),
    },
    exchange_rate: {
      rate: normalizeDecimal(rate.rate),
      source: rate.source,
      locked_at: rate.lockedAt.toISOString(),
      expires_at: rate.expiresAt.toISOString(),
    },
    payment_address: invoice.paymentAddress,
    payment_uri: paymentUriFor(invoice),
    hosted_url: hostedUrl(invoice.id),
    payment_tolerance: {
      underpayment_threshold_percent: formatBpsAsPercent(BigInt(invoice.underpaymentThresholdBps)),
      overpayment_threshold_percent: formatBpsAsPercent(BigInt(invoice.overpaymentThresholdBps)),
      overpayment_action: invoice.overpaymentAction,
    },
    required_confirmations: invoice.requiredConfirmations,
    metadata: invoice.metadata,
    redirect_url: invoice.redirectUrl,
    expires_at: invoice.expiresAt.toISOString(),
    created_at: invoice.createdAt.toISOString(),
    updated_at: invoice.updatedAt.toISOString(),
    paid_at: invoice.paidAt?.toISOString() ?? null,
  };
}

/** "97000.000000000000000000" → "97000": numeric columns come back padded to their scale. */
export function normalizeDecimal(value: string): string {
  return value.includes(".") ? value.replace(/0+$/, "").replace(/\.$/, "") : value;
}

export type InvoiceResource = ReturnType<typeof serializeInvoice>;

async function hydrate(db: Executor, rows: InvoiceRow[]): Promise<InvoiceResource[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [items, rates] = await Promise.all([
    db.select().from(invoiceItems).where(inArray(invoiceItems.invoiceId, ids)),
    db
      .select({ id: exchangeRates.id, rate: exchangeRates.rate, source: exchangeRates.source, lockedAt: exchangeRates.lockedAt, expiresAt: exchangeRates.expiresAt })
      .from(exchangeRates)
      .where(inArray(exchangeRates.id, rows.map((r) => r.exchangeRateId))),
  ]);
  const rateById = new Map(rates.map((r) => [r.id, r]));
  return rows.map((row) =>
    serializeInvoice(
      row,
      items.filter((i) => i.invoiceId === row.id),
      rateById.get(row.exchangeRateId)!,
    ),
  );
}

import { isUuid } from "@/lib/uuid";

export { isUuid };

/**
 * The invoice with its locked rate and its items in one round trip: one row per item (the invoice
 * and rate columns repeated), or one row with no item. Prepared once per database handle, since
 * every GET and cancel runs it on the pool.
 */
function buildFindInvoiceStatement(db: Executor) {
  return db
    .select({
      invoice: invoices,
      rate: { rate: exchangeRates.rate, source: exchangeRates.source, lockedAt: exchangeRates.lockedAt, expiresAt: exchangeRates.expiresAt },
      item: invoiceItems,
    })
    .from(invoices)
    .innerJoin(exchangeRates, eq(exchangeRates.id, invoices.exchangeRateId))
    .leftJoin(invoiceItems, eq(invoiceItems.invoiceId, invoices.id))
    .where(
      and(
        eq(invoices.id, sql.placeholder("id")),
        eq(invoices.merchantId, sql.placeholder("merchantId")),
        eq(invoices.livemode, sql.placeholder("livemode")),
      ),
    )
    .prepare("invoice_find");
}

const findInvoiceStatements = new WeakMap<Executor, ReturnType<typeof buildFindInvoiceStatement>>();

export async function findInvoice(
  db: Executor,
  scope: { merchantId: string; livemode: boolean },
  invoiceId: string,
): Promise<InvoiceResource | null> {
  if (!isUuid(invoiceId)) return null;
  let statement = findInvoiceStatements.get(db);
  if (!statement) findInvoiceStatements.set(db, (statement = buildFindInvoiceStatement(db)));
  const rows = await statement.execute({ id: invoiceId, merchantId: scope.merchantId, livemode: scope.livemode });
  if (rows.length === 0) return null;
  return serializeInvoice(
    rows[0]!.invoice,
    rows.flatMap((r) => (r.item ? [r.item] : [])),
    rows[0]!.rate,
  );
}

export type InvoiceListFilters = {
  status?: InvoiceStatus[];
  createdFrom?: Date;
  createdTo?: Date;
  customerId?: string;
  q?: string;
  limit: number;
  cursor?: string;
};

export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString("base64url");
}

/** A cursor from a previous page; anything else is refused rather than silently restarting at page one. */
export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [iso, id, extra] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = new Date(iso ?? "");
  const t = createdAt.getTime();
  if (!id || extra !== undefined || !isUuid(id) || !Number.isFinite(t) || t < 0 || t >= Date.UTC(10000, 0, 1)) {
    throw new DomainError("request.invalid_cursor", "starting_after is not a cursor from a previous page", {
      field: "starting_after",
    });
  }
  return { createdAt, id };
}

/** Newest first, keyset-paginated on (created_at, id) so deep pages stay as fast as the first. */
export async function listInvoices(
  db: Executor,
  scope: { merchantId: string; livemode: boolean },
  filters: InvoiceListFilters,
): Promise<{ data: InvoiceResource[]; hasMore: boolean; nextCursor: string | null }> {
  const conditions: SQL[] = [eq(invoices.merchantId, scope.merchantId), eq(invoices.livemode, scope.livemode)];
  if (filters.status?.length) conditions.push(inArray(invoices.status, filters.status));
  if (filters.createdFrom) conditions.push(gte(invoices.createdAt, filters.createdFrom));
  if (filters.createdTo) conditions.push(lte(invoices.createdAt, filters.createdTo));
  if (filters.customerId) conditions.push(eq(invoices.customerId, filters.customerId));
  if (filters.q) conditions.push(sql`${invoices.search} @@ websearch_to_tsquery('simple', ${filters.q})`);
  if (filters.cursor) {
    const c = decodeCursor(filters.cursor);
    conditions.push(or(lt(invoices.createdAt, c.createdAt), and(eq(invoices.createdAt, c.createdAt), lt(invoices.id, c.id)))!);
  }
  const rows = await db
    .select()
    .from(invoices)
    .where(and(...conditions))
    // NULLS LAST as in invoices_merchant_created_idx, so the page is read off the index with no sort.
    .orderBy(sql`${invoices.createdAt} desc nulls last`, sql`${invoices.id} desc nulls last`)
    .limit(filters.limit + 1);
  const hasMore = rows.length > filters.limit;
  const page = rows.slice(0, filters.limit);
  const last = page.at(-1);
  return { data: await hydrate(db, page), hasMore, nextCursor: hasMore && last ? encodeCursor(last.createdAt, last.id) : null };
}

/** What the public checkout page and its status endpoint may show: nothing private. */
export async function findPublicInvoice(db: Executor, invoiceId: string, now = new Date()) {
  if (!isUuid(invoiceId)) return null;
  const [row] = await db
    .select({ invoice: invoices, merchantName: merchants.businessName })
    .from(invoices)
    .innerJoin(merchants, eq(merchants.id, invoices.merchantId))
    .where(eq(invoices.id, invoiceId));
  if (!row) return null;
  const { invoice } = row;
  const asset = getAsset(invoice.cryptoCurrency);
  const remaining = invoice.cryptoAmount > invoice.amountReceived ? invoice.cryptoAmount - invoice.amountReceived : 0n;
  const confirmations =
    invoice.status === "confirming" ? await confirmationProgress(db, invoice.id, invoice.requiredConfirmations) : null;
  return {
    id: invoice.id,
    status: invoice.status,
    merchantName: row.merchantName,
    title: invoice.title,
    fiat: { currency: invoice.fiatCurrency, total: fiat(invoice.totalMinor, invoice.fiatCurrency) },
    crypto: {
      asset: invoice.cryptoCurrency,
      network: invoice.network,
      networkLabel: networkLabel(invoice.network, invoice.cryptoCurrency, !invoice.livemode),
      decimals: asset.decimals,
      amount: crypto(invoice.cryptoAmount, invoice.cryptoCurrency),
      received: crypto(invoice.amountReceived, invoice.cryptoCurrency),
      remaining: crypto(remaining, invoice.cryptoCurrency),
    },
    address: invoice.paymentAddress,
    paymentUri: paymentUriFor(invoice, invoice.status === "partial" && remaining > 0n ? remaining : undefined),
    testnet: !invoice.livemode,
    testWallet:
      !invoice.livemode && invoice.network === "ethereum" && runningDevChain() !== null && (invoice.status === "pending" || invoice.status === "partial"),
    expiresAt: invoice.expiresAt.toISOString(),
    serverNow: now.toISOString(),
    confirmations,
    paidAt: invoice.paidAt?.toISOString() ?? null,
    redirectUrl: invoice.redirectUrl,
    exception: invoice.exception,
  };
}

async function confirmationProgress(db: Executor, invoiceId: string, required: number) {
  const rows = await db
    .select({ confirmations: payments.confirmations })
    .from(payments)
    .where(and(eq(payments.invoiceId, invoiceId), inArray(payments.status, ["detected", "confirming", "confirmed"])))
    .orderBy(asc(payments.confirmations))
    .limit(1);
  return { current: Math.min(rows[0]?.confirmations ?? 0, required), required };
}

export function networkLabel(network: InvoiceRow["network"], asset: InvoiceRow["cryptoCurrency"], testnet: boolean): string {
  const base =
    network === "bitcoin" ? "Bitcoin" : network === "ethereum" ? (asset === "USDT" ? "Ethereum (ERC-20)" : "Ethereum") : "Tron (TRC-20)";
  if (!testnet) return base;
  if (network === "ethereum") return `${base} · ${runningDevChain() ? "local test chain" : "Sepolia"}`;
  return network === "bitcoin" ? `${base} testnet` : `${base} · Nile testnet`;
}
