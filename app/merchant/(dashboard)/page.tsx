import type { Metadata } from "next";
import { InvoiceStatusBadge } from "@/components/merchant/invoice-status-badge";
import Link from "next/link";
import { and, desc, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { latestSuspensionReason } from "@/lib/merchants/admin-queries";
import { apiKeys, invoices, merchantWallets } from "@/db/schema";
import { requireMerchant } from "@/lib/auth/current-merchant";
import { formatFiat } from "@/lib/format";
import { formatDecimalUnitsTrimmed, getAsset, money } from "@/lib/domain";

export const metadata: Metadata = { title: "Merchant overview" };

export default async function MerchantOverviewPage() {
  const merchant = await requireMerchant("/merchant");
  const db = await getDb();
  const suspendedReason = merchant.status === "suspended" ? await latestSuspensionReason(db, merchant.id) : null;
  const [recent, keys, wallets] = await Promise.all([
    db.select().from(invoices).where(eq(invoices.merchantId, merchant.id)).orderBy(desc(invoices.createdAt)).limit(10),
    db.select({ id: apiKeys.id }).from(apiKeys).where(and(eq(apiKeys.merchantId, merchant.id), eq(apiKeys.status, "active"))),
    db.select({ network: merchantWallets.network }).from(merchantWallets).where(eq(merchantWallets.merchantId, merchant.id)),
  ]);
  const steps = [
    { done: wallets.length > 0, label: "Add an extended public key", href: "/merchant/wallets" },
    { done: keys.length > 0, label: "Create an API key", href: "/merchant/api-keys" },
    { done: recent.length > 0, label: "Create your first invoice", href: "/docs/api" },
  ];
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Overview</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          {merchant.planType[0]!.toUpperCase() + merchant.planType.slice(1)} plan · {merchant.contactEmail}
        </p>
      </div>
      {merchant.status === "pending_verification" && (
        <div className="rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-100">
          Your account awaits verification. Test keys work now and create invoices on test networks; live keys start
          working once an administrator verifies the account.
        </div>
      )}
      {merchant.status === "suspended" && (
        <div role="alert" data-testid="merchant-suspended" className="rounded-xl border border-rose-200 bg-rose-50 p-4 text-sm text-rose-900 dark:border-rose-500/30 dark:bg-rose-500/10 dark:text-rose-100">
          Your account is suspended{suspendedReason ? `: ${suspendedReason}` : ""}. The API refuses your keys until an administrator reactivates the account.
        </div>
      )}
      <section aria-labelledby="setup" className="rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 id="setup" className="font-semibold">Get set up</h2>
        <ol className="mt-3 space-y-2">
          {steps.map((step, i) => (
            <li key={step.label} className="flex items-center gap-3 text-sm">
              <span
                aria-hidden
                className={`grid size-6 shrink-0 place-items-center rounded-full text-xs font-semibold ${
                  step.done ? "bg-emerald-600 text-white" : "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300"
                }`}
              >
                {step.done ? "✓" : i + 1}
              </span>
              <Link href={step.href} className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
                {step.label}
              </Link>
              <span className="sr-only">{step.done ? "(done)" : "(to do)"}</span>
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="recent">
        <h2 id="recent" className="font-semibold">Recent invoices</h2>
        {recent.length === 0 ? (
          <p className="mt-3 rounded-xl border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
            No invoices yet. Create one with the API and it appears here.
          </p>
        ) : (
          <ul className="mt-3 divide-y divide-zinc-200 overflow-hidden rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
            {recent.map((inv) => (
              <li key={inv.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm">
                <div className="min-w-0">
                  <Link href={`/merchant/invoices/${inv.id}`} className="font-medium hover:underline">{inv.title}</Link>
                  <p className="text-xs text-zinc-500 dark:text-zinc-400">
                    {formatDecimalUnitsTrimmed(inv.cryptoAmount, getAsset(inv.cryptoCurrency).decimals)} {inv.cryptoCurrency} ·{" "}
                    {inv.livemode ? "live" : "test"} · {inv.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC
                  </p>
                </div>
                <div className="flex items-center gap-3">
                  <span className="tabular-nums">{formatFiat(money(inv.totalMinor, inv.fiatCurrency) as never)}</span>
                  <InvoiceStatusBadge status={inv.status} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
