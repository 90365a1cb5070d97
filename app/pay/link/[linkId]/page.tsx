import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { merchants } from "@/db/schema";
import { LinkCheckoutForm } from "@/components/checkout/link-checkout-form";
import { formatFiat } from "@/lib/format";
import { money } from "@/lib/domain";
import { findActivePaymentLink } from "@/lib/merchants/payment-links";
import { startLinkCheckoutAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Pay with crypto", robots: { index: false } };

export default async function PaymentLinkPage({
  params,
  searchParams,
}: {
  params: Promise<{ linkId: string }>;
  searchParams: Promise<{ embed?: string }>;
}) {
  const [{ linkId }, { embed }] = await Promise.all([params, searchParams]);
  const db = await getDb();
  const link = await findActivePaymentLink(db, linkId);
  if (!link) notFound();
  const [merchant] = await db.select({ name: merchants.businessName }).from(merchants).where(eq(merchants.id, link.merchantId));
  return (
    <main className="flex min-h-dvh items-start justify-center px-3 py-6 sm:items-center sm:py-12">
      <div className="w-full max-w-md rounded-2xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{merchant?.name}</p>
        <h1 className="mt-1 text-xl font-semibold tracking-tight">{link.title}</h1>
        {link.description && <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{link.description}</p>}
        <p className="mt-4 text-3xl font-semibold tabular-nums">{formatFiat(money(link.priceMinor, link.fiatCurrency) as never)}</p>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Paid in {link.cryptoCurrency} on {link.network === "tron" ? "Tron" : link.network === "bitcoin" ? "Bitcoin" : "Ethereum"}
          {!link.livemode && " (test network)"}
        </p>
        <LinkCheckoutForm action={startLinkCheckoutAction} linkId={link.id} embed={embed === "1"} />
      </div>
    </main>
  );
}
