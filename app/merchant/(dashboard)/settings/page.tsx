import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db";
import { SettingsPaymentForm } from "@/components/merchant/settings-payment-form";
import { SettingsPayoutForm } from "@/components/merchant/settings-payout-form";
import { SettingsProfileForm } from "@/components/merchant/settings-profile-form";
import { SettingsSection } from "@/components/merchant/settings-section";
import { Badge } from "@/components/ui/badge";
import { secondaryButtonClass } from "@/components/ui/form";
import { requireMerchant } from "@/lib/auth/current-merchant";
import { getMerchantSettings } from "@/lib/merchants/settings";
import { updatePaymentDefaultsAction, updatePayoutAddressesAction, updateProfileAction } from "./actions";

export const metadata: Metadata = { title: "Settings" };

const NETWORK_NAMES = { bitcoin: "Bitcoin", ethereum: "Ethereum", tron: "Tron" } as const;

export default async function MerchantSettingsPage() {
  const merchant = await requireMerchant("/merchant/settings");
  const settings = await getMerchantSettings(await getDb(), merchant.id);
  if (!settings) notFound();
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
        <p className="mt-1 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
          Each section saves on its own. Changes apply to the next invoice you create; invoices already issued keep the terms
          they were created with.
        </p>
      </div>

      <SettingsSection id="profile" title="Profile" description="Your business name, the email you sign in with, and where buyers return after paying.">
        <SettingsProfileForm action={updateProfileAction} initial={{ ...settings.profile, redirectUrl: settings.payment.redirectUrl }} />
      </SettingsSection>

      <SettingsSection
        id="payment-defaults"
        title="Payment defaults"
        description="Used by every new invoice whose request does not set them itself."
      >
        <SettingsPaymentForm action={updatePaymentDefaultsAction} initial={settings.payment} />
      </SettingsSection>

      <SettingsSection id="payout" title="Payout addresses" description="Where you settle funds to, per network and mode. Checked against the network's address format and checksum.">
        {settings.wallets.length === 0 ? (
          <EmptyWallets />
        ) : (
          <SettingsPayoutForm action={updatePayoutAddressesAction} wallets={settings.wallets} />
        )}
      </SettingsSection>

      <SettingsSection id="keys" title="Extended public keys" description="Invoice addresses are derived from these keys; the server never holds a private key.">
        {settings.wallets.length === 0 ? (
          <EmptyWallets />
        ) : (
          <ul className="mt-4 divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800" data-testid="settings-keys">
            {settings.wallets.map((w) => (
              <li key={`${w.network}-${w.mode}`} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2.5 text-sm">
                <span className="font-medium">{NETWORK_NAMES[w.network]}</span>
                <Badge tone={w.mode === "live" ? "indigo" : "amber"}>{w.mode}</Badge>
                <span className="min-w-0 break-all font-mono text-xs text-zinc-500 dark:text-zinc-400">{w.keySummary}</span>
                <span className="ml-auto text-xs text-zinc-500 dark:text-zinc-400">{w.nextIndex === 1 ? "1 address used" : `${w.nextIndex} addresses used`}</span>
              </li>
            ))}
          </ul>
        )}
        <Link href="/merchant/wallets" className={`mt-4 ${secondaryButtonClass}`}>
          Manage keys in Wallets
        </Link>
      </SettingsSection>
    </div>
  );
}

function EmptyWallets() {
  return (
    <p className="mt-4 rounded-lg border border-dashed border-zinc-300 p-6 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
      No wallet keys yet. Add an extended public key under{" "}
      <Link href="/merchant/wallets" className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">Wallets</Link>{" "}
      first; payout addresses are set per configured network.
    </p>
  );
}
