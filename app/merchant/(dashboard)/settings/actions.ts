"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { merchantActionContext } from "@/lib/merchants/action-context";
import { DomainError } from "@/lib/domain";
import { SettingsInputError, updateMerchantProfile, updatePaymentDefaults, updatePayoutAddresses } from "@/lib/merchants/settings";

/** What a settings form shows after a save: a message, or one message per field, and what was typed. */
export type SettingsFormState = {
  error?: string;
  success?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
};

const merchantContext = () => merchantActionContext("/merchant/settings");

const text = (formData: FormData, key: string) => String(formData.get(key) ?? "");

async function save(values: Record<string, string>, run: () => Promise<void>, success: string): Promise<SettingsFormState> {
  try {
    await run();
  } catch (error) {
    if (error instanceof SettingsInputError) return { fieldErrors: error.fieldErrors, values };
    if (error instanceof DomainError) return { error: error.message, values };
    throw error;
  }
  revalidatePath("/merchant", "layout");
  return { success, values };
}

export async function updateProfileAction(_prev: SettingsFormState, formData: FormData): Promise<SettingsFormState> {
  const { merchantId, audit } = await merchantContext();
  const values = { businessName: text(formData, "businessName"), contactEmail: text(formData, "contactEmail"), redirectUrl: text(formData, "redirectUrl") };
  const currentPassword = text(formData, "currentPassword");
  // The password is never echoed back into the form.
  return save(values, async () => updateMerchantProfile(await getDb(), merchantId, { ...values, currentPassword }, audit), "Profile saved.");
}

export async function updatePaymentDefaultsAction(_prev: SettingsFormState, formData: FormData): Promise<SettingsFormState> {
  const { merchantId, audit } = await merchantContext();
  const values = Object.fromEntries(
    ["underpaymentPercent", "overpaymentPercent", "overpaymentAction", "invoiceExpiryMinutes"].map((k) => [k, text(formData, k)]),
  );
  return save(values, async () => updatePaymentDefaults(await getDb(), merchantId, values, audit), "Payment defaults saved. New invoices use them.");
}

export async function updatePayoutAddressesAction(_prev: SettingsFormState, formData: FormData): Promise<SettingsFormState> {
  const { merchantId, audit } = await merchantContext();
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) if (key.startsWith("payout.")) values[key.slice("payout.".length)] = String(value);
  return save(values, async () => updatePayoutAddresses(await getDb(), merchantId, values, audit), "Payout addresses saved.");
}
