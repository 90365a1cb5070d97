import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache, type ReactNode } from "react";
import { CopyButton } from "@/components/checkout/copy-button";
import { SiteHeader } from "@/components/store/site-header";
import { getDb } from "@/db";
import { settings } from "@/lib/config";
import { formatFiat } from "@/lib/format";
import { findOrderByToken, type OrderPageView } from "@/lib/orders/queries";

// The link is the only key to this page: never cached, never indexed, never sent on as a referrer.
// (Cache-Control: dynamic rendering answers "private, no-cache, no-store"; the meta referrer tag
// covers the browser, a Referrer-Policy header would need next.config.ts.)
export const dynamic = "force-dynamic";
const ORDER_METADATA: Metadata = {
  title: "Your order",
  robots: { index: false, follow: false, nocache: true },
  referrer: "no-referrer",
};

type Params = { params: Promise<{ token: string }> };

/** One lookup per request, shared by the metadata and the page. */
const loadOrder = cache(async (token: string) => findOrderByToken(await getDb(), token));

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  // Decided before the page streams, so a wrong token answers a real 404.
  if (!(await loadOrder((await params).token))) notFound();
  return ORDER_METADATA;
}

export default async function OrderPage({ params }: Params) {
  const order = await loadOrder((await params).token);
  if (!order) notFound();
  const s = settings();
  const telegramUrl = `https://t.me/${s.TELEGRAM_USERNAME}`;
  return (
    <>
      <SiteHeader storeName={s.STORE_NAME} telegramUrl={telegramUrl} />
      <main className="mx-auto max-w-2xl px-4 pt-6 pb-16 sm:px-6" data-testid={`order-${order.status}`}>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Your order</p>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight text-balance break-words">{order.account.displayName}</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          {formatFiat(order.price)} · ordered <Time at={order.createdAt} />
        </p>
        <div className="mt-6">
          <OrderState order={order} telegramUrl={telegramUrl} telegramName={s.TELEGRAM_USERNAME} />
        </div>
      </main>
    </>
  );
}

function OrderState({ order, telegramUrl, telegramName }: { order: OrderPageView; telegramUrl: string; telegramName: string }) {
  switch (order.status) {
    case "reserved":
      return (
        <Panel tone="amber" title={order.invoice.status === "confirming" ? "Payment detected, confirming" : "Awaiting payment"}>
          <p>
            {order.reservedUntil > new Date() ? (
              <>
                This account is held for you until <Time at={order.reservedUntil} />.
              </>
            ) : (
              "The reservation time has passed; a payment already sent is still being checked."
            )}{" "}
            Once your payment is confirmed, your access keys appear on this page.
          </p>
          <Link href={order.invoice.checkoutPath} className="mt-3 inline-flex min-h-11 items-center font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            Go to the checkout
          </Link>
        </Panel>
      );
    case "paid":
      return <PaidOrder order={order} telegramUrl={telegramUrl} />;
    case "expired":
    case "cancelled":
      return (
        <Panel tone="neutral" title={order.status === "expired" ? "This reservation expired" : "This order was cancelled"}>
          <p>
            {order.status === "expired" ? "No payment arrived in time, so the account was released." : "The payment was cancelled and the account was released."}{" "}
            Do not send a payment for this order. The account may be available again.
          </p>
          <Link href={`/accounts/${order.account.id}`} className="mt-3 inline-flex min-h-11 items-center font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            See the account
          </Link>
        </Panel>
      );
    case "unfulfillable":
      return (
        <Panel tone="red" title="We will refund your payment">
          <p>
            Your payment arrived, but the account could no longer be sold to you: the reservation had ended and it went to another
            buyer, or it was withdrawn from sale. We will refund you in full.
          </p>
          <p className="mt-2">
            Write to us on <ContactLink href={telegramUrl}>Telegram (@{telegramName})</ContactLink> with your payment reference <span className="font-mono text-xs break-all">{order.invoice.id}</span> and the address to refund to.
          </p>
        </Panel>
      );
  }
}

