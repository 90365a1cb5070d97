"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db";
import { consumeRateLimit } from "@/lib/api/rate-limit";
import { clientIp } from "@/lib/auth/request-info";
import { DomainError } from "@/lib/domain";
import { placeAccountOrder } from "@/lib/orders/place-order";
import { refreshExchangeRates } from "@/lib/rates/service";

/** Each Buy takes a fresh address and holds an account: a visitor may try a few a minute. */
const BUYS_PER_MINUTE = 5;

export type BuyFormState = {
  error?: string;
  /** Why the account cannot be bought now, for the form to say it plainly. */
  blocked?: "just_reserved" | "unavailable";
  fieldErrors?: { email?: string; payWith?: string };
  email?: string;
  payWith?: string;
};

const MESSAGES: Record<string, string> = {
  "account.just_reserved":
    "Another buyer has just reserved this account. If their payment does not arrive in time, it will be available again.",
  "account.not_available": "This account is no longer available.",
  "account.not_found": "This account is no longer available.",
  "rates.unavailable": "Prices are unavailable right now. Please try again in a minute.",
  "customer.blocked": "The store cannot accept a payment from this email address.",
};
const STORE_CLOSED = "The store cannot take crypto payments right now. Please contact us on Telegram.";

/** Buy: reserves the account with an invoice of the store and sends the buyer to its checkout. */
export async function buyAccountAction(_prev: BuyFormState, formData: FormData): Promise<BuyFormState> {
  const input = {
    accountId: String(formData.get("accountId") ?? ""),
    payWith: String(formData.get("payWith") ?? ""),
    email: String(formData.get("email") ?? "").trim(),
  };
  const echo = { email: input.email, payWith: input.payWith };
  const db = await getDb();
  const h = await headers();
  const ip = clientIp(h);
  const budget = await consumeRateLimit(db, `buy:${ip ?? "unknown"}`, BUYS_PER_MINUTE);
  if (!budget.allowed) return { ...echo, error: `Too many attempts. Please wait ${budget.resetSeconds} seconds and try again.` };

  let checkoutPath: string;
  try {
    const placed = await placeAccountOrder(db, input, { actor: { type: "customer" }, ipAddress: ip, userAgent: h.get("user-agent") }, {
      refreshRates: async () => void (await refreshExchangeRates(db)),
    });
    checkoutPath = placed.checkoutPath;
  } catch (error) {
    if (error instanceof DomainError) return { ...echo, ...explain(error) };
    throw error;
  }
  redirect(checkoutPath);
}

function explain(error: DomainError): BuyFormState {
  const field = error.details?.field;
  const reason = String(error.details?.reason ?? error.message);
  if (field === "email" || field === "payWith") return { fieldErrors: { [field]: reason } };
  if (error.code === "account.just_reserved") return { error: MESSAGES[error.code], blocked: "just_reserved" };
  if (error.code === "account.not_available" || error.code === "account.not_found" || field === "accountId") {
    return { error: MESSAGES["account.not_available"], blocked: "unavailable" };
  }
  return { error: MESSAGES[error.code] ?? STORE_CLOSED };
}
