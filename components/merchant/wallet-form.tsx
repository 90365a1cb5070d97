"use client";

import { useActionState } from "react";
import type { FormState } from "@/app/merchant/(dashboard)/actions";
import { Field, FormAlert, primaryButtonClass, SelectField } from "@/components/ui/form";

type Props = { action: (state: FormState, formData: FormData) => Promise<FormState> };

export function WalletForm({ action }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  const errors = state.fieldErrors ?? {};
  return (
    <form action={formAction} noValidate className="mt-4 space-y-5">
      <FormAlert message={state.error} />
      <FormAlert message={state.success} tone="success" />
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          name="network"
          label="Network"
          defaultValue={state.values?.network ?? "bitcoin"}
          error={errors.network}
          options={[
            { value: "bitcoin", label: "Bitcoin" },
            { value: "ethereum", label: "Ethereum (ETH and USDT)" },
            { value: "tron", label: "Tron (USDT)" },
          ]}
        />
        <SelectField
          name="mode"
          label="Mode"
          defaultValue={state.values?.mode ?? "test"}
          error={errors.mode}
          options={[
            { value: "test", label: "Test networks" },
            { value: "live", label: "Live" },
          ]}
        />
      </div>
      <Field
        name="extendedPublicKey"
        label="Extended public key"
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        placeholder="zpub6r… / vpub5Y… / xpub6C…"
        defaultValue={state.values?.extendedPublicKey}
        error={errors.extendedPublicKey}
        hint="Never paste a private key (xprv, zprv): it is refused."
      />
      <button type="submit" disabled={pending} className={primaryButtonClass}>
        {pending ? "Checking…" : "Save key"}
      </button>
    </form>
  );
}