function PaidOrder({ order, telegramUrl }: { order: OrderPageView; telegramUrl: string }) {
  return (
    <div className="space-y-6">
      <Panel tone="green" title="Payment received: the account is yours">
        <p>
          Purchased <Time at={order.paidAt ?? order.createdAt} />.
          {order.emailedTo && ` We sent the link to this page to ${order.emailedTo}.`} Keep this page private, and rotate the keys
          after your first sign-in.
        </p>
      </Panel>
      {order.credentials ? (
        <Keys credentials={order.credentials} regions={order.account.regions} />
      ) : (
        <Panel tone="amber" title="Your keys are not on file yet">
          <p>
            Please <ContactLink href={telegramUrl}>contact us on Telegram</ContactLink> with your payment reference{" "}
            <span className="font-mono text-xs break-all">{order.invoice.id}</span>.
          </p>
        </Panel>
      )}
      {order.account.instructions && (
        <section aria-labelledby="instructions">
          <h2 id="instructions" className="text-lg font-semibold">
            Instructions
          </h2>
          <p className="mt-2 text-sm whitespace-pre-line text-zinc-700 dark:text-zinc-300" data-testid="instructions">
            {order.account.instructions}
          </p>
        </section>
      )}
    </div>
  );
}

function Keys({ credentials, regions }: { credentials: NonNullable<OrderPageView["credentials"]>; regions: string[] }) {
  return (
    <section aria-labelledby="keys" className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="keys" className="text-lg font-semibold">
        Access keys
      </h2>
      <dl className="mt-3 space-y-4">
        <Secret label="Access key ID" copyLabel="access key ID" value={credentials.accessKeyId} testId="access-key-id" />
        <Secret label="Secret access key" copyLabel="secret access key" value={credentials.secretAccessKey} testId="secret-access-key" />
        {credentials.sessionToken && <Secret label="Session token" copyLabel="session token" value={credentials.sessionToken} testId="session-token" />}
        <div>
          <dt className="text-sm text-zinc-500 dark:text-zinc-400">Regions</dt>
          <dd className="mt-1 text-sm" data-testid="regions">
            {regions.join(" · ") || "Ask us on Telegram"}
          </dd>
        </div>
      </dl>
    </section>
  );
}

function ContactLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
      {children}
    </a>
  );
}

function Secret({ label, copyLabel, value, testId }: { label: string; copyLabel: string; value: string; testId: string }) {
  return (
    <div>
      <dt className="text-sm text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="mt-1 flex items-center gap-2">
        <code className="min-w-0 flex-1 rounded-lg bg-zinc-100 px-3 py-2 font-mono text-sm break-all dark:bg-zinc-950" data-testid={testId}>
          {value}
        </code>
        <CopyButton value={value} label={copyLabel} />
      </dd>
    </div>
  );
}

const PANEL_TONES = {
  neutral: "border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900",
  amber: "border-amber-200 bg-amber-50 dark:border-amber-900 dark:bg-amber-950/40",
  green: "border-emerald-200 bg-emerald-50 dark:border-emerald-900 dark:bg-emerald-950/40",
  red: "border-rose-200 bg-rose-50 dark:border-rose-900 dark:bg-rose-950/40",
} as const;

function Panel({ tone, title, children }: { tone: keyof typeof PANEL_TONES; title: string; children: ReactNode }) {
  return (
    <section className={`rounded-xl border p-4 text-sm text-zinc-700 dark:text-zinc-300 ${PANEL_TONES[tone]}`}>
      <h2 className="text-base font-semibold text-zinc-900 dark:text-zinc-100">{title}</h2>
      <div className="mt-1">{children}</div>
    </section>
  );
}

const utc = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** A server-rendered time, in UTC so it reads the same on every device. */
function Time({ at }: { at: Date }) {
  return <time dateTime={at.toISOString()}>{`${utc.format(at)} UTC`}</time>;
}
