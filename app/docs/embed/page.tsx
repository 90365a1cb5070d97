import type { Metadata } from "next";
import Link from "next/link";
import Script from "next/script";
import { CodeBlock } from "@/components/docs/code-block";
import { DocsHeader } from "@/components/docs/docs-header";
import { EmbedEventLog } from "@/components/docs/embed-event-log";
import { EMBED_EVENTS_SNIPPET, embedSnippet } from "@/components/docs/embed-snippet";
import { inputClass, secondaryButtonClass } from "@/components/ui/form";
import { settings } from "@/lib/config";
import { isUuid } from "@/lib/uuid";

export const metadata: Metadata = {
  title: "Embed the checkout",
  description: "Add a “Pay with crypto” button to any page: one script tag opens the hosted checkout in an overlay.",
};


const card = "rounded-xl border border-zinc-200 bg-white p-5 sm:p-6 dark:border-zinc-800 dark:bg-zinc-900";
const link = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";
const payButton =
  "inline-flex min-h-11 w-full items-center justify-center gap-2 rounded-lg bg-indigo-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:bg-zinc-300 disabled:text-zinc-600 disabled:shadow-none dark:disabled:bg-zinc-800 dark:disabled:text-zinc-400";

function CoinIcon() {
  return (
    <svg aria-hidden viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.7" className="size-4">
      <circle cx="10" cy="10" r="7" />
      <path d="M8 6.5h3a1.75 1.75 0 0 1 0 3.5H8m0 0h3.5a1.75 1.75 0 0 1 0 3.5H8m0-7v7m1.5-8.5v1.5m0 7V15" strokeLinecap="round" />
    </svg>
  );
}

