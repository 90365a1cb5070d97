import { money } from "@/lib/domain";
import type { CustomerTotals } from "@/lib/customers/dashboard";
import { formatFiat } from "@/lib/format";

/** Paid totals per currency ("$120.00 · €40.00"), exact from minor units; "Nothing paid yet" otherwise. */
export function paidTotalsText(totals: CustomerTotals): string {
  if (totals.paid.length === 0) return "Nothing paid yet";
  return totals.paid.map((p) => formatFiat(money(p.amountMinor, p.currency) as never)).join(" · ");
}

export function CustomerTotalsLine({ totals }: { totals: CustomerTotals }) {
  const paidCount = totals.paid.reduce((n, p) => n + p.count, 0);
  return (
    <>
      <p className="font-medium tabular-nums" data-testid="customer-paid-total">{paidTotalsText(totals)}</p>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        {totals.invoiceCount === 1 ? "1 invoice" : `${totals.invoiceCount} invoices`} · {paidCount} paid
      </p>
    </>
  );
}
