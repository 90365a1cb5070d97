import type { Metadata } from "next";
import { notFound } from "next/navigation";
import QRCode from "qrcode";
import { CheckoutView } from "@/components/checkout/checkout-view";
import { getDb } from "@/db";
import { findPublicInvoice } from "@/lib/invoices/queries";

export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Checkout",
  robots: { index: false, follow: false },
  referrer: "no-referrer",
};

export default async function HostedCheckoutPage({ params }: { params: Promise<{ invoiceId: string }> }) {
  const { invoiceId } = await params;
  const view = await findPublicInvoice(await getDb(), invoiceId);
  if (!view) notFound();
  const qrSvg = await QRCode.toString(view.paymentUri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return (
    <main className="flex min-h-dvh items-start justify-center px-3 py-6 sm:items-center sm:py-12">
      <div className="w-full max-w-md">
        <CheckoutView initial={view} statusUrl={`/api/pay/${view.id}/status`} initialQrSvg={qrSvg} />
        <p className="mt-4 text-center text-xs text-zinc-500 dark:text-zinc-400">
          Non-custodial checkout · funds go directly to {view.merchantName}
        </p>
      </div>
    </main>
  );
}
