"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { signIn } from "@/lib/auth";

export type SignInState = {
  error?: string;
  fieldErrors?: { username?: string; password?: string };
  username?: string;
};

/** Only same-site paths: an open redirect on the sign-in page would be a phishing aid. */
function safeCallbackUrl(value: FormDataEntryValue | null): string {
  const url = typeof value === "string" ? value : "";
  return url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\") ? url : "/admin";
}

export async function signInAction(_prev: SignInState, formData: FormData): Promise<SignInState> {
  const username = String(formData.get("username") ?? "").trim();
  const password = String(formData.get("password") ?? "");
  const fieldErrors: SignInState["fieldErrors"] = {};
  if (!username) fieldErrors.username = "Enter your username.";
  if (!password) fieldErrors.password = "Enter your password.";
  if (fieldErrors.username || fieldErrors.password) return { fieldErrors, username };

  try {
    await signIn("credentials", { username, password, redirectTo: safeCallbackUrl(formData.get("callbackUrl")) });
    return {};
  } catch (error) {
    if (error instanceof CredentialsSignin && error.code.startsWith("throttled_")) {
      const seconds = Number(error.code.slice("throttled_".length)) || 60;
      const wait = seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
      return { error: `Too many failed sign-ins. Try again in ${wait}.`, username };
    }
    if (error instanceof AuthError) return { error: "Incorrect username or password.", username };
    throw error; // Next's redirect after a successful sign-in travels as an exception.
  }
}
