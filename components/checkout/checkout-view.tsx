"use client";

import { useCallback, useEffect, useId, useState, useSyncExternalStore, type ReactNode } from "react";
import useSWR, { type SWRConfiguration } from "swr";
import { Badge, type BadgeTone } from "@/components/ui/badge";
// Direct module imports (not the @/lib/domain barrel) keep the client bundle small.
import { parseDecimalUnits } from "@/lib/domain/decimal";
import { replacePaymentUriAmount } from "@/lib/domain/payment-uri";
import { CopyButton } from "./copy-button";
import { Countdown } from "./countdown";
import { QrCode } from "./qr-code";
import { TestWalletButton } from "./test-wallet-button";
import { isTerminalStatus, type PublicInvoiceStatus, type PublicInvoiceView } from "./types";

const REDIRECT_SECONDS = 5;
const MAX_RETRY_DELAY_MS = 30_000;
const STATUSES: readonly PublicInvoiceStatus[] = ["pending", "partial", "confirming", "paid", "expired", "cancelled", "refunded"];

const STATUS_BADGE: Record<PublicInvoiceStatus, { label: string; tone: BadgeTone }> = {
  pending: { label: "Awaiting payment", tone: "sky" },
  partial: { label: "Partially paid", tone: "amber" },
  confirming: { label: "Confirming", tone: "indigo" },
  paid: { label: "Paid", tone: "green" },
  expired: { label: "Expired", tone: "neutral" },
  cancelled: { label: "Cancelled", tone: "neutral" },
  refunded: { label: "Refunded", tone: "neutral" },
};

/** What the polite live region says when the status changes (never on first render). */
function announcementFor(view: PublicInvoiceView): string {
  const { asset } = view.crypto;
  switch (view.status) {
    case "pending":
      return "Waiting for your payment.";
    case "partial":
      return `Partial payment received. Send the remaining ${view.crypto.remaining} ${asset}.`;
    case "confirming":
      return "Payment received. Waiting for network confirmations.";
    case "paid":
      return "Payment complete.";
    case "expired":
      return "This invoice has expired.";
    case "cancelled":
      return "This invoice has been cancelled.";
    case "refunded":
      return "This payment has been refunded.";
  }
}

function isInvoiceView(value: unknown): value is PublicInvoiceView {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<PublicInvoiceView>;
  return (
    typeof v.id === "string" &&
    typeof v.status === "string" &&
    STATUSES.includes(v.status) &&
    typeof v.crypto === "object" &&
    v.crypto !== null &&
    typeof v.fiat === "object" &&
    v.fiat !== null &&
    typeof v.address === "string" &&
    typeof v.expiresAt === "string"
  );
}

/** SWR fetcher for GET /api/pay/{invoiceId}/status. Throws on HTTP errors and malformed bodies. */
export async function fetchInvoiceView(url: string): Promise<PublicInvoiceView> {
  const res = await fetch(url, { cache: "no-store", headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`Invoice status request failed with HTTP ${res.status}`);
  const body: unknown = await res.json();
  if (!isInvoiceView(body)) throw new Error("Invoice status response is malformed");
  return body;
}

function formatFiatTotal({ currency, total }: PublicInvoiceView["fiat"]): string {
  try {
    // Intl formats a decimal string exactly (no binary float in between).
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(total as unknown as number);
  } catch {
    return `${total} ${currency}`;
  }
}

const noopSubscribe = () => () => {};
/** false during SSR and hydration, true afterwards: lets local-time text avoid hydration mismatches. */
function useIsClient(): boolean {
  return useSyncExternalStore(noopSubscribe, () => true, () => false);
}

function formatDateTime(iso: string, local: boolean): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = new Intl.DateTimeFormat("en-US", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: local ? undefined : "UTC",
  }).format(date);
  return local ? text : `${text} UTC`;
}

/** Only http(s) URLs may be followed (never javascript: or data:). */
function safeHttpUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const { protocol } = new URL(url);
    return protocol === "https:" || protocol === "http:" ? url : null;
  } catch {
    return null;
  }
}

function isPositiveDecimal(value: string, decimals: number): boolean {
  const parsed = parseDecimalUnits(value, decimals);
  return parsed.ok && parsed.units > 0n;
}

