"use client";

import { useActionState } from "react";
import type { SettingsFormState } from "@/app/admin/(protected)/settings/actions";
import { Field, FieldError, FormAlert, primaryButtonClass } from "@/components/ui/form";

/** The settings page's section forms: payment, security, feature flags. Errors sit by their field. */

export type SettingsAction = (state: SettingsFormState, formData: FormData) => Promise<SettingsFormState>;

/** After a refusal the form shows what was typed; otherwise what is saved. */
export function useSettingsForm(action: SettingsAction) {
  const [state, formAction, pending] = useActionState(action, {});
  const refused = Boolean(state.error || state.fieldErrors);
  const value = (name: string, saved: string) => (refused ? (state.values?.[name] ?? "") : saved);
  const checked = (name: string, saved: boolean) => (refused ? state.values?.[name] === "on" : saved);
  return { state, formAction, pending, errors: state.fieldErrors ?? {}, value, checked, refused };
}

export function Checkbox({ name, label, hint, defaultChecked, error }: { name: string; label: string; hint?: string; defaultChecked: boolean; error?: string }) {
  return (
    <div>
      <label className="flex items-start gap-3 text-sm">
        <input
          type="checkbox"
          name={name}
          id={name}
          defaultChecked={defaultChecked}
          aria-invalid={error ? true : undefined}
          aria-describedby={hint ? `${name}-hint` : undefined}
          className="mt-0.5 size-4 shrink-0 rounded border-zinc-300 accent-indigo-600 dark:border-zinc-700"
        />
        <span>
          <span className="font-medium">{label}</span>
          {hint && <span id={`${name}-hint`} className="block text-xs text-zinc-500 dark:text-zinc-400">{hint}</span>}
        </span>
      </label>
      <FieldError id={`${name}-error`} message={error} />
    </div>
  );
}

function Alerts({ state }: { state: SettingsFormState }) {
  return (
    <>
      <FormAlert message={state.error} />
      <FormAlert message={state.success} tone="success" />
    </>
  );
}

export type PaymentSettingsValues = { defaultExpiryMinutes: number; partialPaymentGraceMinutes: number; rateLockMinutes: number };

export function PaymentSettingsForm({ action, saved }: { action: SettingsAction; saved: PaymentSettingsValues }) {
  const { state, formAction, pending, errors, value, refused } = useSettingsForm(action);
  return (
    <form key={refused ? "edit" : JSON.stringify(saved)} action={formAction} noValidate className="space-y-4" data-testid="payment-settings-form">
      <Alerts state={state} />
      <div className="grid gap-4 sm:grid-cols-3">
        <Field name="defaultExpiryMinutes" label="Default invoice expiry (minutes)" inputMode="numeric" defaultValue={value("defaultExpiryMinutes", String(saved.defaultExpiryMinutes))} error={errors.defaultExpiryMinutes} hint="5 to 10,080; a merchant's own setting wins." />
        <Field name="partialPaymentGraceMinutes" label="Partial payment grace (minutes)" inputMode="numeric" defaultValue={value("partialPaymentGraceMinutes", String(saved.partialPaymentGraceMinutes))} error={errors.partialPaymentGraceMinutes} hint="Extra time to complete a partly paid invoice, 0 to 1,440." />
        <Field name="rateLockMinutes" label="Rate lock (minutes)" inputMode="numeric" defaultValue={value("rateLockMinutes", String(saved.rateLockMinutes))} error={errors.rateLockMinutes} hint="How long a fetched exchange rate stays usable, 1 to 1,440." />
      </div>
      <button type="submit" disabled={pending} className={primaryButtonClass}>Save payment settings</button>
    </form>
  );
}

export type SecuritySettingsValues = { allowPrivateWebhookTargets: boolean; allowHttpWebhooksToLocalhost: boolean; apiRateLimitPerMinute: number };

export function SecuritySettingsForm({ action, saved }: { action: SettingsAction; saved: SecuritySettingsValues }) {
  const { state, formAction, pending, errors, value, checked, refused } = useSettingsForm(action);
  return (
    <form key={refused ? "edit" : JSON.stringify(saved)} action={formAction} noValidate className="space-y-4" data-testid="security-settings-form">
      <Alerts state={state} />
      <Field name="apiRateLimitPerMinute" label="API rate limit (requests per minute per key)" inputMode="numeric" className="sm:max-w-xs" defaultValue={value("apiRateLimitPerMinute", String(saved.apiRateLimitPerMinute))} error={errors.apiRateLimitPerMinute} hint="Free plan; Pro gets 4×, Enterprise 10×." />
      <Checkbox name="allowPrivateWebhookTargets" label="Allow webhooks to private addresses" hint="Loopback, link-local (cloud metadata) and private ranges. Leave off in production." defaultChecked={checked("allowPrivateWebhookTargets", saved.allowPrivateWebhookTargets)} error={errors.allowPrivateWebhookTargets} />
      <Checkbox name="allowHttpWebhooksToLocalhost" label="Allow plain http:// webhooks to localhost" hint="For development only; every other endpoint must use https://." defaultChecked={checked("allowHttpWebhooksToLocalhost", saved.allowHttpWebhooksToLocalhost)} error={errors.allowHttpWebhooksToLocalhost} />
      <button type="submit" disabled={pending} className={primaryButtonClass}>Save security settings</button>
    </form>
  );
}

export function FeatureFlagsForm({ action, saved }: { action: SettingsAction; saved: Record<string, boolean> }) {
  const { state, formAction, pending, errors, value, checked, refused } = useSettingsForm(action);
  const names = Object.keys(saved).sort();
  return (
    <form key={refused ? "edit" : JSON.stringify(saved)} action={formAction} noValidate className="space-y-4" data-testid="feature-flags-form">
      <Alerts state={state} />
      {names.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No feature flags yet.</p>
      ) : (
        <div className="grid gap-3 sm:grid-cols-2">
          {names.map((name) => (
            <Checkbox key={name} name={`flag.${name}`} label={name} defaultChecked={checked(`flag.${name}`, saved[name]!)} />
          ))}
        </div>
      )}
      <div className="grid gap-3 sm:max-w-lg sm:grid-cols-[1fr_auto] sm:items-end">
        <Field name="newFlag" label="Add a flag" placeholder="newCheckout" maxLength={40} defaultValue={value("newFlag", "")} error={errors.newFlag} />
        <div className="sm:pb-2.5">
          <Checkbox name="newFlagEnabled" label="On" defaultChecked={checked("newFlagEnabled", false)} />
        </div>
      </div>
      <button type="submit" disabled={pending} className={primaryButtonClass}>Save feature flags</button>
    </form>
  );
}
