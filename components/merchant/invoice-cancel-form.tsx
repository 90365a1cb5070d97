"use client";

import { useActionState, useState } from "react";
import { FieldError, FormAlert, inputClass, secondaryButtonClass } from "@/components/ui/form";
import type { CancelFormState } from "@/lib/invoices/dashboard-cancel";

type Props = { invoiceId: string; action: (state: CancelFormState, formData: FormData) => Promise<CancelFormState> };

const dangerButtonClass =
  "inline-flex min-h-10 items-center justify-center rounded-lg bg-rose-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-rose-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-600 disabled:cursor-wait disabled:opacity-70";

/** "Cancel invoice" with a confirm step: the first click only opens the form. */
export function InvoiceCancelForm({ invoiceId, action }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  const [open, setOpen] = useState(false);
  const errors = state.fieldErrors ?? {};
  if (state.success) return <FormAlert message={state.success} tone="success" />;
  if (!open) {
    return (
      <div className="space-y-3">
        <FormAlert message={state.error} />
        <button type="button" onClick={() => setOpen(true)} className={secondaryButtonClass}>
          Cancel invoice
        </button>
      </div>
    );
  }
  return (
    <form action={formAction} noValidate className="space-y-3 rounded-lg border border-rose-200 bg-rose-50/60 p-4 dark:border-rose-500/30 dark:bg-rose-500/10">
      <FormAlert message={state.error} />
      <input type="hidden" name="invoiceId" value={invoiceId} />
      <p className="text-sm">The checkout stops taking payment for this invoice. This cannot be undone.</p>
      <div>
        <label htmlFor="reason" className="block text-sm font-medium">
          Reason (optional)
        </label>
        <input
          id="reason"
          name="reason"
          maxLength={500}
          className={inputClass}
          aria-invalid={errors.reason ? true : undefined}
          aria-describedby={errors.reason ? "reason-error" : undefined}
        />
        <FieldError id="reason-error" message={errors.reason} />
      </div>
      <div>
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            name="confirm"
            value="yes"
            className="mt-0.5 size-4"
            aria-invalid={errors.confirm ? true : undefined}
            aria-describedby={errors.confirm ? "confirm-error" : undefined}
          />
          Yes, cancel this invoice
        </label>
        <FieldError id="confirm-error" message={errors.confirm} />
      </div>
      <div className="flex flex-wrap gap-2">
        <button type="submit" disabled={pending} className={dangerButtonClass}>
          {pending ? "Cancelling…" : "Cancel invoice"}
        </button>
        <button type="button" onClick={() => setOpen(false)} className={secondaryButtonClass}>
          Keep it
        </button>
      </div>
    </form>
  );
}
