"use client";

import { FieldError, FormAlert, secondaryButtonClass } from "@/components/ui/form";
import { Badge } from "@/components/ui/badge";
import { useSettingsForm, type SettingsAction } from "./settings-forms";

export type ProviderRow = { id: string; enabled: boolean; baseUrl: string | null };

const NAMES: Record<string, string> = { coingecko: "CoinGecko", binance: "Binance", kraken: "Kraken", static: "Static table (offline fallback)" };
const smallButton = `${secondaryButtonClass} min-h-9 px-2.5 py-1.5`;

/** Providers in the order they are tried; each button is its own small form (enable/disable, up, down). */
export function SettingsProviders({ action, providers }: { action: SettingsAction; providers: ProviderRow[] }) {
  const { state, formAction, pending, errors } = useSettingsForm(action);
  const button = (id: string, op: string, label: string, text: string, disabled = false) => (
    <form action={formAction}>
      <input type="hidden" name="providerId" value={id} />
      <input type="hidden" name="op" value={op} />
      <button type="submit" aria-label={label} title={label} disabled={pending || disabled} className={smallButton}>{text}</button>
    </form>
  );
  return (
    <div className="space-y-3">
      <FormAlert message={state.error} />
      <FormAlert message={state.success} tone="success" />
      <FieldError id="exchangeRateProviders-error" message={errors.exchangeRateProviders} />
      <ol className="divide-y divide-zinc-100 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800" data-testid="settings-providers">
        {providers.map((p, i) => (
          <li key={p.id} className="flex flex-wrap items-center justify-between gap-3 px-3 py-2.5 text-sm">
            <div className="flex min-w-0 items-center gap-2">
              <span className="w-5 text-right text-zinc-500 tabular-nums dark:text-zinc-400">{i + 1}.</span>
              <span className="font-medium">{NAMES[p.id] ?? p.id}</span>
              <Badge tone={p.enabled ? "green" : "neutral"}>{p.enabled ? "enabled" : "disabled"}</Badge>
              {p.baseUrl && <span className="truncate text-xs text-zinc-500 dark:text-zinc-400">{p.baseUrl}</span>}
            </div>
            <div className="flex gap-1.5">
              {button(p.id, p.enabled ? "disable" : "enable", `${p.enabled ? "Disable" : "Enable"} ${NAMES[p.id] ?? p.id}`, p.enabled ? "Disable" : "Enable")}
              {button(p.id, "up", `Move ${NAMES[p.id] ?? p.id} up`, "↑", i === 0)}
              {button(p.id, "down", `Move ${NAMES[p.id] ?? p.id} down`, "↓", i === providers.length - 1)}
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
