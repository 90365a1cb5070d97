"use server";

import { redirect } from "next/navigation";
import { headers } from "next/headers";
import { z } from "zod";
import { getDb } from "@/db";
import { consumeRateLimit } from "@/lib/api/rate-limit";
import { clientIp } from "@/lib/auth/request-info";
import { DomainError } from "@/lib/domain";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { findActivePaymentLink } from "@/lib/merchants/payment-links";
import { refreshExchangeRates } from "@/lib/rates/service";

const LINK_INVOICES_PER_MINUTE = 5;

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
  // Each visit takes a fresh address index: a visitor may mint a few invoices a minute, not thousands.
  const ip = clientIp(h) ?? "unknown";
  const budget = await consumeRateLimit(db, `link:${link.id}:${ip}`, LINK_INVOICES_PER_MINUTE);
  if (!budget.allowed) {
    return { error: `Too many attempts. Please wait ${budget.resetSeconds} seconds and try again.`, email };
  }
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
