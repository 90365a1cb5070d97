"use client";

import { useActionState } from "react";
import type { SettingsFormState } from "@/app/merchant/(dashboard)/settings/actions";
import { Field, FormAlert, primaryButtonClass } from "@/components/ui/form";

type Wallet = { network: "bitcoin" | "ethereum" | "tron"; mode: "live" | "test"; payoutAddress: string | null };
type Props = { action: (state: SettingsFormState, formData: FormData) => Promise<SettingsFormState>; wallets: Wallet[] };

const NETWORK_NAMES = { bitcoin: "Bitcoin", ethereum: "Ethereum", tron: "Tron" } as const;
const PLACEHOLDERS = {
  "bitcoin:live": "bc1q…",
  "bitcoin:test": "tb1q…",
  "ethereum:live": "0x…",
  "ethereum:test": "0x…",
  "tron:live": "T…",
  "tron:test": "T…",
} as const;

/** One payout address per configured wallet; fields are named "payout.<network>:<mode>". */
export function SettingsPayoutForm({ action, wallets }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  const errors = state.fieldErrors ?? {};
  return (
    <form action={formAction} noValidate className="mt-4 space-y-5" aria-label="Payout addresses">
      <FormAlert message={state.error} />
      <FormAlert message={state.success} tone="success" />
      <div className="grid gap-4 sm:grid-cols-2">
        {wallets.map((w) => {
          const key = `${w.network}:${w.mode}` as const;
          return (
            <Field
              key={key}
              id={`payout-${w.network}-${w.mode}`}
              name={`payout.${key}`}
              label={`${NETWORK_NAMES[w.network]} (${w.mode})`}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              className="min-w-0"
              placeholder={PLACEHOLDERS[key]}
              defaultValue={state.values?.[key] ?? w.payoutAddress ?? ""}
              error={errors[key]}
            />
          );
        })}
      </div>
      <button type="submit" disabled={pending} className={primaryButtonClass}>
        {pending ? "Checking…" : "Save payout addresses"}
      </button>
    </form>
  );
}
