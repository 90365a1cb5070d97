"use client";

import { useActionState } from "react";
import type { BuyFormState } from "@/app/accounts/[accountId]/actions";
import { Field, FormAlert, primaryButtonClass, SelectField } from "@/components/ui/form";

type Props = {
  action: (state: BuyFormState, formData: FormData) => Promise<BuyFormState>;
  accountId: string;
  /** The coin/network pairs the store takes, e.g. { value: "USDT:ethereum", label: "USDT on Ethereum" }. */
  options: { value: string; label: string }[];
};

/**
 * Buy with crypto: the buyer picks a coin and network and may leave an email for the order link;
 * on success the server action redirects to the hosted checkout.
 */
export function BuyForm({ action, accountId, options }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  const blocked = state.blocked === "unavailable";
  return (
    <form action={formAction} noValidate className="mt-3 space-y-3" data-testid="buy-form">
      <input type="hidden" name="accountId" value={accountId} />
      <FormAlert message={state.error} />
      <SelectField
        // Remounted with the submitted choice: React's reset after an action would otherwise
        // return a select to the option it was first rendered with.
        key={state.payWith ?? ""}
        name="payWith"
        label="Pay with"
        options={options}
        defaultValue={state.payWith ?? options[0]?.value}
        error={state.fieldErrors?.payWith}
      />
      <Field
        name="email"
        type="email"
        label="Email for your order link (optional)"
        autoComplete="email"
        inputMode="email"
        defaultValue={state.email}
        error={state.fieldErrors?.email}
        hint="We send the link to your order page here. Your keys are never emailed."
      />
      <button type="submit" disabled={pending || blocked} className={`${primaryButtonClass} w-full`}>
        {pending ? "Reserving the account…" : "Buy with crypto"}
      </button>
    </form>
  );
}
