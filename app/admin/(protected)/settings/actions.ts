"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { getDb } from "@/db";
import { requireAdmin } from "@/lib/auth/current-admin";
import { clientIp } from "@/lib/auth/request-info";
import { DomainError } from "@/lib/domain";
import type { SystemConfig } from "@/lib/system-config";
import {
  parseFeatureFlagsForm,
  parseNetworkForm,
  parsePaymentSettingsForm,
  parseSecuritySettingsForm,
  SystemConfigInputError,
  type SystemConfigSection,
} from "@/lib/system-config-input";
import { moveProvider, toggleProvider, updateSystemConfigSection } from "@/lib/system-config-update";

export type SettingsFormState = { error?: string; success?: string; fieldErrors?: Record<string, string>; values?: Record<string, string> };

const SAVED = "Saved. It applies to the next request here, and within 5 seconds on other app instances and the worker.";

/** Every text value of the form, to put back after a refusal (the settings hold no secret the admin typed blind). */
function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) if (typeof value === "string" && !key.startsWith("$")) values[key] = value;
  return values;
}

async function save<K extends SystemConfigSection>(
  formData: FormData,
  section: K,
  change: (current: SystemConfig[K]) => SystemConfig[K],
): Promise<SettingsFormState> {
  const admin = await requireAdmin("/admin/settings");
  const h = await headers();
  const values = formValues(formData);
  try {
    const { changed } = await updateSystemConfigSection(await getDb(), section, change, { adminId: admin.id, ipAddress: clientIp(h), userAgent: h.get("user-agent") });
    revalidatePath("/admin/settings");
    return { success: changed ? SAVED : "Nothing changed." };
  } catch (error) {
    if (error instanceof SystemConfigInputError) return { fieldErrors: error.fieldErrors, values };
    if (error instanceof DomainError) return { error: error.message, values };
    throw error;
  }
}

const raw = (formData: FormData) => Object.fromEntries([...formData].filter(([, v]) => typeof v === "string")) as Record<string, string>;

export async function providerAction(_prev: SettingsFormState, formData: FormData): Promise<SettingsFormState> {
  const id = String(formData.get("providerId") ?? "");
  const op = formData.get("op");
  return save(formData, "exchangeRateProviders", (providers) => {
    if (op === "enable" || op === "disable") return toggleProvider(providers, id, op === "enable");
    if (op === "up" || op === "down") return moveProvider(providers, id, op);
    throw new DomainError("system_config.invalid_operation", "Choose enable, disable, up or down.");
  });
}

export async function networkAction(_prev: SettingsFormState, formData: FormData): Promise<SettingsFormState> {
  const key = String(formData.get("networkKey") ?? "");
  return save(formData, "blockchainNetworks", (networks) => {
    const index = networks.findIndex((n) => `${n.network}:${n.testnet ? "test" : "live"}` === key);
    if (index < 0) throw new DomainError("system_config.unknown_network", "That network is not configured any more; reload the page.");
    const parsed = parseNetworkForm(raw(formData), networks[index]!);
    if (!parsed.ok) throw new SystemConfigInputError(parsed.fieldErrors);
    return networks.map((n, i) => (i === index ? parsed.value : n));
  });
}

export async function paymentSettingsAction(_prev: SettingsFormState, formData: FormData): Promise<SettingsFormState> {
  return save(formData, "paymentSettings", () => {
    const parsed = parsePaymentSettingsForm(raw(formData));
    if (!parsed.ok) throw new SystemConfigInputError(parsed.fieldErrors);
    return parsed.value;
  });
}

export async function securitySettingsAction(_prev: SettingsFormState, formData: FormData): Promise<SettingsFormState> {
  return save(formData, "securitySettings", () => {
    const parsed = parseSecuritySettingsForm(raw(formData));
    if (!parsed.ok) throw new SystemConfigInputError(parsed.fieldErrors);
    return parsed.value;
  });
}

export async function featureFlagsAction(_prev: SettingsFormState, formData: FormData): Promise<SettingsFormState> {
  return save(formData, "featureFlags", (current) => {
    const parsed = parseFeatureFlagsForm(raw(formData), Object.keys(current));
    if (!parsed.ok) throw new SystemConfigInputError(parsed.fieldErrors);
    return parsed.value;
  });
}
