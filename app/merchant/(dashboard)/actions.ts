"use server";

import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db";
import type { AuditContext } from "@/lib/audit";
import { merchantSignOut } from "@/lib/auth/merchant-auth";
import { requireMerchant } from "@/lib/auth/current-merchant";
import { clientIp } from "@/lib/auth/request-info";
import { API_PERMISSIONS, CRYPTO_CURRENCIES, DomainError, FIAT_CURRENCIES, isAssetOnNetwork, NETWORKS, parseMoney } from "@/lib/domain";
import { createApiKey, revokeApiKey } from "@/lib/merchants/api-keys";
import { createPaymentLink, setPaymentLinkActive } from "@/lib/merchants/payment-links";
import { configureMerchantWallet } from "@/lib/merchants/wallets";

async function merchantContext(): Promise<{ merchantId: string; audit: AuditContext }> {
  const merchant = await requireMerchant();
  const h = await headers();
  return {
    merchantId: merchant.id,
    audit: { actor: { type: "merchant", id: merchant.id }, ipAddress: clientIp(h), userAgent: h.get("user-agent") },
  };
}

/** PostgreSQL text cannot hold NUL, and names have no use for control characters. */
const NO_CONTROL = /^[^\u0000-\u001f]*$/;

export type FormState = {
  error?: string;
  success?: string;
  fieldErrors?: Record<string, string>;
  /** A secret shown once (a new API key). */
  secret?: string;
  preview?: string[];
  values?: Record<string, string>;
};

function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[String(issue.path[0] ?? "form")] ??= issue.message;
  return out;
}

function domainFailure(error: unknown, values?: Record<string, string>): FormState {
  if (error instanceof DomainError) {
    const field = typeof error.details?.field === "string" ? error.details.field : null;
    return field ? { fieldErrors: { [field]: error.message }, values } : { error: error.message, values };
  }
  throw error;
}

export async function merchantSignOutAction() {
  await merchantSignOut({ redirectTo: "/merchant/sign-in" });
}

const apiKeySchema = z.object({
  name: z.string().trim().max(100, "Keep the name under 100 characters.").regex(NO_CONTROL, "Use letters, numbers and punctuation only.").optional(),
  keyType: z.enum(["live", "test"], "Choose live or test."),
  permissions: z.array(z.enum(API_PERMISSIONS)).min(1, "Choose at least one permission."),
  expiresInDays: z.enum(["", "30", "90", "365"], "Choose an expiry.").optional(),
});

export async function createApiKeyAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { merchantId, audit } = await merchantContext();
  const parsed = apiKeySchema.safeParse({
    name: String(formData.get("name") ?? "") || undefined,
    keyType: formData.get("keyType"),
    permissions: formData.getAll("permissions").map(String),
    expiresInDays: String(formData.get("expiresInDays") ?? ""),
  });
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error) };
  const days = parsed.data.expiresInDays ? Number(parsed.data.expiresInDays) : null;
  try {
    const { key } = await createApiKey(
      await getDb(),
      merchantId,
      {
        name: parsed.data.name || null,
        keyType: parsed.data.keyType,
        permissions: parsed.data.permissions,
        expiresAt: days ? new Date(Date.now() + days * 86_400_000) : null,
      },
      audit,
    );
    revalidatePath("/merchant/api-keys");
    return { secret: key, success: "API key created. Copy it now: it will not be shown again." };
  } catch (error) {
    return domainFailure(error);
  }
}

export async function revokeApiKeyAction(formData: FormData): Promise<void> {
  const { merchantId, audit } = await merchantContext();
  const id = String(formData.get("apiKeyId") ?? "");
  if (!/^[0-9a-f-]{36}$/i.test(id)) return;
  await revokeApiKey(await getDb(), merchantId, id, audit);
  revalidatePath("/merchant/api-keys");
}

const walletSchema = z.object({
  network: z.enum(NETWORKS, "Choose a network."),
  mode: z.enum(["live", "test"], "Choose live or test."),
  extendedPublicKey: z.string().trim().min(1, "Paste the extended public key.").max(200, "That is too long for an extended public key."),
});

export async function configureWalletAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { merchantId, audit } = await merchantContext();
  const values = {
    network: String(formData.get("network") ?? ""),
    mode: String(formData.get("mode") ?? ""),
    extendedPublicKey: String(formData.get("extendedPublicKey") ?? ""),
  };
  const parsed = walletSchema.safeParse(values);
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error), values };
  try {
    const { preview } = await configureMerchantWallet(await getDb(), merchantId, parsed.data, audit);
    revalidatePath("/merchant/wallets");
    return { success: `Saved. The first addresses will be ${preview.join(", ")}.`, preview };
  } catch (error) {
    if (error instanceof DomainError && !error.details?.field) {
      return { fieldErrors: { extendedPublicKey: error.message }, values };
    }
    return domainFailure(error, values);
  }
}

const linkSchema = z
  .object({
    title: z.string().trim().min(1, "Give the link a title.").max(255, "Keep the title under 255 characters.").regex(NO_CONTROL, "Use letters, numbers and punctuation only."),
    description: z.string().trim().max(1000, "Keep the description under 1000 characters.").regex(/^[^\u0000]*$/, "Remove the NUL character.").optional(),
    price: z.string().trim().regex(/^(0|[1-9]\d{0,12})(\.\d{1,2})?$/, "Enter a price such as 49.00 (at most 2 decimals)."),
    currency: z.enum(FIAT_CURRENCIES, "Choose a currency."),
    asset: z.enum(["BTC:bitcoin", "ETH:ethereum", "USDT:ethereum", "USDT:tron"], "Choose what buyers pay with."),
    mode: z.enum(["live", "test"]),
  })
  .refine((v) => /[1-9]/.test(v.price), { path: ["price"], message: "The price must be more than zero." });

export async function createPaymentLinkAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { merchantId, audit } = await merchantContext();
  const values = Object.fromEntries(["title", "description", "price", "currency", "asset", "mode"].map((k) => [k, String(formData.get(k) ?? "")]));
  const parsed = linkSchema.safeParse({ ...values, description: values.description || undefined });
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error), values };
  const [cryptoCurrency, network] = parsed.data.asset.split(":") as [(typeof CRYPTO_CURRENCIES)[number], (typeof NETWORKS)[number]];
  if (!isAssetOnNetwork(cryptoCurrency, network)) return { fieldErrors: { asset: "Choose what buyers pay with." }, values };
  try {
    await createPaymentLink(
      await getDb(),
      merchantId,
      {
        title: parsed.data.title,
        description: parsed.data.description ?? null,
        fiatCurrency: parsed.data.currency,
        priceMinor: parseMoney(parsed.data.price, parsed.data.currency).amount,
        cryptoCurrency,
        network,
        livemode: parsed.data.mode === "live",
      },
      audit,
    );
    revalidatePath("/merchant/payment-links");
    return { success: "Payment link created." };
  } catch (error) {
    return domainFailure(error, values);
  }
}

export async function togglePaymentLinkAction(formData: FormData): Promise<void> {
  const { merchantId, audit } = await merchantContext();
  const id = String(formData.get("paymentLinkId") ?? "");
  if (!/^[0-9a-f-]{36}$/i.test(id)) return;
  await setPaymentLinkActive(await getDb(), merchantId, id, formData.get("active") === "true", audit);
  revalidatePath("/merchant/payment-links");
}
