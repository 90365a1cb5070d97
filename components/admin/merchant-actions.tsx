"use client";

import { useActionState } from "react";
import type { MerchantActionState } from "@/app/admin/(protected)/merchants/actions";
import { FieldError, FormAlert, primaryButtonClass, secondaryButtonClass, SelectField, TextAreaField } from "@/components/ui/form";
import type { MerchantStatus, PlanType } from "@/lib/domain";
import type { MerchantAdminAction } from "@/lib/merchants/admin-status";

type Action = (state: MerchantActionState, formData: FormData) => Promise<MerchantActionState>;

const dangerButtonClass =
  "inline-flex min-h-10 items-center justify-center rounded-lg bg-rose-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-rose-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-600 disabled:cursor-wait disabled:opacity-70";

/** The status changes allowed from the merchant's status (lib/merchants/admin-status.ts), each its own form. */
export function MerchantStatusActions({ action, merchantId, status, allowed }: { action: Action; merchantId: string; status: MerchantStatus; allowed: MerchantAdminAction[] }) {
  const [state, formAction, pending] = useActionState(action, {});
  const errors = state.fieldErrors ?? {};
  const hidden = (name: MerchantAdminAction) => (
    <>
      <input type="hidden" name="merchantId" value={merchantId} />
      <input type="hidden" name="action" value={name} />
    </>
  );
  if (status === "closed") {
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">This merchant is closed. Closing is permanent: its API keys are revoked and it cannot sign in.</p>;
  }
  return (
    <div className="space-y-5" data-testid="merchant-status-actions">
      <FormAlert message={state.error} />
      <FormAlert message={state.success} tone="success" />
      {(allowed.includes("verify") || allowed.includes("reactivate")) && (
        <div className="flex flex-wrap gap-2">
          {allowed.includes("verify") && (
            <form action={formAction}>
              {hidden("verify")}
              <button type="submit" disabled={pending} className={primaryButtonClass}>Verify merchant</button>
            </form>
          )}
          {allowed.includes("reactivate") && (
            <form action={formAction}>
              {hidden("reactivate")}
              <button type="submit" disabled={pending} className={primaryButtonClass}>Reactivate merchant</button>
            </form>
          )}
        </div>
      )}
      {allowed.includes("suspend") && (
        <form action={formAction} noValidate className="space-y-3">
          {hidden("suspend")}
          <TextAreaField
            name="reason"
            id="suspend-reason"
            label="Reason for suspension"
            rows={2}
            maxLength={500}
            defaultValue={state.values?.reason ?? ""}
            error={errors.reason}
            hint="Recorded in the audit log and sent with the MerchantSuspended event. API keys stop working at once."
          />
          <button type="submit" disabled={pending} className={secondaryButtonClass}>Suspend merchant</button>
        </form>
      )}
      {allowed.includes("close") && (
        <details className="rounded-lg border border-rose-200 p-3 dark:border-rose-500/30">
          <summary className="cursor-pointer text-sm font-medium text-rose-700 dark:text-rose-300">Close account…</summary>
          <form
            action={formAction}
            noValidate
            className="mt-3 space-y-3"
            onSubmit={(e) => {
              if (!window.confirm("Close this merchant for good? This cannot be undone.")) e.preventDefault();
            }}
          >
            {hidden("close")}
            <TextAreaField name="reason" id="close-reason" label="Reason (optional)" rows={2} maxLength={500} />
            <div>
              <label className="flex items-start gap-2 text-sm">
                <input type="checkbox" name="confirm" aria-invalid={errors.confirm ? true : undefined} aria-describedby={errors.confirm ? "confirm-error" : undefined} className="mt-0.5 size-4 rounded border-zinc-300 dark:border-zinc-700" />
                <span>I understand closing is permanent: the API keys are revoked and the merchant cannot sign in again.</span>
              </label>
              <FieldError id="confirm-error" message={errors.confirm} />
            </div>
            <button type="submit" disabled={pending} className={dangerButtonClass}>Close merchant</button>
          </form>
        </details>
      )}
    </div>
  );
}

const PLAN_OPTIONS: { value: PlanType; label: string }[] = [
  { value: "free", label: "Free" },
  { value: "pro", label: "Pro" },
  { value: "enterprise", label: "Enterprise" },
];

export function MerchantPlanForm({ action, merchantId, plan }: { action: Action; merchantId: string; plan: PlanType }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-3" data-testid="merchant-plan-form">
      <input type="hidden" name="merchantId" value={merchantId} />
      <FormAlert message={state.error} />
      <FormAlert message={state.success} tone="success" />
      <SelectField name="plan" label="Plan" defaultValue={state.values?.plan ?? plan} options={PLAN_OPTIONS} error={state.fieldErrors?.plan} />
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        Free: 2 API keys, 1 webhook endpoint, no analytics. Pro: 10 keys, 5 endpoints. Enterprise: unlimited. A downgrade the merchant&apos;s
        current keys or endpoints exceed is refused.
      </p>
      <button type="submit" disabled={pending} className={secondaryButtonClass}>Change plan</button>
    </form>
  );
}