export type CheckoutViewProps = {
  /** The view model rendered on the server; also the SWR fallback data. */
  initial: PublicInvoiceView;
  /** GET /api/pay/{invoiceId}/status */
  statusUrl: string;
  pollIntervalMs?: number;
  /** Optional server-rendered QR SVG for `initial.paymentUri` (QRCode.toString(uri, QR_SVG_OPTIONS)). */
  initialQrSvg?: string;
};

export function CheckoutView({ initial, statusUrl, pollIntervalMs = 3000, initialQrSvg }: CheckoutViewProps) {
  // Set from onSuccess so the SWR options below can stop polling once a terminal status arrives.
  const [stopped, setStopped] = useState(() => isTerminalStatus(initial.status));

  const onErrorRetry = useCallback<NonNullable<SWRConfiguration["onErrorRetry"]>>(
    (_error, _key, _config, revalidate, { retryCount }) => {
      // Capped exponential backoff: a checkout page must not go quiet for minutes (SWR's default can).
      const delay = Math.min(pollIntervalMs * 2 ** Math.min(Math.max(retryCount - 1, 0), 4), MAX_RETRY_DELAY_MS);
      setTimeout(() => revalidate({ retryCount }), delay);
    },
    [pollIntervalMs],
  );

  const { data, error, mutate } = useSWR<PublicInvoiceView>(statusUrl, fetchInvoiceView, {
    fallbackData: initial,
    refreshInterval: stopped ? 0 : pollIntervalMs,
    // The server just rendered `initial`: the first poll comes one interval later.
    revalidateOnMount: false,
    revalidateOnFocus: !stopped,
    revalidateOnReconnect: !stopped,
    shouldRetryOnError: !stopped,
    onErrorRetry,
    onSuccess: (next) => {
      if (isTerminalStatus(next.status)) setStopped(true);
    },
  });
  const view = data ?? initial;
  const { status, crypto } = view;
  const terminal = stopped || isTerminalStatus(status);

  // Announce status changes (not the initial status) in the polite live region.
  const [announced, setAnnounced] = useState({ status: initial.status, text: "" });
  if (announced.status !== status) setAnnounced({ status, text: announcementFor(view) });

  // The local countdown reached zero: hide the address until the server confirms the new status.
  const [timeUpFor, setTimeUpFor] = useState<string | null>(null);
  const onExpire = useCallback(() => {
    setTimeUpFor(view.expiresAt);
    void mutate();
  }, [view.expiresAt, mutate]);
  const payable = status === "pending" || status === "partial";
  const timeUp = payable && timeUpFor === view.expiresAt;

  const badge = STATUS_BADGE[status];
  const titleId = useId();

  // Inside the embed overlay (public/embed.js), tell the merchant's page once the invoice is paid.
  // Only the invoice id travels, so any parent origin may hear it.
  useEffect(() => {
    if (status === "paid" && typeof window !== "undefined" && window.parent !== window) {
      window.parent.postMessage({ type: "crypto-checkout:paid", invoiceId: view.id }, "*");
    }
  }, [status, view.id]);

  return (
    <div className="mx-auto w-full max-w-md">
      <article
        aria-labelledby={titleId}
        data-status={status}
        className="overflow-hidden rounded-2xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      >
        <header className="border-b border-zinc-200 p-5 sm:p-6 dark:border-zinc-800">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p className="min-w-0 truncate text-sm font-medium text-zinc-600 dark:text-zinc-400">{view.merchantName}</p>
            <div className="flex shrink-0 flex-wrap items-center gap-1.5">
              {view.testnet && <Badge tone="amber">Testnet</Badge>}
              <Badge tone={badge.tone}>{badge.label}</Badge>
            </div>
          </div>
          <h1 id={titleId} className="mt-2 text-lg font-semibold leading-snug text-balance break-words">
            {view.title}
          </h1>
          <dl className="mt-4 grid grid-cols-[auto_minmax(0,1fr)] items-baseline gap-x-4 gap-y-1.5">
            <dt className="text-sm text-zinc-500 dark:text-zinc-400">Total</dt>
            <dd className="text-2xl font-semibold tabular-nums tracking-tight">{formatFiatTotal(view.fiat)}</dd>
            <dt className="text-sm text-zinc-500 dark:text-zinc-400">Pay with</dt>
            <dd className="min-w-0 text-sm">
              <span className="font-mono font-medium break-all tabular-nums">
                {crypto.amount} {crypto.asset}
              </span>{" "}
              <span className="text-zinc-500 dark:text-zinc-400">on {crypto.networkLabel}</span>
            </dd>
          </dl>
        </header>

        <div className="space-y-5 p-5 sm:p-6" data-testid={`checkout-status-${status}`}>
          {error && !terminal && (
            <p role="status" className="flex items-center gap-2 text-xs text-amber-700 dark:text-amber-400">
              <span aria-hidden="true" className="size-2 animate-pulse rounded-full bg-amber-500" />
              Reconnecting…
            </p>
          )}

          {payable && !timeUp && (
            <PaymentPanel view={view} qrSvg={initialQrSvg} initialUri={initial.paymentUri} onExpire={onExpire} onPaid={() => void mutate()} />
          )}
          {timeUp && (
            <StatePanel tone="neutral" title="Time is up" icon={<ClockIcon />}>
              Checking the invoice status… Do not send a payment to this invoice now.
            </StatePanel>
          )}
          {status === "confirming" && <ConfirmingPanel view={view} />}
          {status === "paid" && <PaidPanel view={view} />}
          {status === "expired" && <ExpiredPanel view={view} />}
          {status === "cancelled" && (
            <StatePanel tone="neutral" title="This invoice was cancelled" icon={<CrossIcon />}>
              Do not send a payment. Contact {view.merchantName} if you have questions.
            </StatePanel>
          )}
          {status === "refunded" && (
            <StatePanel tone="neutral" title="This payment was refunded" icon={<RefundIcon />}>
              {view.merchantName} sent your payment back. Contact them if you have questions.
            </StatePanel>
          )}
        </div>
      </article>

      <p aria-live="polite" aria-atomic="true" className="sr-only" data-testid="status-announcer">
        {announced.text}
      </p>
    </div>
  );
}

