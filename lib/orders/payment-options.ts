import { eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { merchantWallets } from "@/db/schema";
import { ASSET_NETWORKS, CRYPTO_CURRENCIES, NETWORKS, type CryptoCurrency, type Network } from "@/lib/domain";
import type { WalletMode } from "@/lib/merchants/wallets";
import { findStoreMerchant } from "@/lib/store/merchant";

/** A coin on a network the store can be paid with, and whether that is real money. */
export type PaymentOption = { value: string; cryptoCurrency: CryptoCurrency; network: Network; mode: WalletMode; label: string };

const NETWORK_LABELS: Record<Network, string> = { bitcoin: "Bitcoin", ethereum: "Ethereum", tron: "Tron" };

/** "USDT:ethereum": how a form names an option. */
export const paymentOptionValue = (cryptoCurrency: CryptoCurrency, network: Network) => `${cryptoCurrency}:${network}`;

/**
 * What the store can take: on each network it has a wallet for, live payments when it has a live
 * key there, else test payments; every coin of that network. Ordered by network, then coin.
 */
export async function listPaymentOptions(db: Executor, merchantId: string): Promise<PaymentOption[]> {
  const wallets = await db
    .select({ network: merchantWallets.network, mode: merchantWallets.mode })
    .from(merchantWallets)
    .where(eq(merchantWallets.merchantId, merchantId));
  const options: PaymentOption[] = [];
  for (const network of NETWORKS) {
    const modes = wallets.filter((w) => w.network === network).map((w) => w.mode);
    const mode: WalletMode | null = modes.includes("live") ? "live" : modes.includes("test") ? "test" : null;
    if (!mode) continue;
    for (const cryptoCurrency of CRYPTO_CURRENCIES) {
      if (!ASSET_NETWORKS[cryptoCurrency].includes(network)) continue;
      const label = `${cryptoCurrency} on ${NETWORK_LABELS[network]}${mode === "test" ? " (test network)" : ""}`;
      options.push({ value: paymentOptionValue(cryptoCurrency, network), cryptoCurrency, network, mode, label });
    }
  }
  return options;
}

/** The store's payment options, none when no store merchant is set up. */
export async function listStorePaymentOptions(db: Executor): Promise<PaymentOption[]> {
  const store = await findStoreMerchant(db);
  return store ? listPaymentOptions(db, store.id) : [];
}
