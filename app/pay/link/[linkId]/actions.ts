"use server";

import { redirect } from "next/navigation";
import { headers } from "next/headers";
import { z } from "zod";
import { getDb } from "@/db";
import { clientIp } from "@/lib/auth/request-info";
import { DomainError } from "@/lib/domain";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { findActivePaymentLink } from "@/lib/merchants/payment-links";
import { refreshExchangeRates } from "@/lib/rates/service";

export type LinkCheckoutState = { error?: string; fieldErrors?: { email?: string }; email?: string };

const emailSchema = z.union([z.literal(""), z.email("Enter a valid email, or leave it empty.").max(254)]);

/** Mints a fresh invoice from a payment link for this visitor and sends them to its checkout. */
export async function startLinkCheckoutAction(_prev: LinkCheckoutState, formData: FormData): Promise<LinkCheckoutState> {
  const linkId = String(formData.get("linkId") ?? "");
  const email = String(formData.get("email") ?? "").trim();
  const embed = formData.get("embed") === "1";
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) return { fieldErrors: { email: parsed.error.issues[0]!.message }, email };
  const db = await getDb();
  const link = await findActivePaymentLink(db, linkId);
  if (!link) return { error: "This payment link is no longer active." };
  const h = await headers();
  let invoiceId: string;
  try {
    const invoice = await createInvoice(
      db,
      {
        merchantId: link.merchantId,
        mode: link.livemode ? "live" : "test",
        title: link.title,
        description: link.description,
        currency: link.fiatCurrency,
        items: [{ description: link.title, quantity: 1n, unitPriceMinor: link.priceMinor }],
        cryptoCurrency: link.cryptoCurrency,
        network: link.network,
        customer: email ? { email } : null,
        paymentLinkId: link.id,
      },
      { actor: { type: "customer" }, ipAddress: clientIp(h), userAgent: h.get("user-agent") },
      { refreshRates: async () => void (await refreshExchangeRates(db)) },
    );
    invoiceId = invoice.id;
  } catch (error) {
    if (error instanceof DomainError) {
      const message =
        error.code === "rates.unavailable"
          ? "Prices are unavailable right now. Please try again in a minute."
          : error.code === "customer.blocked"
            ? "This merchant cannot accept a payment from this email."
            : "The merchant cannot accept payments with this link right now.";
      return { error: message, email };
    }
    throw error;
  }
  redirect(`/pay/${invoiceId}${embed ? "?embed=1" : ""}`);
}