function PaymentPanel({
  view,
  qrSvg,
  initialUri,
  onExpire,
  onPaid,
}: {
  view: PublicInvoiceView;
  qrSvg: string | undefined;
  initialUri: string;
  onExpire: () => void;
  onPaid: () => void;
}) {
  const { crypto } = view;
  const partial = view.status === "partial";
  const toPay = partial ? crypto.remaining : crypto.amount;
  const headingId = useId();

  // A partial payment needs a QR for the REMAINING amount: the server's URI asks for the full amount,
  // and a wallet would prefill it (overpaying). Rewrite the amount, or show no QR if that fails.
  let qrValue: string | null = view.paymentUri;
  if (partial) {
    const remaining = parseDecimalUnits(crypto.remaining, crypto.decimals);
    qrValue = remaining.ok ? replacePaymentUriAmount(view.paymentUri, remaining.units, crypto.decimals) : null;
  }

  return (
    <section aria-labelledby={headingId} className="space-y-5">
      <div>
        {partial ? (
          <>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              {`Received ${crypto.received} of ${crypto.amount} ${crypto.asset}`}
            </p>
            <h2 id={headingId} className="mt-1 text-base font-semibold text-amber-800 dark:text-amber-300">
              {`Send the remaining ${crypto.remaining} ${crypto.asset}`}
            </h2>
          </>
        ) : (
          <h2 id={headingId} className="text-base font-semibold">
            {`Send exactly ${crypto.amount} ${crypto.asset} on ${crypto.networkLabel}`}
          </h2>
        )}
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Send only {crypto.asset} on {crypto.networkLabel} to this address; other assets or networks will be lost. If you
          pay from an exchange, make sure its fee is not taken from this amount.
        </p>
        {view.testnet && (
          <p className="mt-2 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-amber-200 ring-inset dark:bg-amber-950 dark:text-amber-300 dark:ring-amber-900">
            Testnet invoice: send testnet coins only, never real funds.
          </p>
        )}
      </div>

      <div className="flex justify-center">
        {qrValue ? (
          <QrCode value={qrValue} size={224} svg={qrValue === initialUri ? qrSvg : undefined} />
        ) : (
          <p className="rounded-xl border border-dashed border-zinc-300 p-4 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
            Enter the address and the remaining amount in your wallet.
          </p>
        )}
      </div>

      <div>
        <p className="text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
          {partial ? "Remaining amount" : "Amount"}
        </p>
        <div className="mt-1 flex items-center gap-2">
          <p
            data-testid="pay-amount"
            className="min-w-0 flex-1 font-mono text-lg font-semibold break-all tabular-nums"
          >
            {toPay} <span className="text-zinc-500 dark:text-zinc-400">{crypto.asset}</span>
          </p>
          <CopyButton value={toPay} label={partial ? "remaining amount" : "amount"} />
        </div>
      </div>

      <div>
        <p className="text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
          {crypto.asset} address · {crypto.networkLabel}
        </p>
        <div className="mt-1 flex items-start gap-2">
          <p
            data-testid="pay-address"
            className="min-w-0 flex-1 rounded-lg bg-zinc-50 px-3 py-2.5 font-mono text-sm break-all select-all ring-1 ring-zinc-200 ring-inset dark:bg-zinc-950 dark:ring-zinc-800"
          >
            {view.address}
          </p>
          <CopyButton value={view.address} label="address" />
        </div>
      </div>

      {view.testWallet && <TestWalletButton invoiceId={view.id} amountLabel={`${toPay} ${crypto.asset}`} onSent={onPaid} />}

      <div className="flex items-center justify-between gap-3 rounded-lg bg-zinc-50 px-3 py-2.5 text-sm dark:bg-zinc-950">
        <span className="text-zinc-600 dark:text-zinc-400">Time left to pay</span>
        <Countdown expiresAt={view.expiresAt} serverNow={view.serverNow} onExpire={onExpire} />
      </div>
    </section>
  );
}

