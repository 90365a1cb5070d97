"use client";

import { useActionState } from "react";
import type { WebhookFormState } from "@/app/merchant/(dashboard)/webhooks/actions";
import { CopyButton } from "@/components/checkout/copy-button";
import { FormAlert, primaryButtonClass, secondaryButtonClass } from "@/components/ui/form";

type Props = {
  action: (state: WebhookFormState, formData: FormData) => Promise<WebhookFormState>;
  fields: Record<string, string>;
  label: string;
  pendingLabel: string;
  primary?: boolean;
};

/**
 * One button that runs a webhook action (send a test event, redeliver, rotate the secret) and shows
 * its outcome under it, with a link to the delivery it made and any secret it returned.
 */
export function WebhookActionForm({ action, fields, label, pendingLabel, primary }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-2">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" disabled={pending} className={primary ? primaryButtonClass : secondaryButtonClass}>
        {pending ? pendingLabel : label}
      </button>
      <FormAlert message={state.error} />
      {state.success && <FormAlert tone="success" message={state.success} />}
      {state.secret && (
        <div className="flex flex-wrap items-center gap-2">
          <code data-testid="new-webhook-secret" className="min-w-0 flex-1 break-all rounded bg-zinc-100 px-2 py-1.5 font-mono text-xs dark:bg-zinc-950">
            {state.secret}
          </code>
          <CopyButton value={state.secret} label="Copy secret" />
        </div>
      )}
      {state.deliveryId && (
        <a href={`/merchant/webhooks/deliveries/${state.deliveryId}`} className="inline-block text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          View the delivery →
        </a>
      )}
    </form>
  );
}
