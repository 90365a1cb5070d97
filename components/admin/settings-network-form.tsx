"use client";

import { Field, FormAlert, inputClass, primaryButtonClass } from "@/components/ui/form";
import { useSettingsForm, type SettingsAction } from "./settings-forms";

/** What the page sends for one network: URLs already masked when they may hold a key. */
export type NetworkFormData = {
  key: string;
  title: string;
  url: { field: "rpcUrl" | "apiUrl"; label: string; value: string; masked: boolean; display: string | null };
  tiers: { upTo: string; confirmations: string }[];
};

export function SettingsNetworkForm({ action, network }: { action: SettingsAction; network: NetworkFormData }) {
  const { state, formAction, pending, errors, value, refused } = useSettingsForm(action);
  const { url } = network;
  const id = (name: string) => `${network.key}-${name}`;
  return (
    <form key={refused ? "edit" : JSON.stringify(network)} action={formAction} noValidate className="space-y-4" data-testid={`network-${network.key}`}>
      <input type="hidden" name="networkKey" value={network.key} />
      {url.masked && <input type="hidden" name={`${url.field}Kept`} value="1" />}
      <FormAlert message={state.error} />
      <FormAlert message={state.success} tone="success" />
      <Field
        id={id(url.field)}
        name={url.field}
        label={url.label}
        type="url"
        placeholder={url.masked ? url.display ?? "" : "https://…"}
        defaultValue={value(url.field, url.masked ? "" : url.value)}
        error={errors[url.field]}
        hint={url.masked ? `Set to ${url.display}; the rest is hidden because it may hold an API key. Leave empty to keep it.` : "Empty: this network is watched only if an environment variable names a URL."}
      />
      {url.masked && (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name={`${url.field}Remove`} className="size-4 rounded border-zinc-300 accent-indigo-600 dark:border-zinc-700" />
          Remove the saved URL
        </label>
      )}
      <fieldset>
        <legend className="text-sm font-medium">Required confirmations by invoice total</legend>
        <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
          The first tier whose bound covers the total applies. Leave the last bound empty: it covers every larger amount.
        </p>
        <div className="mt-2 grid grid-cols-2 gap-x-3 gap-y-2 sm:max-w-md">
          <span className="text-xs text-zinc-500 dark:text-zinc-400">Up to (invoice currency)</span>
          <span className="text-xs text-zinc-500 dark:text-zinc-400">Confirmations</span>
          {network.tiers.map((tier, i) => {
            const upError = errors[`tiers.${i}.upTo`];
            const countError = errors[`tiers.${i}.confirmations`];
            return (
              <div key={i} className="contents">
                <div>
                  <input
                    id={id(`tiers.${i}.upTo`)}
                    name={`tiers.${i}.upTo`}
                    aria-label={`Tier ${i + 1} bound`}
                    inputMode="decimal"
                    placeholder={tier.upTo === "" && tier.confirmations !== "" ? "and above" : tier.confirmations === "" ? "add a tier" : ""}
                    defaultValue={value(`tiers.${i}.upTo`, tier.upTo)}
                    aria-invalid={upError ? true : undefined}
                    aria-describedby={upError ? id(`tiers.${i}.upTo-error`) : undefined}
                    className={inputClass}
                  />
                  {upError && <p id={id(`tiers.${i}.upTo-error`)} className="mt-1 text-xs text-rose-600 dark:text-rose-400">{upError}</p>}
                </div>
                <div>
                  <input
                    id={id(`tiers.${i}.confirmations`)}
                    name={`tiers.${i}.confirmations`}
                    aria-label={`Tier ${i + 1} confirmations`}
                    inputMode="numeric"
                    defaultValue={value(`tiers.${i}.confirmations`, tier.confirmations)}
                    aria-invalid={countError ? true : undefined}
                    aria-describedby={countError ? id(`tiers.${i}.confirmations-error`) : undefined}
                    className={inputClass}
                  />
                  {countError && <p id={id(`tiers.${i}.confirmations-error`)} className="mt-1 text-xs text-rose-600 dark:text-rose-400">{countError}</p>}
                </div>
              </div>
            );
          })}
        </div>
      </fieldset>
      <button type="submit" disabled={pending} className={primaryButtonClass}>Save {network.title}</button>
    </form>
  );
}
