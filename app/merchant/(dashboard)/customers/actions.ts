"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { merchantActionContext } from "@/lib/merchants/action-context";
import { setCustomerBlocked } from "@/lib/customers/service";
import { DomainError } from "@/lib/domain";
import { isUuid } from "@/lib/invoices/queries";

export type CustomerBlockState = { error?: string; success?: string };

/** Blocks or unblocks one of the signed-in merchant's customers (audited by the service). */
export async function setCustomerBlockedAction(_prev: CustomerBlockState, formData: FormData): Promise<CustomerBlockState> {
  const { merchantId, audit } = await merchantActionContext();
  const customerId = String(formData.get("customerId") ?? "");
  const blocked = formData.get("blocked") === "true";
  if (!isUuid(customerId)) return { error: "No such customer." };
  try {
    const customer = await setCustomerBlocked(await getDb(), merchantId, customerId, blocked, audit);
    revalidatePath(`/merchant/customers/${customerId}`);
    revalidatePath("/merchant/customers");
    return { success: customer.status === "blocked" ? "Customer blocked: new invoices for them are refused." : "Customer unblocked." };
  } catch (error) {
    if (error instanceof DomainError) return { error: error.message };
    throw error;
  }
}
