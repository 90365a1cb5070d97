import type { Metadata } from "next";
import Link from "next/link";
import { NotificationDeliveries } from "@/components/merchant/notification-deliveries";
import { NotificationSwitch } from "@/components/merchant/notification-switch";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/current-merchant";
import { settings } from "@/lib/config";
import { EVENT_DESCRIPTIONS, EVENT_LABELS, type NotificationRecipient } from "@/lib/notifications/catalog";
import { listRecentDeliveries, merchantNotificationAddress } from "@/lib/notifications/deliveries";
import { listTemplates, type TemplateRow } from "@/lib/notifications/templates";
import { toggleTemplateAction } from "./actions";

export const metadata: Metadata = { title: "Notifications" };

const GROUPS: { recipient: NotificationRecipient; title: string; intro: (address: string | null) => string }[] = [
  { recipient: "customer", title: "Emails to your customers", intro: () => "Sent to the customer's email on invoices that have one." },
  { recipient: "merchant", title: "Emails to you", intro: (address) => `Sent to ${address ?? "your contact email"}.` },
];

function TemplateList({ rows }: { rows: TemplateRow[] }) {
  return (
    <ul className="divide-y divide-zinc-200 overflow-hidden rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
      {rows.map((t) => {
        const label = EVENT_LABELS[t.eventType];
        return (
          <li key={t.id} className="grid gap-2 px-4 py-3 text-sm sm:grid-cols-[1fr_auto] sm:items-center sm:gap-4" data-testid={`template-${t.eventType}-${t.recipient}`}>
            <div className="min-w-0">
              <p className="font-medium">{label}</p>
              <p className="text-xs text-zinc-500 dark:text-zinc-400">{EVENT_DESCRIPTIONS[t.eventType]}</p>
              <p className={`mt-1 truncate font-mono text-xs ${t.isActive ? "text-zinc-700 dark:text-zinc-300" : "text-zinc-400 dark:text-zinc-500"}`} title={t.subject}>
                {t.subject}
              </p>
            </div>
            <div className="flex items-center justify-between gap-3 sm:justify-end">
              <NotificationSwitch action={toggleTemplateAction} eventType={t.eventType} recipient={t.recipient} active={t.isActive} label={`Send “${label}” emails`} />
              <Link
                href={`/merchant/notifications/${t.eventType}/${t.recipient}`}
                className="inline-flex min-h-10 items-center rounded-lg border border-zinc-300 px-3 py-1.5 font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
                aria-label={`Edit ${label} email to ${t.recipient === "customer" ? "customers" : "you"}`}
              >
                Edit
              </Link>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

export default async function NotificationsPage() {
  const merchant = await requireMerchant("/merchant/notifications");
  const db = await getDb();
  const [templates, deliveries, address] = await Promise.all([
    listTemplates(db, merchant.id),
    listRecentDeliveries(db, merchant.id, 50),
    merchantNotificationAddress(db, merchant.id),
  ]);
  const mailConfigured = Boolean(settings().SMTP_URL);
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Notifications</h1>
        <p className="mt-1 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
          Emails sent when something happens to an invoice or your account. Switch each one on or off, and edit its subject
          and text with variables such as <code className="text-xs">{"{{invoice.total}}"}</code>.
        </p>
      </div>
      {!mailConfigured && (
        <p role="status" className="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-200">
          No mail server is configured on this installation (SMTP_URL), so emails wait as pending until one is.
        </p>
      )}
      {GROUPS.map((group) => (
        <section key={group.recipient} aria-labelledby={`group-${group.recipient}`} className="space-y-3">
          <div>
            <h2 id={`group-${group.recipient}`} className="font-semibold">{group.title}</h2>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">{group.intro(address)}</p>
          </div>
          <TemplateList rows={templates.filter((t) => t.recipient === group.recipient)} />
        </section>
      ))}
      <section aria-labelledby="deliveries-heading" className="space-y-3">
        <div>
          <h2 id="deliveries-heading" className="font-semibold">Recent deliveries</h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">The last 50 emails. A failed attempt is retried after 1, 5, 15 and 60 minutes, five attempts in all.</p>
        </div>
        <NotificationDeliveries deliveries={deliveries} />
      </section>
    </div>
  );
}
