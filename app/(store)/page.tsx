import Link from "next/link";
import type { Metadata } from "next";
import { connection } from "next/server";
import { AccountCard } from "@/components/store/account-card";
import { CatalogFilters, CatalogPagination } from "@/components/store/catalog-filters";
import { SiteHeader } from "@/components/store/site-header";
import { FormAlert } from "@/components/ui/form";
import { getDb } from "@/db";
import { parseCatalogQuery } from "@/db/queries/catalog";
import { settings } from "@/lib/config";
import { formatFiat } from "@/lib/format";
import { readCatalog } from "@/lib/store/catalog-cache";
import { telegramContactUrl } from "@/lib/telegram";

type SearchParams = Record<string, string | string[] | undefined>;

export async function generateMetadata(): Promise<Metadata> {
  await connection(); // settings are read at request time, never at build time
  const s = settings();
  const description = "AWS accounts with verified Claude quotas on Amazon Bedrock: per-model RPM and TPM, pay with USDT, BTC or ETH.";
  return {
    title: `${s.STORE_NAME}: AWS accounts with Claude quotas`,
    description,
    openGraph: { title: s.STORE_NAME, description, type: "website", url: s.APP_URL },
  };
}

/** The URL parameters the catalog understands, for pagination links (nothing else is carried over). */
function filterParams(params: SearchParams): URLSearchParams {
  const kept = new URLSearchParams();
  for (const key of ["q", "model", "level", "min", "max", "stock", "sort"]) {
    const value = params[key];
    const text = Array.isArray(value) ? value[0] : value;
    if (text) kept.set(key, text);
  }
  return kept;
}

export default async function StorefrontHome({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await connection();
  const s = settings();
  const params = await searchParams;
  const { query, errors } = parseCatalogQuery(params);
  // Cached per query while catalog_version is unchanged: any change shows on the next request.
  const { page, stock } = await readCatalog(await getDb(), query);
  const telegramHome = `https://t.me/${s.TELEGRAM_USERNAME}`;
  const kept = filterParams(params);
  const filtered = [...kept.keys()].some((k) => k !== "sort");
  const ignored = Object.keys(errors);

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
            {stock.available} of {stock.total} accounts in stock
          </p>
        </section>

        {stock.total === 0 ? (
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
          <>
            <CatalogFilters query={query} errors={errors} />
            {ignored.length > 0 && (
              <div className="mt-3">
                <FormAlert message={`Some filters were not understood and are ignored: ${ignored.map((k) => `${k} (${errors[k]})`).join("; ")}.`} />
              </div>
            )}
            <p className="mt-6 mb-3 text-sm text-zinc-600 dark:text-zinc-400" data-testid="result-count" aria-live="polite">
              {filtered ? `${page.total} ${page.total === 1 ? "account matches" : "accounts match"} these filters` : `${page.total} accounts`}
              {page.pages > 1 ? ` · page ${page.page} of ${page.pages}` : ""}
            </p>
            {page.items.length === 0 ? (
              <div className="rounded-2xl border border-dashed border-zinc-300 p-10 text-center dark:border-zinc-700" data-testid="no-results">
                <h2 className="font-semibold">{page.total === 0 ? "No account matches these filters" : "This page is past the last result"}</h2>
                <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Widen the price range, pick another model, or clear the filters.</p>
                <Link href="/" className="mt-4 inline-block text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
                  Clear all filters
                </Link>
              </div>
            ) : (
              <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                {page.items.map((listing) => (
                  <AccountCard
                    key={listing.id}
                    listing={listing}
                    contactUrl={telegramContactUrl(s.TELEGRAM_USERNAME, {
                      accountId: listing.id,
                      accountName: listing.displayName,
                      price: formatFiat(listing.price),
                      pageUrl: `${s.APP_URL}/accounts/${listing.id}`,
                    })}
                  />
                ))}
              </div>
            )}
            <CatalogPagination page={page.page} pages={page.pages} params={kept} />
          </>
        )}
      </main>
      <footer className="border-t border-zinc-200 px-4 py-6 text-center text-xs text-balance text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
        Prices in USD. Payments settle on-chain to addresses derived for each order.
      </footer>
    </>
  );
}
