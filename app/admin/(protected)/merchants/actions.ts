"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { getDb } from "@/db";
import { requireAdmin } from "@/lib/auth/current-admin";
import { clientIp } from "@/lib/auth/request-info";
import { DomainError } from "@/lib/domain";
import { isUuid } from "@/lib/invoices/queries";
import { changeMerchantPlan, changeMerchantStatus, type AdminRequestContext } from "@/lib/merchants/admin-commands";
import { isMerchantAdminAction, merchantStatusWords } from "@/lib/merchants/admin-status";

export type MerchantActionState = { error?: string; success?: string; fieldErrors?: Record<string, string>; values?: Record<string, string> };

async function adminContext(returnTo: string): Promise<AdminRequestContext> {
  const admin = await requireAdmin(returnTo);
  const h = await headers();
  return { adminId: admin.id, ipAddress: clientIp(h), userAgent: h.get("user-agent") };
}

/** A refused command becomes the form's message (next to its field when it names one). */
function refusal(error: unknown, values?: Record<string, string>): MerchantActionState {
  if (!(error instanceof DomainError)) throw error;
  const field = typeof error.details?.field === "string" ? error.details.field : null;
  return field ? { fieldErrors: { [field]: error.message }, values } : { error: error.message, values };
}

export async function merchantStatusAction(_prev: MerchantActionState, formData: FormData): Promise<MerchantActionState> {
  const merchantId = String(formData.get("merchantId") ?? "");
  const actor = await adminContext(`/admin/merchants/${merchantId}`);
  const action = formData.get("action");
  const reason = String(formData.get("reason") ?? "");
  if (!isUuid(merchantId)) return { error: "No such merchant." };
  if (!isMerchantAdminAction(action)) return { error: "Choose an action." };
  if (action === "close" && formData.get("confirm") !== "on") {
    return { fieldErrors: { confirm: "Tick the box to confirm: closing cannot be undone." }, values: { reason } };
  }
  try {
    const result = await changeMerchantStatus(await getDb(), merchantId, action, actor, { reason });
    revalidatePath(`/admin/merchants/${merchantId}`);
    revalidatePath("/admin/merchants");
    const keys = result.revokedApiKeys > 0 ? ` ${result.revokedApiKeys} API key${result.revokedApiKeys === 1 ? " was" : "s were"} revoked.` : "";
    return { success: `The merchant is now ${merchantStatusWords(result.to)} (was ${merchantStatusWords(result.from)}).${keys}` };
  } catch (error) {
    return refusal(error, { reason });
  }
}

export async function merchantPlanAction(_prev: MerchantActionState, formData: FormData): Promise<MerchantActionState> {
  const merchantId = String(formData.get("merchantId") ?? "");
  const actor = await adminContext(`/admin/merchants/${merchantId}`);
  const plan = String(formData.get("plan") ?? "");
  if (!isUuid(merchantId)) return { error: "No such merchant." };
  try {
    const { from, to } = await changeMerchantPlan(await getDb(), merchantId, plan, actor);
    revalidatePath(`/admin/merchants/${merchantId}`);
    revalidatePath("/admin/merchants");
    return { success: `Plan changed from ${from} to ${to}.` };
  } catch (error) {
    return refusal(error, { plan });
  }
}
