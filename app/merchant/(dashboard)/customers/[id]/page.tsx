import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CustomerBlockForm } from "@/components/merchant/customer-block-form";
import { CustomerHistoryTable } from "@/components/merchant/customer-history";
import { CustomerStatusBadge } from "@/components/merchant/customer-status-badge";
import { paidTotalsText } from "@/components/merchant/customer-totals";
import { secondaryButtonClass } from "@/components/ui/form";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/current-merchant";
import { getMerchantCustomer, HISTORY_PAGE_SIZE, parseHistoryPage, type CustomerTotals } from "@/lib/customers/dashboard";
import { setCustomerBlockedAction } from "../actions";

export const metadata: Metadata = { title: "Customer" };

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const ACTIVITY = { "customer.created": "Created", "customer.blocked": "Blocked", "customer.unblocked": "Unblocked" } as Record<string, string>;

function invoicesText(totals: CustomerTotals): string {
  const ended = [
    totals.cancelledCount ? `${totals.cancelledCount} cancelled` : null,
    totals.expiredCount ? `${totals.expiredCount} expired` : null,
  ].filter(Boolean);
  return ended.length ? `${totals.invoiceCount} (${ended.join(", ")})` : String(totals.invoiceCount);
}

export default async function CustomerPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const merchant = await requireMerchant(`/merchant/customers/${encodeURIComponent(id)}`);
  const page = parseHistoryPage(await searchParams);
  const customer = await getMerchantCustomer(await getDb(), merchant.id, id, page);
  if (!customer) notFound();
  const pages = Math.max(1, Math.ceil(customer.history.total / HISTORY_PAGE_SIZE));
  const metadataEntries = Object.entries(customer.metadata).filter(([key]) => key !== "name");
  const facts: [string, React.ReactNode][] = [
    ["Email", <span key="e" className="break-all">{customer.email}</span>],
    ["Paid in total", <span key="p" className="tabular-nums" data-testid="customer-paid-total">{paidTotalsText(customer.totals)}</span>],
    ["Invoices", invoicesText(customer.totals)],
    ["Customer since", `${dateTime.format(customer.createdAt)} UTC`],
    ["Last seen", customer.lastSeenAt ? `${dateTime.format(customer.lastSeenAt)} UTC` : "Never"],
  ];

  return (
    <div className="space-y-8">
      <div className="space-y-2">
        <Link href="/merchant/customers" className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">← Customers</Link>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="min-w-0 break-all text-2xl font-semibold tracking-tight">{customer.name ?? customer.email}</h1>
          <CustomerStatusBadge status={customer.status} />
        </div>
        <p className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{customer.id}</p>
      </div>

      <div className="grid gap-6 lg:grid-cols-[2fr_1fr]">
        <section aria-labelledby="details" className="rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
          <h2 id="details" className="font-semibold">Details</h2>
          <dl className="mt-3 grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
            {facts.map(([label, value]) => (
              <div key={label}>
                <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
                <dd className="mt-0.5 font-medium">{value}</dd>
              </div>
            ))}
          </dl>
          {metadataEntries.length > 0 && (
            <>
              <h3 className="mt-5 text-sm font-semibold">Metadata</h3>
              <dl className="mt-2 grid gap-1 text-sm">
                {metadataEntries.map(([key, value]) => (
                  <div key={key} className="flex flex-wrap gap-x-2">
                    <dt className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{key}</dt>
                    <dd className="min-w-0 break-all">{value}</dd>
                  </div>
                ))}
              </dl>
            </>
          )}
        </section>

        <section aria-labelledby="access" className="space-y-4 rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
          <div>
            <h2 id="access" className="font-semibold">Access</h2>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
              {customer.status === "blocked"
                ? "Blocked: new invoices for this customer are refused. Existing invoices are not affected."
                : "A blocked customer cannot be given new invoices, by the API or a payment link."}
            </p>
          </div>
          <CustomerBlockForm action={setCustomerBlockedAction} customerId={customer.id} blocked={customer.status === "blocked"} />
          {customer.activity.length > 0 && (
            <ol className="space-y-1 border-t border-zinc-200 pt-3 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400" aria-label="Activity">
              {customer.activity.map((a, i) => (
                <li key={i}>
                  <span className="font-medium text-zinc-800 dark:text-zinc-200">{ACTIVITY[a.event] ?? a.event}</span> by {a.actorType.replace("_", " ")} ·{" "}
                  {dateTime.format(a.createdAt)} UTC
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>

      <section aria-labelledby="history" className="space-y-3">
        <div>
          <h2 id="history" className="font-semibold">Payment history</h2>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Every invoice that ended paid, cancelled or expired. This record is append-only: entries cannot be edited or removed.
          </p>
        </div>
        <CustomerHistoryTable entries={customer.history.entries} total={customer.history.total} />
        {pages > 1 && (
          <nav aria-label="History pages" className="flex items-center justify-between text-sm">
            {page > 1 ? <Link className={secondaryButtonClass} href={`/merchant/customers/${customer.id}?page=${page - 1}`}>Newer</Link> : <span />}
            <span className="text-zinc-600 dark:text-zinc-400">Page {Math.min(page, pages)} of {pages}</span>
            {page < pages ? <Link className={secondaryButtonClass} href={`/merchant/customers/${customer.id}?page=${page + 1}`}>Older</Link> : <span />}
          </nav>
        )}
      </section>
    </div>
  );
}
