"use client";

import { useActionState } from "react";
import type { FormState } from "@/app/merchant/(dashboard)/actions";
import { CopyButton } from "@/components/checkout/copy-button";
import { Field, FieldError, FormAlert, primaryButtonClass, SelectField } from "@/components/ui/form";

type Props = { action: (state: FormState, formData: FormData) => Promise<FormState>; permissions: string[] };

const DEFAULT_CHECKED = new Set(["invoices:read", "invoices:write", "customers:read", "customers:write"]);

export function ApiKeyForm({ action, permissions }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  const errors = state.fieldErrors ?? {};
  return (
    <form action={formAction} noValidate className="mt-4 space-y-5">
      <FormAlert message={state.error} />
      {state.secret && (
        <div className="space-y-2 rounded-lg border border-emerald-200 bg-emerald-50 p-3 dark:border-emerald-500/30 dark:bg-emerald-500/10">
          <p role="status" className="text-sm font-medium text-emerald-900 dark:text-emerald-100">{state.success}</p>
          <div className="flex flex-wrap items-center gap-2">
            <code data-testid="new-api-key" className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1.5 font-mono text-xs dark:bg-zinc-950">
              {state.secret}
            </code>
            <CopyButton value={state.secret} label="Copy API key" />
          </div>
        </div>
      )}
      <div className="grid gap-4 sm:grid-cols-3">
        <Field name="name" label="Name" placeholder="Production server" maxLength={100} error={errors.name} />
        <SelectField
          name="keyType"
          label="Mode"
          defaultValue="test"
          error={errors.keyType}
          options={[
            { value: "test", label: "Test (test networks)" },
            { value: "live", label: "Live" },
          ]}
        />
        <SelectField
          name="expiresInDays"
          label="Expires"
          defaultValue=""
          error={errors.expiresInDays}
          options={[
            { value: "", label: "Never" },
            { value: "30", label: "In 30 days" },
            { value: "90", label: "In 90 days" },
            { value: "365", label: "In a year" },
          ]}
        />
      </div>
      <fieldset aria-describedby={errors.permissions ? "permissions-error" : undefined}>
        <legend className="text-sm font-medium">Permissions</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-3">
          {permissions.map((p) => (
            <label key={p} className="flex min-h-8 items-center gap-2 text-sm">
              <input type="checkbox" name="permissions" value={p} defaultChecked={DEFAULT_CHECKED.has(p)} className="size-4 rounded border-zinc-300 accent-indigo-600" />
              <span className="font-mono text-xs">{p}</span>
            </label>
          ))}
        </div>
        <FieldError id="permissions-error" message={errors.permissions} />
      </fieldset>
      <button type="submit" disabled={pending} className={primaryButtonClass}>
        {pending ? "Creating…" : "Create API key"}
      </button>
    </form>
  );
}
