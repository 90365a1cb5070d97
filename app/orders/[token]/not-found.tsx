import Link from "next/link";
import { SiteHeader } from "@/components/store/site-header";
import { settings } from "@/lib/config";

/** A wrong or mistyped order link: say so, without telling whether any order exists. */
export default function OrderNotFound() {
  const s = settings();
  return (
    <>
      <SiteHeader storeName={s.STORE_NAME} telegramUrl={`https://t.me/${s.TELEGRAM_USERNAME}`} />
      <main className="mx-auto max-w-2xl px-4 pt-10 pb-16 sm:px-6">
        <section className="rounded-xl border border-zinc-200 bg-white p-6 dark:border-zinc-800 dark:bg-zinc-900">
          <h1 className="text-xl font-semibold tracking-tight">Order not found</h1>
          <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
            This order link is not valid. Check that you copied the whole link from your email or from the checkout. If you
            paid and lost the link, contact us on Telegram with your payment&apos;s transaction hash.
          </p>
          <Link href="/" className="mt-4 inline-flex min-h-11 items-center font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            Back to the store
          </Link>
        </section>
      </main>
    </>
  );
}
