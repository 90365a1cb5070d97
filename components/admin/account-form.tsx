"use client";

import { useActionState, useEffect, useRef } from "react";
import type { AccountFormState } from "@/app/admin/(protected)/accounts/actions";
import { Field, FormAlert, primaryButtonClass, SelectField, TextAreaField } from "@/components/ui/form";

/** Initial values of an edit form; every field is a string as the inputs hold it. */
export type AccountFormDefaults = {
  accountId?: string;
  version?: string;
  name: string;
  displayName: string;
  price: string;
  priceCurrency: string;
  instructions: string;
  features: string;
  limitations: string;
  regions: string;
  /** Last four characters of the stored access key id; the key itself never reaches the browser. */
  accessKeyLast4?: string | null;
  suggestedPrice?: string | null;
};

type Props = {
  action: (state: AccountFormState, formData: FormData) => Promise<AccountFormState>;
  defaults: AccountFormDefaults;
  mode: "create" | "edit";
};

export function AccountForm({ action, defaults, mode }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  const formRef = useRef<HTMLFormElement>(null);
  const errors = state.fieldErrors ?? {};
  const v = { ...defaults, ...state.values };
  // Put the keyboard on the first field to fix.
  useEffect(() => {
    if (state.fieldErrors) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [state]);
  // A remount per saved version resets the inputs to what was saved (and clears typed secrets).
  const formKey = state.version ?? defaults.version ?? "new";

  return (
    <form key={formKey} ref={formRef} action={formAction} noValidate className="space-y-8">
      {defaults.accountId && <input type="hidden" name="accountId" value={defaults.accountId} />}
      <input type="hidden" name="version" value={state.version ?? defaults.version ?? ""} />
      <FormAlert message={state.error} />
      <FormAlert message={state.success} tone="success" />

      <fieldset className="space-y-4">
        <legend className="text-base font-semibold">Listing</legend>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field name="name" label="Internal name" maxLength={120} defaultValue={v.name} error={errors.name} hint="Only admins see it." />
          <Field name="displayName" label="Display name" maxLength={200} defaultValue={v.displayName} error={errors.displayName} hint="The title buyers see." />
          <Field
            name="price"
            label="Price"
            inputMode="decimal"
            placeholder="249.00"
            defaultValue={v.price}
            error={errors.price}
            hint={defaults.suggestedPrice ? `Suggested from the quotas: ${defaults.suggestedPrice}` : "A suggestion appears after the first quota refresh."}
          />
          <SelectField
            name="priceCurrency"
            label="Currency"
            defaultValue={v.priceCurrency}
            error={errors.priceCurrency}
            options={["USD", "EUR", "CNY"].map((c) => ({ value: c, label: c }))}
          />
        </div>
        <TextAreaField name="instructions" label="Instructions for the buyer" rows={4} maxLength={10_000} defaultValue={v.instructions} error={errors.instructions} hint="Shown on the listing and, after payment, with the credentials." />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextAreaField name="features" label="Features" rows={4} defaultValue={v.features} error={errors.features} hint="One per line." />
          <TextAreaField name="limitations" label="Limitations" rows={4} defaultValue={v.limitations} error={errors.limitations} hint="One per line." />
        </div>
        {mode === "create" && (
          <SelectField
            name="initialStatus"
            label="Status"
            defaultValue="MAINTENANCE"
            options={[
              { value: "MAINTENANCE", label: "Maintenance: off sale until checked" },
              { value: "AVAILABLE", label: "Available: on sale now" },
            ]}
          />
        )}
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="text-base font-semibold">AWS access</legend>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {defaults.accessKeyLast4
            ? <>Stored and encrypted: access key ending in <span className="font-mono font-medium" data-testid="access-key-last4">{defaults.accessKeyLast4}</span>. Leave both fields empty to keep it.</>
            : "No credentials yet. They are encrypted before they are stored and never shown again."}
        </p>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            name="accessKeyId"
            label="Access key id"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            placeholder={defaults.accessKeyLast4 ? `••••••••••••••••${defaults.accessKeyLast4}` : "AKIA…"}
            error={errors.accessKeyId}
          />
          <Field
            name="secretAccessKey"
            label="Secret access key"
            type="password"
            autoComplete="new-password"
            spellCheck={false}
            placeholder={defaults.accessKeyLast4 ? "Unchanged" : ""}
            error={errors.secretAccessKey}
          />
        </div>
        <Field name="regions" label="Regions" placeholder="us-east-1, us-west-2" defaultValue={v.regions} error={errors.regions} hint="Quotas are read in the first region." />
      </fieldset>

      <button type="submit" disabled={pending} className={primaryButtonClass}>
        {pending ? "Saving…" : mode === "create" ? "Create account" : "Save changes"}
      </button>
    </form>
  );
}
