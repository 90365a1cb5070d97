import type { Metadata } from "next";
import { getDb } from "@/db";
import { CopyButton } from "@/components/checkout/copy-button";
import { PaymentLinkForm } from "@/components/merchant/payment-link-form";
import { Badge } from "@/components/ui/badge";
import { requireMerchant } from "@/lib/auth/current-merchant";
import { settings } from "@/lib/config";
import { formatFiat } from "@/lib/format";
import { money } from "@/lib/domain";
import { listPaymentLinks } from "@/lib/merchants/payment-links";
import { createPaymentLinkAction, togglePaymentLinkAction } from "../actions";

export const metadata: Metadata = { title: "Payment links" };

export default async function PaymentLinksPage() {
  const merchant = await requireMerchant("/merchant/payment-links");
  const links = await listPaymentLinks(await getDb(), merchant.id);
  const base = settings().APP_URL.replace(/\/$/, "");
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Payment links</h1>
        <p className="mt-1 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
          A link sells one product at one price. Every visitor gets their own invoice and address. Share the URL, or embed a
          button that opens the checkout over your page.
        </p>
      </div>
      <section className="rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 className="font-semibold">New payment link</h2>
        <PaymentLinkForm action={createPaymentLinkAction} />
      </section>
      <section aria-labelledby="links" className="space-y-3">
        <h2 id="links" className="font-semibold">Your links</h2>
        {links.length === 0 ? (
          <p className="rounded-xl border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
            No payment links yet.
          </p>
        ) : (
          links.map((link) => {
            const url = `${base}/pay/link/${link.id}`;
            const snippet = `<script src="${base}/embed.js" async></script>\n<button data-crypto-checkout="${url}">Pay with crypto</button>`;
            return (
              <article key={link.id} className="space-y-3 rounded-xl border border-zinc-200 bg-white p-4 text-sm dark:border-zinc-800 dark:bg-zinc-900">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-medium">{link.title}</span>
                    <span className="tabular-nums">{formatFiat(money(link.priceMinor, link.fiatCurrency) as never)}</span>
                    <Badge tone="sky">{link.cryptoCurrency} · {link.network}</Badge>
                    <Badge tone={link.livemode ? "indigo" : "amber"}>{link.livemode ? "live" : "test"}</Badge>
                    {!link.active && <Badge>inactive</Badge>}
                  </div>
                  <form action={togglePaymentLinkAction}>
                    <input type="hidden" name="paymentLinkId" value={link.id} />
                    <input type="hidden" name="active" value={String(!link.active)} />
                    <button type="submit" className="min-h-10 rounded-lg border border-zinc-300 px-3 py-1.5 font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800">
                      {link.active ? "Deactivate" : "Activate"}
                    </button>
                  </form>
                </div>
                <div className="flex flex-wrap items-center gap-2">
                  <a href={url} className="min-w-0 flex-1 break-all font-mono text-xs text-indigo-600 hover:underline dark:text-indigo-400">{url}</a>
                  <CopyButton value={url} label="Copy link" />
                </div>
                <details>
                  <summary className="cursor-pointer py-1 text-zinc-600 dark:text-zinc-400">Embed snippet</summary>
                  <div className="mt-2 flex flex-wrap items-start gap-2">
                    <pre className="min-w-0 flex-1 overflow-x-auto rounded-lg bg-zinc-950 p-3 text-xs text-zinc-100">{snippet}</pre>
                    <CopyButton value={snippet} label="Copy snippet" />
                  </div>
                </details>
              </article>
            );
          })
        )}
      </section>
    </div>
  );
}
