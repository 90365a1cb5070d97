import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AccountForm } from "@/components/admin/account-form";
import { AccountStatusBadge } from "@/components/admin/account-status-badge";
import { AccountStatusForm } from "@/components/admin/account-status-form";
import { QuotaRefreshButton } from "@/components/admin/quota-refresh-button";
import { ActivityList } from "@/components/admin/activity-list";
import { QuotaLevelBadge } from "@/components/store/quota-level-badge";
import { Badge } from "@/components/ui/badge";
import { FormAlert } from "@/components/ui/form";
import { getDb } from "@/db";
import { findAdminAccount, listActivity, type AdminAccount } from "@/lib/accounts/admin-queries";
import { isUuid } from "@/lib/invoices/queries";
import { requireAdmin } from "@/lib/auth/current-admin";
import { compareModelRank, formatDecimalUnits, getModelDisplayName, money } from "@/lib/domain";
import { formatCount, formatFiat, formatRelativeTime } from "@/lib/format";
import { changeStatusAction, updateAccountAction } from "../actions";

export const metadata: Metadata = { title: "Account · Admin", robots: { index: false } };

type Props = { params: Promise<{ accountId: string }>; searchParams: Promise<{ created?: string }> };

function Section({ title, children, aside }: { title?: string; children: React.ReactNode; aside?: React.ReactNode }) {
  return (
    <section className="min-w-0 rounded-xl border border-zinc-200 bg-white p-5 sm:p-6 dark:border-zinc-800 dark:bg-zinc-900">
      {title && (
        <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
          <h2 className="text-base font-semibold">{title}</h2>
          {aside}
        </div>
      )}
      {children}
    </section>
  );
}

function QuotaTable({ account, now }: { account: AdminAccount; now: Date }) {
  const quotas = [...account.quotas].sort((a, b) => compareModelRank(a.model, b.model));
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <QuotaLevelBadge level={account.quotaLevel} />
        {account.needsReview && <Badge tone="amber">Flagged for review: every applied quota is zero</Badge>}
        <span className="text-zinc-600 dark:text-zinc-400">
          {account.quotaUpdatedAt ? <>Last read <time dateTime={account.quotaUpdatedAt.toISOString()}>{formatRelativeTime(account.quotaUpdatedAt, now)}</time></> : "Never read from AWS"}
        </span>
      </div>
      {account.quotaError && (
        <div role="alert" data-testid="quota-error" className="rounded-lg border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800 dark:border-rose-500/30 dark:bg-rose-500/10 dark:text-rose-200">
          Last refresh failed{account.quotaErrorAt ? ` ${formatRelativeTime(account.quotaErrorAt, now)}` : ""}: {account.quotaError}. The quotas below are the last good reading.
        </div>
      )}
      {quotas.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No quotas yet. Refresh to read them from AWS.</p>
      ) : (
        <div className="-mx-5 overflow-x-auto sm:mx-0">
          <table className="w-full min-w-[28rem] text-sm" data-testid="admin-quota-table">
            <thead className="text-left text-xs text-zinc-500 uppercase dark:text-zinc-400">
              <tr><th className="px-5 py-2 font-medium sm:px-0">Model</th><th className="px-3 py-2 text-right font-medium">RPM</th><th className="px-3 py-2 text-right font-medium">TPM</th><th className="px-3 py-2 text-right font-medium">TPD</th><th className="px-5 py-2 text-right font-medium sm:px-0">Available</th></tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {quotas.map((q) => (
                <tr key={q.model}>
                  <td className="px-5 py-2 font-medium sm:px-0">{getModelDisplayName(q.model)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatCount(q.rpm)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatCount(q.tpm)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatCount(q.tpd)}</td>
                  <td className="px-5 py-2 text-right sm:px-0">{q.available ? "Yes" : "No"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export default async function AdminAccountPage({ params, searchParams }: Props) {
  const [{ accountId }, { created }] = await Promise.all([params, searchParams]);
  await requireAdmin(`/admin/accounts/${accountId}`);
  const db = await getDb();
  const account = isUuid(accountId) ? await findAdminAccount(db, accountId) : null;
  if (!account) notFound();
  const { rows: activity } = await listActivity(db, { accountId: account.id }, 10);
  const now = new Date();
  const price = (minor: bigint) => formatFiat(money(minor, account.priceCurrency) as never);

  return (
    <div className="space-y-6">
      <div>
        <Link href="/admin/accounts" className="text-sm text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">← Accounts</Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="min-w-0 text-2xl font-semibold tracking-tight break-words">{account.displayName}</h1>
          <AccountStatusBadge status={account.status} reserved={account.reservedUntil !== null} />
        </div>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          {account.name} · {price(account.priceMinor)} ·{" "}
          <Link href={`/accounts/${account.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">public page</Link>
        </p>
      </div>
      {created && <FormAlert tone="success" message="Account created. Refresh its quotas, then put it on sale." />}

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_22rem] lg:items-start">
        <div className="space-y-6">
          <Section title="Quotas" aside={<QuotaRefreshSlot accountId={account.id} hasCredentials={account.hasCredentials} />}>
            <QuotaTable account={account} now={now} />
          </Section>
          <Section>
            <AccountForm
              action={updateAccountAction}
              mode="edit"
              defaults={{
                accountId: account.id,
                version: account.updatedAt.toISOString(),
                name: account.name,
                displayName: account.displayName,
                price: formatDecimalUnits(account.priceMinor, 2),
                priceCurrency: account.priceCurrency,
                instructions: account.instructions,
                features: account.features.join("\n"),
                limitations: account.limitations.join("\n"),
                regions: account.regions.join(", "),
                accessKeyLast4: account.accessKeyLast4,
                suggestedPrice: account.suggestedPriceMinor === null ? null : price(account.suggestedPriceMinor),
              }}
            />
          </Section>
        </div>
        <div className="space-y-6">
          <Section title="Status">
            {account.reservedUntil ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                A buyer is paying for this account. It is held until{" "}
                <time dateTime={account.reservedUntil.toISOString()}>{account.reservedUntil.toISOString().slice(11, 16)} UTC</time>, or sold if the invoice is paid.
              </p>
            ) : (
              <AccountStatusForm action={changeStatusAction} accountId={account.id} status={account.status} />
            )}
            {account.soldAt && <p className="mt-3 text-xs text-zinc-500 dark:text-zinc-400">Sold {formatRelativeTime(account.soldAt, now)}.</p>}
          </Section>
          <Section title="Recent activity" aside={<Link href={`/admin/activity?account=${account.id}`} className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">All</Link>}>
            <ActivityList rows={activity} now={now} showAccount={false} />
          </Section>
        </div>
      </div>
    </div>
  );
}

function QuotaRefreshSlot({ accountId, hasCredentials }: { accountId: string; hasCredentials: boolean }) {
  if (!hasCredentials) return <span className="text-sm text-zinc-500 dark:text-zinc-400">Add credentials to read quotas</span>;
  return <QuotaRefreshButton accountId={accountId} />;
}
