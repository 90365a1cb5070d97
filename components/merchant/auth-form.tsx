"use client";

import { useActionState } from "react";
import type { AuthFormState } from "@/app/merchant/(auth)/actions";
import { Field, FormAlert, primaryButtonClass } from "@/components/ui/form";

type Props = {
  mode: "sign-in" | "sign-up";
  action: (state: AuthFormState, formData: FormData) => Promise<AuthFormState>;
  callbackUrl?: string;
};

export function MerchantAuthForm({ mode, action, callbackUrl }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  const errors = state.fieldErrors ?? {};
  return (
    <form action={formAction} noValidate className="space-y-5">
      {callbackUrl && <input type="hidden" name="callbackUrl" value={callbackUrl} />}
      <FormAlert message={state.error} />
      {mode === "sign-up" && (
        <Field
          name="businessName"
          label="Business name"
          autoComplete="organization"
          defaultValue={state.values?.businessName}
          error={errors.businessName}
        />
      )}
      <Field
        name="email"
        label="Email"
        type="email"
        autoComplete="email"
        autoCapitalize="none"
        spellCheck={false}
        defaultValue={state.values?.email}
        error={errors.email}
      />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete={mode === "sign-up" ? "new-password" : "current-password"}
        error={errors.password}
        hint={mode === "sign-up" ? "At least 10 characters." : undefined}
      />
      <button type="submit" disabled={pending} className={`${primaryButtonClass} w-full`}>
        {pending ? (mode === "sign-up" ? "Creating account…" : "Signing in…") : mode === "sign-up" ? "Create account" : "Sign in"}
      </button>
    </form>
  );
}