/** A demo shop page with a live embed button for the payment link given as ?link=<id>. */
export default async function EmbedDemoPage({ searchParams }: { searchParams: Promise<{ link?: string | string[] }> }) {
  const { link: rawLink } = await searchParams;
  const requested = (Array.isArray(rawLink) ? rawLink[0] : rawLink)?.trim() ?? "";
  const linkId = isUuid(requested) ? requested.toLowerCase() : null;
  const invalid = requested !== "" && !linkId;
  const base = settings().APP_URL.replace(/\/+$/, "");
  const checkoutUrl = `${base}/pay/link/${linkId ?? "LINK_ID"}`;
  const snippet = embedSnippet(base, checkoutUrl);

  return (
    <>
      <DocsHeader current="/docs/embed" />
      <main className="mx-auto max-w-5xl space-y-10 px-4 py-8 sm:px-6 sm:py-10">
        <header className="max-w-2xl space-y-3">
          <p className="text-sm font-medium text-indigo-600 dark:text-indigo-400">Embed</p>
          <h1 className="text-3xl font-semibold tracking-tight text-balance sm:text-4xl">Embed the checkout</h1>
          <p className="text-zinc-600 dark:text-zinc-400">
            One script tag turns any button into a crypto checkout. A click opens the hosted checkout over your page
            (full screen on phones); every buyer gets their own invoice and payment address, and your page hears when
            they have paid.
          </p>
        </header>

        <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
          <section aria-labelledby="demo-shop" className={`${card} space-y-5`}>
            <div className="flex items-center justify-between gap-3">
              <h2 id="demo-shop" className="font-semibold">
                Demo shop
              </h2>
              <span className="rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-200 ring-inset dark:bg-amber-950 dark:text-amber-300 dark:ring-amber-900">
                {linkId ? "live" : "preview"}
              </span>
            </div>
            <div className="overflow-hidden rounded-xl border border-zinc-200 dark:border-zinc-800">
              <div
                aria-hidden
                className="grid h-32 place-items-center bg-linear-to-br from-indigo-500 via-indigo-600 to-emerald-500 text-4xl text-white"
              >
                <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" className="size-12">
                  <path d="M5 9h11v5a5 5 0 0 1-5 5h-1a5 5 0 0 1-5-5V9Z" />
                  <path d="M16 10h1.5a2.5 2.5 0 0 1 0 5H16M8 3v2M11 3v2M14 3v2" strokeLinecap="round" />
                </svg>
              </div>
              <div className="space-y-3 p-4">
                <div>
                  <p className="font-semibold">Pro plan</p>
                  <p className="text-sm text-zinc-600 dark:text-zinc-400">
                    The checkout charges the price, currency and coin set on your payment link.
                  </p>
                </div>
                {linkId ? (
                  <button type="button" data-crypto-checkout={checkoutUrl} className={payButton} data-testid="embed-demo-button">
                    <CoinIcon />
                    Pay with crypto
                  </button>
                ) : (
                  <button type="button" disabled className={payButton} aria-describedby="demo-needs-link">
                    <CoinIcon />
                    Pay with crypto
                  </button>
                )}
              </div>
            </div>

            {linkId ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                Opens payment link <code className="font-mono text-xs break-all">{linkId}</code>. Press Escape, click
                outside or use × to close it.
              </p>
            ) : (
              <p id="demo-needs-link" className="rounded-lg border border-dashed border-zinc-300 p-3 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
                Create a payment link under{" "}
                <Link href="/merchant/payment-links" className={link}>
                  Payment links
                </Link>{" "}
                to try it live, then paste its ID below.
              </p>
            )}

            <form method="get" action="/docs/embed" className="space-y-1.5">
              <label htmlFor="link" className="block text-sm font-medium">
                Payment link ID
              </label>
              <div className="flex items-end gap-2">
                <input
                  id="link"
                  name="link"
                  defaultValue={requested}
                  placeholder="Paste a payment link ID"
                  autoComplete="off"
                  spellCheck={false}
                  aria-invalid={invalid || undefined}
                  aria-describedby={invalid ? "link-error" : undefined}
                  className={`${inputClass} min-w-0 flex-1 font-mono`}
                />
                <button type="submit" className={`${secondaryButtonClass} shrink-0`}>
                  Load
                </button>
              </div>
              {invalid && (
                <p id="link-error" className="text-sm text-rose-600 dark:text-rose-400">
                  That is not a payment link ID: it looks like 8-4-4-4-12 hexadecimal characters.
                </p>
              )}
            </form>
          </section>

          <section aria-labelledby="events" className={`${card} space-y-4`}>
            <div>
              <h2 id="events" className="font-semibold">
                Events on this page
              </h2>
              <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
                <code className="font-mono text-xs">crypto-checkout:paid</code> and{" "}
                <code className="font-mono text-xs">crypto-checkout:closed</code>, dispatched on the button.
              </p>
            </div>
            <EmbedEventLog />
          </section>
        </div>

        <section aria-labelledby="snippet" className="space-y-4">
          <div className="max-w-2xl">
            <h2 id="snippet" className="text-xl font-semibold tracking-tight">
              1. Add the snippet
            </h2>
            <p className="mt-1 text-sm leading-6 text-zinc-600 dark:text-zinc-400">
              Load the script once, anywhere on the page, and put the link&apos;s URL in{" "}
              <code className="font-mono text-xs">data-crypto-checkout</code> on any element. Buttons added later work too.
              {!linkId && (
                <>
                  {" "}
                  Replace <code className="font-mono text-xs">LINK_ID</code> with your payment link&apos;s ID.
                </>
              )}
            </p>
          </div>
          <CodeBlock code={snippet} title="HTML" copyLabel="embed snippet" testId="embed-snippet" />
        </section>

        <section aria-labelledby="listen" className="space-y-4">
          <div className="max-w-2xl">
            <h2 id="listen" className="text-xl font-semibold tracking-tight">
              2. React to the payment
            </h2>
            <p className="mt-1 text-sm leading-6 text-zinc-600 dark:text-zinc-400">
              Both events bubble, so one listener on <code className="font-mono text-xs">document</code> hears every
              button. Treat them as a hint for your UI: confirm the invoice with the{" "}
              <Link href="/docs/api#getInvoice" className={link}>
                API
              </Link>{" "}
              before you ship anything.
            </p>
          </div>
          <CodeBlock code={EMBED_EVENTS_SNIPPET} title="JavaScript" copyLabel="event listener example" />
        </section>

        <section aria-labelledby="rules" className={card}>
          <h2 id="rules" className="font-semibold">
            Good to know
          </h2>
          <ul className="mt-3 list-disc space-y-1.5 pl-5 text-sm leading-6 text-zinc-600 dark:text-zinc-400">
            <li>
              Only <code className="font-mono text-xs">/pay/link/…</code> and <code className="font-mono text-xs">/pay/…</code>{" "}
              URLs on the server that serves <code className="font-mono text-xs">embed.js</code> ({base}) are opened; any
              other URL is refused with a console warning.
            </li>
            <li>Escape, the × button or a click on the backdrop closes the overlay; focus returns to the button.</li>
            <li>The script is under 6 KB with no dependencies, and does nothing until a checkout button is clicked.</li>
            <li>
              Prefer your own page? Create invoices with the{" "}
              <Link href="/docs/api" className={link}>
                REST API
              </Link>{" "}
              and redirect to their <code className="font-mono text-xs">hosted_url</code>.
            </li>
          </ul>
        </section>
      </main>
      <Script src="/embed.js" strategy="afterInteractive" />
    </>
  );
}
