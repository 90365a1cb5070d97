import { connection } from "next/server";
import { AccountCard } from "@/components/store/account-card";
import { SiteHeader } from "@/components/store/site-header";
import { getDb } from "@/db";
import { listAccountListings } from "@/db/queries/catalog";
import { settings } from "@/lib/config";
import { formatFiat } from "@/lib/format";
import { telegramContactUrl } from "@/lib/telegram";

export default async function StorefrontHome() {
  await connection();
  const s = settings();
  const listings = await listAccountListings(await getDb());
  const inStock = listings.filter((l) => l.stockAvailable).length;
  const telegramHome = `https://t.me/${s.TELEGRAM_USERNAME}`;

  return (
    <>
      <SiteHeader storeName={s.STORE_NAME} telegramUrl={telegramHome} />
      <main className="mx-auto max-w-6xl px-4 pb-16 sm:px-6">
        <section className="py-10 sm:py-14">
          <p className="text-sm font-medium text-indigo-600 dark:text-indigo-400">Amazon Bedrock · Claude</p>
          <h1 className="mt-2 max-w-2xl text-3xl font-semibold tracking-tight text-balance sm:text-4xl">
            AWS accounts with verified Claude quotas
          </h1>
          <p className="mt-3 max-w-2xl text-zinc-600 dark:text-zinc-400">
            Every listing shows the applied requests and tokens per minute for each Claude model, read from AWS
            Service Quotas. Pay with USDT, BTC or ETH, or ask us anything on Telegram.
          </p>
          <p className="mt-4 text-sm text-zinc-500 dark:text-zinc-400" data-testid="stock-summary">
            {inStock} of {listings.length} accounts in stock
          </p>
        </section>

        {listings.length === 0 ? (
          <div className="rounded-2xl border border-dashed border-zinc-300 p-10 text-center dark:border-zinc-700">
            <h2 className="font-semibold">No accounts listed yet</h2>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
              New accounts are added every week. Message us on Telegram to be told first.
            </p>
            <a href={telegramHome} className="mt-4 inline-block text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
              Contact us on Telegram
            </a>
          </div>
        ) : (
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {listings.map((listing) => (
              <AccountCard
                key={listing.id}
                listing={listing}
                contactUrl={telegramContactUrl(s.TELEGRAM_USERNAME, {
                  accountId: listing.id,
                  accountName: listing.displayName,
                  price: formatFiat(listing.price),
                  pageUrl: `${s.APP_URL}/#acc-${listing.id}`,
                })}
              />
            ))}
          </div>
        )}
      </main>
      <footer className="border-t border-zinc-200 px-4 py-6 text-center text-xs text-balance text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
        Prices in USD. Payments settle on-chain to addresses derived for each order.
      </footer>
    </>
  );
}
