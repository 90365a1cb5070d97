import type { Metadata } from "next";
import { FeatureFlagsForm, PaymentSettingsForm, SecuritySettingsForm } from "@/components/admin/settings-forms";
import { SettingsNetworkForm, type NetworkFormData } from "@/components/admin/settings-network-form";
import { SettingsProviders } from "@/components/admin/settings-providers";
import { getDb } from "@/db";
import type { NetworkConfig } from "@/db/schema";
import { requireAdmin } from "@/lib/auth/current-admin";
import { loadSystemConfig, SYSTEM_CONFIG_CACHE_MS } from "@/lib/system-config";
import { maskUrl, tierRows } from "@/lib/system-config-input";
import { orderedProviders } from "@/lib/system-config-update";
import { featureFlagsAction, networkAction, paymentSettingsAction, providerAction, securitySettingsAction } from "./actions";

export const metadata: Metadata = { title: "Settings · Admin", robots: { index: false } };

const NETWORK_NAMES = { bitcoin: "Bitcoin", ethereum: "Ethereum", tron: "Tron" } as const;
const URL_FIELDS = {
  bitcoin: { field: "apiUrl", label: "Esplora API URL" },
  ethereum: { field: "rpcUrl", label: "JSON-RPC URL" },
  tron: { field: "apiUrl", label: "TronGrid API URL" },
} as const;

/** The network as its form shows it: a URL that may carry a key is masked, never sent whole. */
function networkFormData(n: NetworkConfig): NetworkFormData {
  const { field, label } = URL_FIELDS[n.network];
  const stored = n[field];
  const mask = stored ? maskUrl(stored) : null;
  return {
    key: `${n.network}:${n.testnet ? "test" : "live"}`,
    title: `${NETWORK_NAMES[n.network]}${n.testnet ? " testnet" : ""}`,
    url: { field, label, value: mask && !mask.masked ? stored! : "", masked: mask?.masked ?? false, display: mask?.display ?? null },
    tiers: tierRows(n.confirmationTiers),
  };
}

function Section({ id, title, description, children }: { id: string; title: string; description: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="min-w-0 rounded-xl border border-zinc-200 bg-white p-5 sm:p-6 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id={id} className="text-base font-semibold">{title}</h2>
      <p className="mt-1 mb-4 text-sm text-zinc-600 dark:text-zinc-400">{description}</p>
      {children}
    </section>
  );
}

export default async function AdminSettingsPage() {
  await requireAdmin("/admin/settings");
  // Read past the cache: the page shows what is stored now.
  const config = await loadSystemConfig(await getDb());
  const providers = orderedProviders(config.exchangeRateProviders).map((p) => ({ id: p.id, enabled: p.enabled, baseUrl: p.baseUrl ? maskUrl(p.baseUrl).display : null }));

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">System configuration</h1>
        <p className="mt-1 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">
          Changes apply without a restart: at once in this app process, and within {SYSTEM_CONFIG_CACHE_MS / 1000} seconds in other
          app instances and the worker. Every change is recorded in the audit log with the section before and after.
        </p>
      </div>

      <Section id="providers" title="Exchange rate providers" description="Tried in this order; the median of the fresh quotes is used. The static table only prices a pair no live provider could.">
        <SettingsProviders action={providerAction} providers={providers} />
      </Section>

      <Section id="networks" title="Blockchain networks" description="Where the chain watchers read each network, and how many confirmations a payment needs. Environment variables, when set, win over these URLs.">
        <div className="grid gap-8 lg:grid-cols-3 lg:gap-6">
          {config.blockchainNetworks.map((n) => {
            const data = networkFormData(n);
            return (
              <div key={data.key} className="min-w-0 border-t border-zinc-100 pt-5 first:border-t-0 first:pt-0 lg:border-t-0 lg:pt-0 dark:border-zinc-800">
                <h3 className="mb-3 text-sm font-semibold">{data.title}</h3>
                <SettingsNetworkForm action={networkAction} network={data} />
              </div>
            );
          })}
        </div>
      </Section>

      <Section id="payment" title="Payment settings" description="Defaults for every merchant's invoices.">
        <PaymentSettingsForm action={paymentSettingsAction} saved={config.paymentSettings} />
      </Section>

      <Section id="security" title="Security settings" description="Webhook destinations and the API's rate limit.">
        <SecuritySettingsForm action={securitySettingsAction} saved={config.securitySettings} />
      </Section>

      <Section id="flags" title="Feature flags" description="Switches read by the application at run time.">
        <FeatureFlagsForm action={featureFlagsAction} saved={config.featureFlags} />
      </Section>
    </div>
  );
}
