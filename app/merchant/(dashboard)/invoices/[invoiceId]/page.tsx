import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db";
import { CopyButton } from "@/components/checkout/copy-button";
import { InvoiceCancelForm } from "@/components/merchant/invoice-cancel-form";
import { InvoiceStatusBadge } from "@/components/merchant/invoice-status-badge";
import { InvoiceTimeline } from "@/components/merchant/invoice-timeline";
import { Badge } from "@/components/ui/badge";
import { requireMerchant } from "@/lib/auth/current-merchant";
import { formatFiat } from "@/lib/format";
import { formatDecimalUnitsTrimmed, getAsset, money } from "@/lib/domain";
import { findDashboardInvoice } from "@/lib/invoices/dashboard-detail";
import { hostedUrl, networkLabel, normalizeDecimal } from "@/lib/invoices/queries";
import { cancelInvoiceAction } from "../actions";

export const metadata: Metadata = { title: "Invoice" };

const when = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1 py-2.5 sm:grid-cols-3 sm:gap-4">
      <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="min-w-0 sm:col-span-2">{children}</dd>
    </div>
  );
}

export default async function InvoicePage({ params }: { params: Promise<{ invoiceId: string }> }) {
  const { invoiceId } = await params;
  const merchant = await requireMerchant(`/merchant/invoices/${encodeURIComponent(invoiceId)}`);
  const detail = await findDashboardInvoice(await getDb(), merchant.id, invoiceId);
  if (!detail) notFound();
  const { invoice, items, timeline } = detail;
  const fiat = (minor: bigint) => formatFiat(money(minor, invoice.fiatCurrency) as never);
  const crypto = (minor: bigint) => `${formatDecimalUnitsTrimmed(minor, getAsset(invoice.cryptoCurrency).decimals)} ${invoice.cryptoCurrency}`;
  const listHref = invoice.livemode ? "/merchant/invoices" : "/merchant/invoices?mode=test";
  const checkout = hostedUrl(invoice.id);

  return (
    <div className="space-y-6">
      <div>
        <Link href={listHref} className="text-sm text-indigo-600 hover:underline dark:text-indigo-400">
          ← {invoice.livemode ? "Invoices" : "Test invoices"}
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="min-w-0 break-words text-2xl font-semibold tracking-tight">{invoice.title}</h1>
          <InvoiceStatusBadge status={invoice.status} exception={invoice.exception === "none" ? undefined : invoice.exception} />
          <Badge tone={invoice.livemode ? "indigo" : "amber"}>{invoice.livemode ? "live" : "test"}</Badge>
        </div>
        <p className="mt-1 break-all font-mono text-xs text-zinc-500 dark:text-zinc-400">{invoice.id}</p>
      </div>

      <div className="grid gap-6 lg:grid-cols-5">
        <div className="space-y-6 lg:col-span-3">
          <section aria-labelledby="summary" className="rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
            <h2 id="summary" className="font-semibold">Summary</h2>
            <dl className="mt-2 divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
              <Row label="Total"><span className="font-semibold tabular-nums">{fiat(invoice.totalMinor)}</span></Row>
              <Row label="Buyer pays"><span className="tabular-nums">{crypto(invoice.cryptoAmount)}</span> on {networkLabel(invoice.network, invoice.cryptoCurrency, !invoice.livemode)}</Row>
              <Row label="Received"><span className="tabular-nums">{crypto(invoice.amountReceived)}</span></Row>
              <Row label="Exchange rate">
                <span className="tabular-nums">1 {invoice.cryptoCurrency} = {normalizeDecimal(detail.rate.rate)} {invoice.fiatCurrency}</span>{" "}
                <span className="text-zinc-500 dark:text-zinc-400">({detail.rate.source})</span>
              </Row>
              <Row label="Payment address">
                <span className="flex flex-wrap items-center gap-2">
                  <span className="min-w-0 break-all font-mono text-xs">{invoice.paymentAddress}</span>
                  <CopyButton value={invoice.paymentAddress} label="Copy address" />
                </span>
              </Row>
              <Row label="Checkout page">
                <a href={checkout} className="break-all text-indigo-600 hover:underline dark:text-indigo-400">{checkout}</a>
              </Row>
              {invoice.reference && <Row label="Reference">{invoice.reference}</Row>}
              <Row label="Customer">
                {detail.customerEmail ?? <span className="text-zinc-400">None</span>}
              </Row>
              {invoice.description && <Row label="Description"><span className="whitespace-pre-line break-words">{invoice.description}</span></Row>}
              <Row label="Created">{when(invoice.createdAt)}</Row>
              <Row label="Expires">{when(invoice.expiresAt)}</Row>
              {invoice.paidAt && <Row label="Paid">{when(invoice.paidAt)}</Row>}
              <Row label="Confirmations required">{invoice.requiredConfirmations}</Row>
            </dl>
          </section>

          <section aria-labelledby="items" className="overflow-hidden rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
            <h2 id="items" className="px-5 pt-5 font-semibold">Items</h2>
            <table className="mt-3 w-full text-sm">
              <thead className="border-y border-zinc-200 bg-zinc-50 text-left text-xs uppercase tracking-wide text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900/60 dark:text-zinc-400">
                <tr>
                  <th scope="col" className="px-5 py-2 font-medium">Item</th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">Qty</th>
                  <th scope="col" className="hidden px-3 py-2 text-right font-medium sm:table-cell">Unit price</th>
                  <th scope="col" className="px-5 py-2 text-right font-medium">Amount</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {items.map((item) => (
                  <tr key={item.id}>
                    <td className="break-words px-5 py-2.5">{item.description}</td>
                    <td className="px-3 py-2.5 text-right tabular-nums">{item.quantity}</td>
                    <td className="hidden px-3 py-2.5 text-right tabular-nums sm:table-cell">{fiat(item.unitPriceMinor)}</td>
                    <td className="px-5 py-2.5 text-right tabular-nums">{fiat(item.amountMinor)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot className="border-t border-zinc-200 text-right tabular-nums dark:border-zinc-800">
                <tr>
                  <td colSpan={3} className="hidden px-3 pt-2.5 text-zinc-500 sm:table-cell dark:text-zinc-400">Subtotal</td>
                  <td colSpan={2} className="px-3 pt-2.5 text-zinc-500 sm:hidden dark:text-zinc-400">Subtotal</td>
                  <td className="px-5 pt-2.5">{fiat(invoice.subtotalMinor)}</td>
                </tr>
                <tr>
                  <td colSpan={3} className="hidden px-3 text-zinc-500 sm:table-cell dark:text-zinc-400">Tax</td>
                  <td colSpan={2} className="px-3 text-zinc-500 sm:hidden dark:text-zinc-400">Tax</td>
                  <td className="px-5">{fiat(invoice.taxMinor)}</td>
                </tr>
                <tr className="font-semibold">
                  <td colSpan={3} className="hidden px-3 pb-3 sm:table-cell">Total</td>
                  <td colSpan={2} className="px-3 pb-3 sm:hidden">Total</td>
                  <td className="px-5 pb-3">{fiat(invoice.totalMinor)}</td>
                </tr>
              </tfoot>
            </table>
          </section>

          {detail.cancellable && (
            <section aria-labelledby="cancel" className="rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
              <h2 id="cancel" className="font-semibold">Cancel</h2>
              <p className="mt-1 mb-3 text-sm text-zinc-600 dark:text-zinc-400">
                An open invoice can be cancelled, for example when the buyer changed their mind.
              </p>
              <InvoiceCancelForm invoiceId={invoice.id} action={cancelInvoiceAction} />
            </section>
          )}
        </div>

        <section aria-labelledby="timeline" className="space-y-3 lg:col-span-2">
          <h2 id="timeline" className="font-semibold">Timeline</h2>
          <InvoiceTimeline entries={timeline} />
        </section>
      </div>
    </div>
  );
}