function ConfirmingPanel({ view }: { view: PublicInvoiceView }) {
  const c = view.confirmations;
  const required = c ? Math.max(c.required, 1) : 0;
  const current = c ? Math.min(Math.max(c.current, 0), required) : 0;
  return (
    <StatePanel
      tone="indigo"
      icon={<ClockIcon />}
      title={c ? `Payment received — waiting for confirmations: ${current} of ${required}` : "Payment received — waiting for confirmations"}
    >
      <span className="block">
        We detected {view.crypto.received} {view.crypto.asset} on {view.crypto.networkLabel}. This page updates
        automatically; you do not need to send anything else.
      </span>
      {c && (
        <span
          role="progressbar"
          aria-label="Network confirmations"
          aria-valuemin={0}
          aria-valuemax={required}
          aria-valuenow={current}
          aria-valuetext={`${current} of ${required} confirmations`}
          className="mt-3 block h-2 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
        >
          <span
            className="block h-full rounded-full bg-indigo-600 transition-[width] duration-500 dark:bg-indigo-400"
            style={{ width: `${(current / required) * 100}%` }}
          />
        </span>
      )}
    </StatePanel>
  );
}

function PaidPanel({ view }: { view: PublicInvoiceView }) {
  const isClient = useIsClient();
  const redirectUrl = safeHttpUrl(view.redirectUrl);
  return (
    <StatePanel tone="green" title="Payment complete" icon={<CheckIcon />}>
      {view.paidAt && (
        <span className="block">
          Paid <time dateTime={view.paidAt}>{formatDateTime(view.paidAt, isClient)}</time>
        </span>
      )}
      {view.exception === "overpaid" && (
        <span className="mt-2 block" data-testid="exception-note">
          You sent more than the invoice amount. Contact {view.merchantName} about the difference.
        </span>
      )}
      {view.exception === "paid_late" && (
        <span className="mt-2 block" data-testid="exception-note">
          Your payment arrived after the invoice expired; {view.merchantName} accepted it.
        </span>
      )}
      {redirectUrl && <RedirectNotice url={redirectUrl} />}
    </StatePanel>
  );
}

