"use server";

import { headers } from "next/headers";
import { AuthError, CredentialsSignin } from "next-auth";
import { z } from "zod";
import { getDb } from "@/db";
import { merchantSignIn } from "@/lib/auth/merchant-auth";
import { clientIp } from "@/lib/auth/request-info";
import { DomainError } from "@/lib/domain";
import { MERCHANT_PASSWORD_MIN_LENGTH, signUpMerchant } from "@/lib/merchants/accounts";

export type AuthFormState = {
  error?: string;
  fieldErrors?: Partial<Record<"businessName" | "email" | "password", string>>;
  values?: { businessName?: string; email?: string };
};

function safeCallbackUrl(value: FormDataEntryValue | null): string {
  const url = typeof value === "string" ? value : "";
  return url.startsWith("/merchant") && !url.startsWith("//") ? url : "/merchant";
}

const signUpSchema = z.object({
  businessName: z
    .string()
    .trim()
    .min(2, "Enter your business name (at least 2 characters).")
    .max(255, "Keep it under 255 characters.")
    .regex(/^[^\u0000-\u001f]*$/, "Use letters, numbers and punctuation only."),
  email: z.email("Enter a valid email address.").max(254),
  password: z
    .string()
    .min(MERCHANT_PASSWORD_MIN_LENGTH, `Use at least ${MERCHANT_PASSWORD_MIN_LENGTH} characters.`)
    .max(1024, "That password is too long."),
});

async function signInOrExplain(email: string, password: string, redirectTo: string, values: AuthFormState["values"]): Promise<AuthFormState> {
  try {
    await merchantSignIn("credentials", { email, password, redirectTo });
    return {};
  } catch (error) {
    if (error instanceof CredentialsSignin && error.code.startsWith("throttled_")) {
      const seconds = Number(error.code.slice("throttled_".length)) || 60;
      const wait = seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
      return { error: `Too many failed sign-ins. Try again in ${wait}.`, values };
    }
    if (error instanceof CredentialsSignin && error.code === "account_closed") {
      return { error: "This merchant account is closed.", values };
    }
    if (error instanceof AuthError) return { error: "Incorrect email or password.", values };
    throw error; // the redirect after a successful sign-in
  }
}

export async function merchantSignUpAction(_prev: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const raw = {
    businessName: String(formData.get("businessName") ?? ""),
    email: String(formData.get("email") ?? "").trim(),
    password: String(formData.get("password") ?? ""),
  };
  const values = { businessName: raw.businessName, email: raw.email };
  const parsed = signUpSchema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: AuthFormState["fieldErrors"] = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof NonNullable<AuthFormState["fieldErrors"]>;
      fieldErrors[field] ??= issue.message;
    }
    return { fieldErrors, values };
  }
  try {
    const h = await headers();
    await signUpMerchant(await getDb(), {
      businessName: parsed.data.businessName,
      contactEmail: parsed.data.email,
      password: parsed.data.password,
      ipAddress: clientIp(h),
      userAgent: h.get("user-agent"),
    });
  } catch (error) {
    if (error instanceof DomainError && error.code === "merchant.email_taken") {
      return { fieldErrors: { email: "An account with this email already exists. Sign in instead." }, values };
    }
    if (error instanceof DomainError) return { error: error.message, values };
    throw error;
  }
  return signInOrExplain(parsed.data.email, parsed.data.password, "/merchant", values);
}

export async function merchantSignInAction(_prev: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const email = String(formData.get("email") ?? "").trim();
  const password = String(formData.get("password") ?? "");
  const fieldErrors: AuthFormState["fieldErrors"] = {};
  if (!email) fieldErrors.email = "Enter your email.";
  if (!password) fieldErrors.password = "Enter your password.";
  if (fieldErrors.email || fieldErrors.password) return { fieldErrors, values: { email } };
  return signInOrExplain(email, password, safeCallbackUrl(formData.get("callbackUrl")), { email });
}
