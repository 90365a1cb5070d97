import type { Executor } from "@/db";
import { formatDecimalUnits, formatDecimalUnitsTrimmed, getAsset } from "@/lib/domain";
import { invoiceFilterConditions, listDashboardInvoices, type DashboardInvoiceRow } from "./dashboard-list";
import type { InvoiceListQuery } from "./dashboard-params";

/** CSV export of the dashboard's invoice list (RFC 4180), streamed page by page. */

export const INVOICE_CSV_COLUMNS = [
  "id",
  "created_at",
  "mode",
  "status",
  "exception",
  "title",
  "reference",
  "customer_email",
  "currency",
  "subtotal",
  "tax",
  "total",
  "crypto_currency",
  "network",
  "crypto_amount",
  "amount_received",
  "payment_address",
  "paid_at",
  "expires_at",
] as const;

/**
 * One cell. A value a spreadsheet would run as a formula (starting with = + - @, or a tab or
 * carriage return that some strip before looking) gets a leading apostrophe; then it is quoted
 * when it holds a comma, quote or line break, with quotes doubled.
 */
export function csvCell(value: string | null | undefined): string {
  let text = value ?? "";
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: (string | null | undefined)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/** Amounts as exact decimals in their currency's units, never through a float. */
export function invoiceCsvCells(row: DashboardInvoiceRow): string[] {
  const fiat = (minor: bigint) => formatDecimalUnits(minor, getAsset(row.fiatCurrency).decimals);
  const crypto = (minor: bigint) => formatDecimalUnitsTrimmed(minor, getAsset(row.cryptoCurrency).decimals);
  return [
    row.id,
    row.createdAt.toISOString(),
    row.livemode ? "live" : "test",
    row.status,
    row.exception,
    row.title,
    row.reference ?? "",
    row.customerEmail ?? "",
    row.fiatCurrency,
    fiat(row.subtotalMinor),
    fiat(row.taxMinor),
    fiat(row.totalMinor),
    row.cryptoCurrency,
    row.network,
    crypto(row.cryptoAmount),
    crypto(row.amountReceived),
    row.paymentAddress,
    row.paidAt?.toISOString() ?? "",
    row.expiresAt.toISOString(),
  ];
}

/**
 * Every invoice matching `query` (in its sort order, whatever page the merchant was on), read
 * in keyset batches so memory stays flat however many there are.
 */
export function streamInvoiceCsv(db: Executor, merchantId: string, query: InvoiceListQuery, batchSize = 500): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const base: InvoiceListQuery = { ...query, after: undefined, before: undefined };
  let cursor: string | null | undefined;
  let conditions: Awaited<ReturnType<typeof invoiceFilterConditions>> | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!started) {
          started = true;
          conditions = await invoiceFilterConditions(db, merchantId, base);
          controller.enqueue(encoder.encode(csvLine([...INVOICE_CSV_COLUMNS])));
          cursor = undefined;
        }
        if (cursor === null) return controller.close();
        const page = await listDashboardInvoices(db, merchantId, { ...base, after: cursor }, { pageSize: batchSize, conditions });
        if (page.rows.length) controller.enqueue(encoder.encode(page.rows.map((r) => csvLine(invoiceCsvCells(r))).join("")));
        cursor = page.nextCursor;
        if (cursor === null) controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
  });
}
