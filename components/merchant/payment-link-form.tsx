"use client";

import { useActionState } from "react";
import type { FormState } from "@/app/merchant/(dashboard)/actions";
import { Field, FormAlert, primaryButtonClass, SelectField } from "@/components/ui/form";

type Props = { action: (state: FormState, formData: FormData) => Promise<FormState> };

export function PaymentLinkForm({ action }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  const errors = state.fieldErrors ?? {};
  const v = state.values ?? {};
  return (
    <form action={formAction} noValidate className="mt-4 space-y-5">
      <FormAlert message={state.error} />
      <FormAlert message={state.success} tone="success" />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field name="title" label="Product" placeholder="Annual membership" maxLength={255} defaultValue={v.title} error={errors.title} />
        <Field name="description" label="Description (optional)" maxLength={1000} defaultValue={v.description} error={errors.description} />
        <Field name="price" label="Price" inputMode="decimal" placeholder="49.00" defaultValue={v.price} error={errors.price} />
        <SelectField
          name="currency"
          label="Currency"
          defaultValue={v.currency ?? "USD"}
          error={errors.currency}
          options={["USD", "EUR", "CNY"].map((c) => ({ value: c, label: c }))}
        />
        <SelectField
          name="asset"
          label="Buyers pay with"
          defaultValue={v.asset ?? "USDT:tron"}
          error={errors.asset}
          options={[
            { value: "USDT:tron", label: "USDT on Tron" },
            { value: "USDT:ethereum", label: "USDT on Ethereum" },
            { value: "BTC:bitcoin", label: "Bitcoin" },
            { value: "ETH:ethereum", label: "Ether" },
          ]}
        />
        <SelectField
          name="mode"
          label="Mode"
          defaultValue={v.mode ?? "test"}
          error={errors.mode}
          options={[
            { value: "test", label: "Test networks" },
            { value: "live", label: "Live" },
          ]}
        />
      </div>
      <button type="submit" disabled={pending} className={primaryButtonClass}>
        {pending ? "Creating…" : "Create link"}
      </button>
    </form>
  );
}
