import type { Metadata } from "next";
import { getDb } from "@/db";
import { WalletForm } from "@/components/merchant/wallet-form";
import { Badge } from "@/components/ui/badge";
import { requireMerchant } from "@/lib/auth/current-merchant";
import { listMerchantWallets } from "@/lib/merchants/wallets";
import { configureWalletAction } from "../actions";

export const metadata: Metadata = { title: "Wallets" };

const NETWORK_NAMES = { bitcoin: "Bitcoin", ethereum: "Ethereum (ETH, USDT ERC-20)", tron: "Tron (USDT TRC-20)" } as const;

export default async function WalletsPage() {
  const merchant = await requireMerchant("/merchant/wallets");
  const wallets = await listMerchantWallets(await getDb(), merchant.id);
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Wallets</h1>
        <p className="mt-1 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
          Payments go straight to your own wallet. Paste an extended <strong>public</strong> key per network: every invoice
          gets a fresh address derived from it, and the server never holds a private key. Bitcoin takes a BIP84 account key
          (zpub, or vpub for test mode); Ethereum and Tron take the account xpub of m/44&apos;/60&apos;/0&apos; and
          m/44&apos;/195&apos;/0&apos;.
        </p>
      </div>
      <section className="rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 className="font-semibold">Add or replace a key</h2>
        <WalletForm action={configureWalletAction} />
      </section>
      <section aria-labelledby="configured">
        <h2 id="configured" className="font-semibold">Configured keys</h2>
        {wallets.length === 0 ? (
          <p className="mt-3 rounded-xl border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
            No keys yet: invoices cannot be created until a key exists for their network.
          </p>
        ) : (
          <ul className="mt-3 divide-y divide-zinc-200 overflow-hidden rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900" data-testid="wallet-list">
            {wallets.map((w) => (
              <li key={`${w.network}-${w.mode}`} className="space-y-1 px-4 py-3 text-sm">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">{NETWORK_NAMES[w.network]}</span>
                  <Badge tone={w.mode === "live" ? "indigo" : "amber"}>{w.mode}</Badge>
                  <span className="text-xs text-zinc-500 dark:text-zinc-400">{w.nextIndex === 1 ? "1 address used" : `${w.nextIndex} addresses used`}</span>
                </div>
                <p className="font-mono text-xs break-all text-zinc-500 dark:text-zinc-400">
                  {w.extendedPublicKey.slice(0, 12)}…{w.extendedPublicKey.slice(-8)}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
