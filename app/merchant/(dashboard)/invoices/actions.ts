"use server";

import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/current-merchant";
import { clientIp } from "@/lib/auth/request-info";
import { cancelInvoiceFromDashboard, type CancelFormState } from "@/lib/invoices/dashboard-cancel";

/** "Cancel invoice" on the invoice page: a thin wrapper over the command, with the merchant's audit context. */
export async function cancelInvoiceAction(_prev: CancelFormState, formData: FormData): Promise<CancelFormState> {
  const merchant = await requireMerchant();
  const h = await headers();
  const invoiceId = String(formData.get("invoiceId") ?? "");
  const state = await cancelInvoiceFromDashboard(
    await getDb(),
    merchant.id,
    { invoiceId, confirm: String(formData.get("confirm") ?? ""), reason: String(formData.get("reason") ?? "") },
    { actor: { type: "merchant", id: merchant.id }, ipAddress: clientIp(h), userAgent: h.get("user-agent") },
  );
  if (state.success) {
    revalidatePath(`/merchant/invoices/${invoiceId}`);
    revalidatePath("/merchant/invoices");
  }
  return state;
}
