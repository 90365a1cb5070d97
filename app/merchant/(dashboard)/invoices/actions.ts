"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { merchantActionContext } from "@/lib/merchants/action-context";
import { cancelInvoiceFromDashboard, type CancelFormState } from "@/lib/invoices/dashboard-cancel";

/** "Cancel invoice" on the invoice page: a thin wrapper over the command, with the merchant's audit context. */
export async function cancelInvoiceAction(_prev: CancelFormState, formData: FormData): Promise<CancelFormState> {
  const { merchantId, audit } = await merchantActionContext();
  const invoiceId = String(formData.get("invoiceId") ?? "");
  const state = await cancelInvoiceFromDashboard(
    await getDb(),
    merchantId,
    { invoiceId, confirm: String(formData.get("confirm") ?? ""), reason: String(formData.get("reason") ?? "") },
    audit,
  );
  if (state.success) {
    revalidatePath(`/merchant/invoices/${invoiceId}`);
    revalidatePath("/merchant/invoices");
  }
  return state;
}
