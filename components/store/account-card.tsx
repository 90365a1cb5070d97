import Link from "next/link";
import type { AccountListing } from "@/db/queries/catalog";
import { getModelDisplayName } from "@/lib/domain";
import { formatCount, formatFiat } from "@/lib/format";
import { QuotaLevelBadge } from "./quota-level-badge";
import { StockBadge } from "./stock-badge";

export function AccountCard({ listing, contactUrl }: { listing: AccountListing; contactUrl: string }) {
  const soldOut = !listing.stockAvailable;
  return (
    <article
      aria-labelledby={`acc-${listing.id}`}
      data-testid="account-card"
      className={`flex flex-col rounded-2xl border border-zinc-200 bg-white p-5 shadow-sm transition dark:border-zinc-800 dark:bg-zinc-900 ${soldOut ? "" : "hover:border-zinc-300 hover:shadow-md dark:hover:border-zinc-700"}`}
    >
      <div className="flex flex-wrap items-center gap-2">
        <QuotaLevelBadge level={listing.quotaLevel} />
        <StockBadge status={listing.status} reserved={listing.reserved} />
      </div>
      <h2 id={`acc-${listing.id}`} className={`mt-3 text-base font-semibold leading-snug text-balance ${soldOut ? "text-zinc-500 dark:text-zinc-400" : "text-zinc-900 dark:text-zinc-50"}`}>
        <Link href={`/accounts/${listing.id}`} className="hover:underline focus-visible:underline">
          {listing.displayName}
        </Link>
      </h2>
      <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{listing.regions.join(" · ") || "Region on request"}</p>

      <ul className="mt-4 space-y-2" aria-label="Top models">
        {listing.primaryModels.length === 0 && (
          <li className="text-sm text-zinc-500 dark:text-zinc-400">No model quota verified yet</li>
        )}
        {listing.primaryModels.map((m) => (
          <li key={m.model} className="flex items-baseline justify-between gap-3 text-sm">
            <span className="truncate text-zinc-700 dark:text-zinc-300">{getModelDisplayName(m.model)}</span>
            <span className="shrink-0 font-mono text-xs tabular-nums text-zinc-500 dark:text-zinc-400">
              {formatCount(m.tpm)} TPM · {formatCount(m.rpm)} RPM
            </span>
          </li>
        ))}
      </ul>

      <div className="mt-auto flex items-end justify-between gap-3 pt-5">
        <p className={`text-2xl font-semibold tabular-nums tracking-tight ${soldOut ? "text-zinc-500 dark:text-zinc-400" : ""}`}>
          {formatFiat(listing.price)}
        </p>
        {soldOut ? (
          <span className="text-sm text-zinc-600 dark:text-zinc-300">{listing.status === "AVAILABLE" && listing.reserved ? "Held for a buyer" : "Unavailable"}</span>
        ) : (
          <a
            href={contactUrl}
            target="_blank"
            rel="noopener noreferrer"
            className="inline-flex items-center gap-1.5 rounded-lg bg-zinc-900 px-3.5 py-2.5 text-sm font-medium text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300"
          >
            Ask on Telegram
          </a>
        )}
      </div>
    </article>
  );
}
