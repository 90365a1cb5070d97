"use client";

import { useActionState, useState } from "react";
import type { SettingsFormState } from "@/app/merchant/(dashboard)/settings/actions";
import { Field, FormAlert, primaryButtonClass } from "@/components/ui/form";

type Props = {
  action: (state: SettingsFormState, formData: FormData) => Promise<SettingsFormState>;
  initial: { businessName: string; contactEmail: string; redirectUrl: string | null };
};

/** Business name, contact email (asks for the password only once the email is edited) and redirect URL. */
export function SettingsProfileForm({ action, initial }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? { businessName: initial.businessName, contactEmail: initial.contactEmail, redirectUrl: initial.redirectUrl ?? "" };
  // The sign-in email changed since the last save: the current password is asked for.
  const saved = state.success ? values.contactEmail ?? initial.contactEmail : initial.contactEmail;
  const [email, setEmail] = useState(values.contactEmail ?? "");
  const emailChanged = email.trim().toLowerCase() !== saved.trim().toLowerCase() || Boolean(errors.currentPassword);
  return (
    <form action={formAction} noValidate className="mt-4 space-y-5" aria-label="Profile">
      <FormAlert message={state.error} />
      <FormAlert message={state.success} tone="success" />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field name="businessName" label="Business name" autoComplete="organization" defaultValue={values.businessName} error={errors.businessName} maxLength={255} required />
        <Field
          name="contactEmail"
          label="Contact email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.contactEmail}
          hint="You sign in with this address."
          required
        />
      </div>
      {emailChanged && (
        <Field
          name="currentPassword"
          label="Current password"
          type="password"
          autoComplete="current-password"
          error={errors.currentPassword}
          hint="Needed to change the sign-in email."
          className="sm:max-w-sm"
        />
      )}
      <Field
        name="redirectUrl"
        label="Default redirect URL"
        type="url"
        inputMode="url"
        placeholder="https://shop.example.com/thanks"
        defaultValue={values.redirectUrl}
        error={errors.redirectUrl}
        hint="Where the checkout sends buyers after paying, unless the invoice names its own. https only; leave empty for none."
      />
      <button type="submit" disabled={pending} className={primaryButtonClass}>
        {pending ? "Saving…" : "Save profile"}
      </button>
    </form>
  );
}