function RedirectNotice({ url }: { url: string }) {
  const [secondsLeft, setSecondsLeft] = useState(REDIRECT_SECONDS);
  const [stay, setStay] = useState(false);

  useEffect(() => {
    if (stay) return;
    const deadline = Date.now() + REDIRECT_SECONDS * 1000;
    const tick = setInterval(() => setSecondsLeft(Math.max(0, Math.ceil((deadline - Date.now()) / 1000))), 1000);
    const go = setTimeout(() => window.location.assign(url), REDIRECT_SECONDS * 1000);
    return () => {
      clearInterval(tick);
      clearTimeout(go);
    };
  }, [url, stay]);

  return (
    <span className="mt-4 flex flex-col gap-2 sm:flex-row sm:items-center">
      <a
        href={url}
        className="inline-flex min-h-11 items-center justify-center rounded-lg bg-zinc-900 px-4 text-sm font-medium text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300"
      >
        Return to merchant
      </a>
      {!stay && (
        <>
          <span className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="redirect-countdown">
            {`Redirecting in ${secondsLeft} s…`}
          </span>
          <button
            type="button"
            onClick={() => setStay(true)}
            className="inline-flex min-h-11 items-center justify-center rounded-lg px-3 text-sm font-medium text-zinc-700 underline-offset-2 hover:underline dark:text-zinc-300"
          >
            Stay on this page
          </button>
        </>
      )}
    </span>
  );
}

function ExpiredPanel({ view }: { view: PublicInvoiceView }) {
  const receivedSomething = isPositiveDecimal(view.crypto.received, view.crypto.decimals);
  const backUrl = safeHttpUrl(view.redirectUrl);
  return (
    <StatePanel tone="neutral" title="This invoice expired" icon={<ClockIcon />}>
      <span className="block">Do not send a payment to this invoice. Ask {view.merchantName} for a new one.</span>
      {receivedSomething && (
        <span className="mt-2 block">
          {`We received ${view.crypto.received} ${view.crypto.asset} before it expired.`} Contact {view.merchantName} to
          arrange a refund.
        </span>
      )}
      {backUrl && (
        <a
          href={backUrl}
          className="mt-3 inline-flex min-h-11 items-center font-medium text-indigo-600 hover:underline dark:text-indigo-400"
        >
          Return to merchant
        </a>
      )}
    </StatePanel>
  );
}

const PANEL_TONES = {
  neutral: { box: "bg-zinc-50 ring-zinc-200 dark:bg-zinc-950 dark:ring-zinc-800", icon: "bg-zinc-200 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300" },
  indigo: { box: "bg-indigo-50/60 ring-indigo-200 dark:bg-indigo-950/40 dark:ring-indigo-900", icon: "bg-indigo-100 text-indigo-700 dark:bg-indigo-900 dark:text-indigo-300" },
  green: { box: "bg-emerald-50/60 ring-emerald-200 dark:bg-emerald-950/40 dark:ring-emerald-900", icon: "bg-emerald-100 text-emerald-700 dark:bg-emerald-900 dark:text-emerald-300" },
} as const;

function StatePanel({
  tone,
  title,
  icon,
  children,
}: {
  tone: keyof typeof PANEL_TONES;
  title: string;
  icon: ReactNode;
  children: ReactNode;
}) {
  const t = PANEL_TONES[tone];
  return (
    <section className={`rounded-xl p-4 ring-1 ring-inset sm:p-5 ${t.box}`} data-testid="status-panel">
      <div className="flex items-start gap-3">
        <span aria-hidden="true" className={`grid size-9 shrink-0 place-items-center rounded-full ${t.icon}`}>
          {icon}
        </span>
        <div className="min-w-0 flex-1">
          <h2 className="text-base font-semibold text-balance">{title}</h2>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{children}</p>
        </div>
      </div>
    </section>
  );
}

function CheckIcon() {
  return (
    <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="2" className="size-5">
      <path d="m4.5 10.5 3.5 3.5 7.5-8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

function ClockIcon() {
  return (
    <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.8" className="size-5">
      <circle cx="10" cy="10" r="7" />
      <path d="M10 6v4l2.5 2" strokeLinecap="round" />
    </svg>
  );
}

function CrossIcon() {
  return (
    <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="2" className="size-5">
      <path d="m6 6 8 8M14 6l-8 8" strokeLinecap="round" />
    </svg>
  );
}

function RefundIcon() {
  return (
    <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.8" className="size-5">
      <path d="M4 9h9a3 3 0 0 1 0 6h-2" strokeLinecap="round" />
      <path d="M7 6 4 9l3 3" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
