"use client";

import { useActionState } from "react";
import type { WebhookFormState } from "@/app/merchant/(dashboard)/webhooks/actions";
import { CopyButton } from "@/components/checkout/copy-button";
import { Field, FieldError, FormAlert, primaryButtonClass, SelectField, TextAreaField } from "@/components/ui/form";

export type EndpointFormValues = {
  id?: string;
  url: string;
  events: string[];
  maxRetries: number;
  retryBackoff: "linear" | "exponential";
  timeoutSeconds: number;
  allowedIps: string[];
};

type Props = {
  action: (state: WebhookFormState, formData: FormData) => Promise<WebhookFormState>;
  eventTypes: readonly string[];
  initial?: EndpointFormValues;
  allowHttpToLocalhost: boolean;
  submitLabel: string;
  /** Shown instead of the fields when the plan allows no more endpoints (the secret just shown stays). */
  limitMessage?: string | null;
};

const DEFAULT_EVENTS = new Set(["InvoicePaid", "InvoiceExpired", "InvoiceCancelled", "PaymentDetected", "PaymentConfirmed"]);

/** Create or edit a webhook endpoint; on creation the signing secret is shown here, once. */
export function WebhookEndpointForm({ action, eventTypes, initial, allowHttpToLocalhost, submitLabel, limitMessage }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  const errors = state.fieldErrors ?? {};
  return (
    <form action={formAction} noValidate className="mt-4 space-y-5">
      {initial?.id && <input type="hidden" name="endpointId" value={initial.id} />}
      <FormAlert message={state.error} />
      {state.success && !state.secret && <FormAlert tone="success" message={state.success} />}
      {state.secret && (
        <div className="space-y-2 rounded-lg border border-emerald-200 bg-emerald-50 p-3 dark:border-emerald-500/30 dark:bg-emerald-500/10">
          <p role="status" className="text-sm font-medium text-emerald-900 dark:text-emerald-100">{state.success}</p>
          <div className="flex flex-wrap items-center gap-2">
            <code data-testid="new-webhook-secret" className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1.5 font-mono text-xs dark:bg-zinc-950">
              {state.secret}
            </code>
            <CopyButton value={state.secret} label="Copy secret" />
          </div>
          {state.endpointId && (
            <a href={`/merchant/webhooks/${state.endpointId}`} className="inline-block text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
              Open the endpoint to send a test event →
            </a>
          )}
        </div>
      )}
      {limitMessage ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{limitMessage}</p>
      ) : (
        <EndpointFields eventTypes={eventTypes} initial={initial} allowHttpToLocalhost={allowHttpToLocalhost} errors={errors} />
      )}
      {!limitMessage && (
        <button type="submit" disabled={pending} className={primaryButtonClass}>
          {pending ? "Saving…" : submitLabel}
        </button>
      )}
    </form>
  );
}

function EndpointFields({
  eventTypes,
  initial,
  allowHttpToLocalhost,
  errors,
}: Pick<Props, "eventTypes" | "initial" | "allowHttpToLocalhost"> & { errors: Record<string, string> }) {
  const checked = new Set(initial?.events ?? DEFAULT_EVENTS);
  return (
    <>
      <Field
        name="url"
        label="Endpoint URL"
        type="url"
        inputMode="url"
        placeholder="https://example.com/webhooks/crypto-checkout"
        defaultValue={initial?.url}
        error={errors.url}
        hint={allowHttpToLocalhost ? "https:// (http:// is allowed to localhost on this development install)." : "Must be https://."}
      />
      <fieldset aria-describedby={errors.events ? "events-error" : undefined}>
        <legend className="text-sm font-medium">Events to send</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-3">
          {eventTypes.map((type) => (
            <label key={type} className="flex min-h-8 items-center gap-2 text-sm">
              <input type="checkbox" name="events" value={type} defaultChecked={checked.has(type)} className="size-4 rounded border-zinc-300 accent-indigo-600" />
              <span className="font-mono text-xs">{type}</span>
            </label>
          ))}
        </div>
        <FieldError id="events-error" message={errors.events} />
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field name="maxRetries" label="Retries" type="number" min={1} max={10} defaultValue={initial?.maxRetries ?? 5} error={errors.maxRetries} hint="1–10, after the first attempt." />
        <SelectField
          name="retryBackoff"
          label="Backoff"
          defaultValue={initial?.retryBackoff ?? "exponential"}
          error={errors.retryBackoff}
          options={[
            { value: "exponential", label: "Exponential (1, 2, 4, 8 … min)" },
            { value: "linear", label: "Linear (1, 2, 3, 4 … min)" },
          ]}
        />
        <Field name="timeoutSeconds" label="Timeout (seconds)" type="number" min={5} max={60} defaultValue={initial?.timeoutSeconds ?? 10} error={errors.timeoutSeconds} hint="5–60 s per attempt." />
      </div>
      <TextAreaField
        name="allowedIps"
        label="Allowed IP ranges (optional)"
        rows={2}
        placeholder={"203.0.113.0/24\n2001:db8:1::/48"}
        defaultValue={initial?.allowedIps.join("\n")}
        error={errors.allowedIps}
        hint="One CIDR range per line. When set, deliveries go only to addresses your URL resolves to inside these ranges."
      />
    </>
  );
}
