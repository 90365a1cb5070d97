import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BuyForm } from "@/components/store/buy-form";
import { QuotaLevelBadge } from "@/components/store/quota-level-badge";
import { SiteHeader } from "@/components/store/site-header";
import { StockBadge } from "@/components/store/stock-badge";
import { getDb } from "@/db";
import { findAccountDetail } from "@/db/queries/catalog";
import { settings } from "@/lib/config";
import { getModelDisplayName } from "@/lib/domain";
import { formatCount, formatFiat, formatRelativeTime } from "@/lib/format";
import { listStorePaymentOptions } from "@/lib/orders/payment-options";
import { hasLiveReservation } from "@/lib/orders/reservations";
import { telegramContactUrl } from "@/lib/telegram";
import { buyAccountAction } from "./actions";

// Outside the (store) group on purpose: its loading boundary would start the response before an
// unknown id can answer 404.
export const dynamic = "force-dynamic";

type Params = { params: Promise<{ accountId: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { accountId } = await params;
  const account = await findAccountDetail(await getDb(), accountId);
  if (!account) notFound(); // decided before the page streams, so the answer is a real 404
  const s = settings();
  const description = `${account.displayName}: ${account.modelQuotas.filter((q) => q.available).length} Claude models on Amazon Bedrock, ${formatFiat(account.price)}.`;
  return {
    title: `${account.displayName} · ${s.STORE_NAME}`,
    description,
    openGraph: { title: account.displayName, description, type: "website", url: `${s.APP_URL}/accounts/${account.id}` },
  };
}

export default async function AccountPage({ params }: Params) {
  const { accountId } = await params;
  const db = await getDb();
  const account = await findAccountDetail(db, accountId);
  if (!account) notFound();
  const [paymentOptions, reserved] = await Promise.all([listStorePaymentOptions(db), hasLiveReservation(db, account.id)]);
  const s = settings();
  const pageUrl = `${s.APP_URL}/accounts/${account.id}`;
  const contactUrl = telegramContactUrl(s.TELEGRAM_USERNAME, {
    accountId: account.id,
    accountName: account.displayName,
    price: formatFiat(account.price),
    pageUrl,
  });
  const available = account.status === "AVAILABLE";
  const buyable = available && !reserved && paymentOptions.length > 0;

  return (
    <>
      <SiteHeader storeName={s.STORE_NAME} telegramUrl={`https://t.me/${s.TELEGRAM_USERNAME}`} />
      <main className="mx-auto max-w-4xl px-4 pt-6 pb-16 sm:px-6">
        <Link href="/" className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          ← All accounts
        </Link>
        <header className="mt-4 flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-2">
              <QuotaLevelBadge level={account.quotaLevel} />
              <StockBadge status={account.status} reserved={reserved} />
            </div>
            <h1 className="mt-3 text-2xl font-semibold tracking-tight text-balance break-words sm:text-3xl">{account.displayName}</h1>
            <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">{account.regions.join(" · ") || "Region on request"}</p>
          </div>
          <div className="shrink-0 rounded-2xl border border-zinc-200 bg-white p-4 sm:w-72 dark:border-zinc-800 dark:bg-zinc-900">
            <p className="text-3xl font-semibold tabular-nums tracking-tight" data-testid="account-price">
              {formatFiat(account.price)}
            </p>
            {buyable && (
              <BuyForm action={buyAccountAction} accountId={account.id} options={paymentOptions.map(({ value, label }) => ({ value, label }))} />
            )}
            {available && reserved && (
              <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-300" data-testid="reserved-note">
                A buyer is paying for this account now. If their payment does not arrive in time, it will be for sale again.
              </p>
            )}
            {available ? (
              <a
                href={contactUrl}
                target="_blank"
                rel="noopener noreferrer"
                className={
                  buyable
                    ? "mt-2 inline-flex w-full items-center justify-center rounded-lg border border-zinc-300 px-3.5 py-2.5 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
                    : "mt-3 inline-flex w-full items-center justify-center rounded-lg bg-zinc-900 px-3.5 py-2.5 text-sm font-medium text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300"
                }
              >
                Ask on Telegram
              </a>
            ) : (
              <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-300">{account.status === "SOLD" ? "This account has been sold." : "Temporarily unavailable."}</p>
            )}
          </div>
        </header>

        <section aria-labelledby="quotas" className="mt-8">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="quotas" className="text-lg font-semibold">
              Claude quotas
            </h2>
            <p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="quota-updated">
              {account.quotaUpdatedAt ? `Read from AWS Service Quotas ${formatRelativeTime(account.quotaUpdatedAt)}` : "Not verified yet"}
            </p>
          </div>
          {account.modelQuotas.length === 0 ? (
            <p className="mt-3 rounded-xl border border-dashed border-zinc-300 p-6 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
              No model quota has been verified for this account yet.
            </p>
          ) : (
            <div className="mt-3 overflow-x-auto rounded-xl border border-zinc-200 dark:border-zinc-800">
              <table className="w-full text-xs sm:text-sm" data-testid="quota-table">
                <thead className="bg-zinc-50 text-left text-xs tracking-wide text-zinc-500 uppercase dark:bg-zinc-900 dark:text-zinc-400">
                  <tr>
                    <th scope="col" className="px-2 py-2.5 sm:px-4 font-medium">Model</th>
                    <th scope="col" className="px-2 py-2.5 sm:px-4 text-right font-medium">RPM</th>
                    <th scope="col" className="px-2 py-2.5 sm:px-4 text-right font-medium">TPM</th>
                    <th scope="col" className="px-2 py-2.5 sm:px-4 text-right font-medium">TPD</th>
                    <th scope="col" className="px-2 py-2.5 sm:px-4 text-right font-medium">Available</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
                  {account.modelQuotas.map((q) => (
                    <tr key={q.model} className={q.available ? "" : "text-zinc-400 dark:text-zinc-500"}>
                      <th scope="row" className="px-2 py-2.5 sm:px-4 text-left font-medium">{getModelDisplayName(q.model)}</th>
                      <td className="px-2 py-2.5 sm:px-4 text-right font-mono tabular-nums">{formatCount(q.rpm)}</td>
                      <td className="px-2 py-2.5 sm:px-4 text-right font-mono tabular-nums">{formatCount(q.tpm)}</td>
                      <td className="px-2 py-2.5 sm:px-4 text-right font-mono tabular-nums">{formatCount(q.tpd)}</td>
                      <td className="px-2 py-2.5 sm:px-4 text-right">{q.available ? "Yes" : "No"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <div className="mt-8 grid gap-6 sm:grid-cols-2">
          <List title="Features" items={account.features} empty="No features listed." />
          <List title="Limitations" items={account.limitations} empty="No known limitations." />
        </div>
        {account.instructions && (
          <section aria-labelledby="instructions" className="mt-8">
            <h2 id="instructions" className="text-lg font-semibold">
              How you receive it
            </h2>
            <p className="mt-2 text-sm whitespace-pre-line text-zinc-700 dark:text-zinc-300">{account.instructions}</p>
          </section>
        )}
      </main>
    </>
  );
}

function List({ title, items, empty }: { title: string; items: string[]; empty: string }) {
  return (
    <section>
      <h2 className="text-lg font-semibold">{title}</h2>
      {items.length === 0 ? (
        <p className="mt-2 text-sm text-zinc-500 dark:text-zinc-400">{empty}</p>
      ) : (
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
          {items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
