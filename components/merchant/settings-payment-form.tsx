"use client";

import { useActionState } from "react";
import type { SettingsFormState } from "@/app/merchant/(dashboard)/settings/actions";
import { Field, FormAlert, primaryButtonClass, SelectField } from "@/components/ui/form";

type Props = {
  action: (state: SettingsFormState, formData: FormData) => Promise<SettingsFormState>;
  initial: { underpaymentThresholdBps: number; overpaymentThresholdBps: number; overpaymentAction: string; invoiceExpiryMinutes: number };
};

/** Basis points as a percentage string, exactly: 50 → "0.50". */
export const bpsToPercent = (bps: number) => `${Math.floor(bps / 100)}.${String(bps % 100).padStart(2, "0")}`;

export function SettingsPaymentForm({ action, initial }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {
    underpaymentPercent: bpsToPercent(initial.underpaymentThresholdBps),
    overpaymentPercent: bpsToPercent(initial.overpaymentThresholdBps),
    overpaymentAction: initial.overpaymentAction,
    invoiceExpiryMinutes: String(initial.invoiceExpiryMinutes),
  };
  return (
    <form action={formAction} noValidate className="mt-4 space-y-5" aria-label="Payment defaults">
      <FormAlert message={state.error} />
      <FormAlert message={state.success} tone="success" />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          name="underpaymentPercent"
          label="Underpayment tolerance (%)"
          inputMode="decimal"
          defaultValue={values.underpaymentPercent}
          error={errors.underpaymentPercent}
          hint="0 to 1.00 %. A payment this much short still counts as paid."
        />
        <Field
          name="overpaymentPercent"
          label="Overpayment tolerance (%)"
          inputMode="decimal"
          defaultValue={values.overpaymentPercent}
          error={errors.overpaymentPercent}
          hint="0 to 100.00 %. More than this is flagged as an overpayment."
        />
        <SelectField
          name="overpaymentAction"
          label="Overpayment action"
          defaultValue={values.overpaymentAction}
          error={errors.overpaymentAction}
          options={[
            { value: "credit", label: "Credit the customer" },
            { value: "refund", label: "Refund the difference" },
            { value: "donate", label: "Keep as a donation" },
          ]}
        />
        <Field
          name="invoiceExpiryMinutes"
          label="Invoice expiry (minutes)"
          inputMode="numeric"
          defaultValue={values.invoiceExpiryMinutes}
          error={errors.invoiceExpiryMinutes}
          hint="5 minutes to 10080 (7 days). The exchange rate is locked for this long."
        />
      </div>
      <button type="submit" disabled={pending} className={primaryButtonClass}>
        {pending ? "Saving…" : "Save payment defaults"}
      </button>
    </form>
  );
}
