"use client";

import { useActionState } from "react";
import type { LinkCheckoutState } from "@/app/pay/link/[linkId]/actions";
import { Field, FormAlert, primaryButtonClass } from "@/components/ui/form";

type Props = {
  action: (state: LinkCheckoutState, formData: FormData) => Promise<LinkCheckoutState>;
  linkId: string;
  embed: boolean;
};

export function LinkCheckoutForm({ action, linkId, embed }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} noValidate className="mt-6 space-y-4">
      <input type="hidden" name="linkId" value={linkId} />
      {embed && <input type="hidden" name="embed" value="1" />}
      <FormAlert message={state.error} />
      <Field
        name="email"
        type="email"
        label="Email for the receipt (optional)"
        autoComplete="email"
        defaultValue={state.email}
        error={state.fieldErrors?.email}
      />
      <button type="submit" disabled={pending} className={`${primaryButtonClass} w-full`}>
        {pending ? "Preparing your invoice…" : "Continue to payment"}
      </button>
    </form>
  );
}
