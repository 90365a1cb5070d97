"use client";

import { useActionState, useState } from "react";
import type { CustomerBlockState } from "@/app/merchant/(dashboard)/customers/actions";
import { FormAlert, primaryButtonClass, secondaryButtonClass } from "@/components/ui/form";

type Props = {
  action: (state: CustomerBlockState, formData: FormData) => Promise<CustomerBlockState>;
  customerId: string;
  blocked: boolean;
};

const dangerButtonClass =
  "inline-flex min-h-10 items-center justify-center rounded-lg bg-rose-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-rose-500 disabled:cursor-wait disabled:opacity-70";

/** Block asks once more before it is sent (it stops the customer's checkouts); unblock goes straight through. */
export function CustomerBlockForm({ action, customerId, blocked }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  const [confirming, setConfirming] = useState(false);
  return (
    <form action={formAction} className="space-y-3" onSubmit={() => setConfirming(false)}>
      <FormAlert message={state.error} />
      <FormAlert message={state.success} tone="success" />
      <input type="hidden" name="customerId" value={customerId} />
      <input type="hidden" name="blocked" value={String(!blocked)} />
      {blocked ? (
        <button type="submit" disabled={pending} className={primaryButtonClass}>
          {pending ? "Unblocking…" : "Unblock customer"}
        </button>
      ) : confirming ? (
        <div className="flex flex-wrap items-center gap-2">
          <p className="w-full text-sm text-zinc-600 dark:text-zinc-400">New invoices for this customer will be refused until you unblock them.</p>
          <button type="submit" disabled={pending} className={dangerButtonClass}>
            {pending ? "Blocking…" : "Confirm block"}
          </button>
          <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(true)}>
          Block customer
        </button>
      )}
    </form>
  );
}
