import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { MerchantPlanForm, MerchantStatusActions } from "@/components/admin/merchant-actions";
import { MerchantHistory, MerchantInvoices, MerchantKeys } from "@/components/admin/merchant-details";
import { formatVolumes, MerchantPlanBadge, MerchantStatusBadge } from "@/components/admin/merchant-status-badge";
import { getDb } from "@/db";
import { requireAdmin } from "@/lib/auth/current-admin";
import { PLAN_LIMITS } from "@/lib/domain";
import { formatRelativeTime } from "@/lib/format";
import { isUuid } from "@/lib/invoices/queries";
import { findAdminMerchant } from "@/lib/merchants/admin-queries";
import { allowedMerchantActions } from "@/lib/merchants/admin-status";
import { merchantPlanAction, merchantStatusAction } from "../actions";

export const metadata: Metadata = { title: "Merchant · Admin", robots: { index: false } };

function Section({ title, children, aside }: { title: string; children: React.ReactNode; aside?: React.ReactNode }) {
  return (
    <section className="min-w-0 rounded-xl border border-zinc-200 bg-white p-5 sm:p-6 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <h2 className="text-base font-semibold">{title}</h2>
        {aside}
      </div>
      {children}
    </section>
  );
}

function Stat({ label, value, hint }: { label: string; value: React.ReactNode; hint?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-zinc-500 uppercase dark:text-zinc-400">{label}</dt>
      <dd className="mt-1 font-medium break-words tabular-nums">{value}</dd>
      {hint && <dd className="text-xs text-zinc-500 dark:text-zinc-400">{hint}</dd>}
    </div>
  );
}

const limitText = (n: number | null) => (n === null ? "unlimited" : `limit ${n}`);

export default async function AdminMerchantPage({ params }: { params: Promise<{ merchantId: string }> }) {
  const { merchantId } = await params;
  await requireAdmin(`/admin/merchants/${merchantId}`);
  const merchant = isUuid(merchantId) ? await findAdminMerchant(await getDb(), merchantId) : null;
  if (!merchant) notFound();
  const now = new Date();
  const limits = PLAN_LIMITS[merchant.planType];
  const activeKeys = merchant.apiKeys.filter((k) => k.status === "active" && (!k.expiresAt || k.expiresAt > now)).length;
  const endpoints = merchant.webhookEndpoints;
  const endpointTotal = endpoints.active + endpoints.disabled + endpoints.failed;

  return (
    <div className="space-y-6">
      <div>
        <Link href="/admin/merchants" className="text-sm text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">← Merchants</Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="min-w-0 text-2xl font-semibold tracking-tight break-words">{merchant.businessName}</h1>
          <span data-testid="merchant-status"><MerchantStatusBadge status={merchant.status} /></span>
          <MerchantPlanBadge plan={merchant.planType} />
        </div>
        <p className="mt-1 text-sm break-all text-zinc-600 dark:text-zinc-400">
          {merchant.contactEmail} · <span className="font-mono text-xs">{merchant.id}</span>
        </p>
      </div>

      <dl className="grid grid-cols-2 gap-4 rounded-xl border border-zinc-200 bg-white p-5 sm:grid-cols-4 dark:border-zinc-800 dark:bg-zinc-900">
        <Stat label="Invoices" value={merchant.invoiceCount.toLocaleString("en-US")} />
        <Stat label="Paid volume" value={formatVolumes(merchant.paidVolume)} hint="live invoices" />
        <Stat label="Active API keys" value={activeKeys} hint={limitText(limits.apiKeys)} />
        <Stat
          label="Webhook endpoints"
          value={endpointTotal}
          hint={`${endpoints.active} active${endpoints.failed ? `, ${endpoints.failed} failed` : ""}${endpoints.disabled ? `, ${endpoints.disabled} disabled` : ""} · ${limitText(limits.webhookEndpoints)}`}
        />
      </dl>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_22rem] lg:items-start">
        <div className="space-y-6">
          <Section title="Recent invoices">
            <MerchantInvoices rows={merchant.recentInvoices} now={now} />
          </Section>
          <Section title="API keys">
            <MerchantKeys rows={merchant.apiKeys} now={now} />
          </Section>
          <Section title="History">
            <MerchantHistory rows={merchant.history} now={now} />
          </Section>
        </div>
        {/* On a phone the actions come first; on a wide screen they sit in the right column. */}
        <div className="order-first space-y-6 lg:order-none">
          <Section title="Status" aside={<span className="text-xs text-zinc-500 dark:text-zinc-400">joined {formatRelativeTime(merchant.createdAt, now)}</span>}>
            <MerchantStatusActions action={merchantStatusAction} merchantId={merchant.id} status={merchant.status} allowed={allowedMerchantActions(merchant.status)} />
          </Section>
          {merchant.status !== "closed" && (
            <Section title="Plan">
              <MerchantPlanForm action={merchantPlanAction} merchantId={merchant.id} plan={merchant.planType} />
            </Section>
          )}
        </div>
      </div>
    </div>
  );
}
