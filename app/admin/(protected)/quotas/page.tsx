import type { Metadata } from "next";
import { QuotaAccountList } from "@/components/admin/quota-account-list";
import { QuotaAutoRefresh } from "@/components/admin/quota-auto-refresh";
import { QuotaRefreshAllButton } from "@/components/admin/quota-refresh-all-button";
import { QuotaRunList } from "@/components/admin/quota-run-list";
import { getDb } from "@/db";
import { requireAdmin } from "@/lib/auth/current-admin";
import { settings } from "@/lib/config";
import { listAccountsNeedingReview, listAccountsWithQuotaErrors, listQuotaRuns } from "@/lib/quotas/queries";

export const metadata: Metadata = { title: "Quotas · Admin", robots: { index: false } };
export const dynamic = "force-dynamic";

function SectionHeading({ id, children }: { id: string; children: React.ReactNode }) {
  return (
    <h2 id={id} className="mb-3 text-sm font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
      {children}
    </h2>
  );
}

export default async function QuotasPage() {
  await requireAdmin("/admin/quotas");
  const db = await getDb();
  const now = new Date();
  const [runs, review, failures] = await Promise.all([listQuotaRuns(db, { now }), listAccountsNeedingReview(db), listAccountsWithQuotaErrors(db)]);
  const running = runs.some((r) => r.inProgress);
  const s = settings();
  const source = s.QUOTA_SOURCE === "aws" ? `AWS (STS, Service Quotas and Bedrock${s.QUOTA_AWS_ENDPOINT_URL ? ", through a local endpoint" : ""})` : "the configured quota command";

  return (
    <div className="space-y-8">
      <QuotaAutoRefresh active={running} />
      <div className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Quotas</h1>
          <p className="mt-1 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
            Applied Bedrock quotas are read from {source}. A failed read keeps the last good profile; an account whose quotas all read zero is flagged for review.
          </p>
        </div>
        <QuotaRefreshAllButton disabled={running} />
      </div>

      <section aria-labelledby="runs-heading">
        <SectionHeading id="runs-heading">Bulk refreshes</SectionHeading>
        <QuotaRunList runs={runs} now={now} />
      </section>

      <section aria-labelledby="failures-heading">
        <SectionHeading id="failures-heading">Last refresh failed ({failures.length})</SectionHeading>
        <QuotaAccountList accounts={failures} now={now} showError empty="Every account's last refresh succeeded." testId="quota-failures" />
      </section>

      <section aria-labelledby="review-heading">
        <SectionHeading id="review-heading">Flagged for review ({review.length})</SectionHeading>
        <QuotaAccountList accounts={review} now={now} showError={false} empty="No account has all-zero quotas." testId="quota-review" />
      </section>
    </div>
  );
}
