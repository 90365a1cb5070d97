import { and, asc, eq, sql } from "drizzle-orm";
import type { Db, Executor } from "@/db";
import { isUniqueViolation } from "@/db/errors";
import { merchantWallets } from "@/db/schema";
import { recordAudit, type AuditContext } from "@/lib/audit";
import { deriveAddress, parseExtendedPublicKey } from "@/lib/chains/addresses";
import { DomainError, type Network } from "@/lib/domain";

/**
 * The merchant's extended public keys, one per network and mode. Addresses are derived from them
 * per invoice at an index taken from `next_index` in the invoice's own transaction, so an index is
 * never handed out twice, even under concurrent requests.
 */

export type WalletMode = "live" | "test";

export type MerchantWalletSummary = {
  network: Network;
  mode: WalletMode;
  extendedPublicKey: string;
  nextIndex: number;
  updatedAt: Date;
};

export async function listMerchantWallets(db: Executor, merchantId: string): Promise<MerchantWalletSummary[]> {
  return db
    .select({
      network: merchantWallets.network,
      mode: merchantWallets.mode,
      extendedPublicKey: merchantWallets.extendedPublicKey,
      nextIndex: merchantWallets.nextIndex,
      updatedAt: merchantWallets.updatedAt,
    })
    .from(merchantWallets)
    .where(eq(merchantWallets.merchantId, merchantId))
    .orderBy(asc(merchantWallets.network), asc(merchantWallets.mode));
}

/** Validates the key for its network and mode and stores it; returns the first addresses it yields. */
export async function configureMerchantWallet(
  db: Db,
  merchantId: string,
  input: { network: Network; mode: WalletMode; extendedPublicKey: string },
  context: AuditContext,
): Promise<{ preview: string[] }> {
  const key = input.extendedPublicKey.trim();
  const parsed = parseExtendedPublicKey(input.network, key, { testnet: input.mode === "test" });
  const preview = [0, 1, 2].map((i) => deriveAddress(parsed, i));
  try {
    await db.transaction(async (tx) => {
      const [existing] = await tx
        .select({ key: merchantWallets.extendedPublicKey })
        .from(merchantWallets)
        .where(
          and(
            eq(merchantWallets.merchantId, merchantId),
            eq(merchantWallets.network, input.network),
            eq(merchantWallets.mode, input.mode),
          ),
        )
        .for("update");
      if (existing?.key === key) return;
      if (existing) {
        // A new key starts a new address sequence at 0.
        await tx
          .update(merchantWallets)
          .set({ extendedPublicKey: key, nextIndex: 0 })
          .where(
            and(
              eq(merchantWallets.merchantId, merchantId),
              eq(merchantWallets.network, input.network),
              eq(merchantWallets.mode, input.mode),
            ),
          );
      } else {
        await tx.insert(merchantWallets).values({ merchantId, network: input.network, mode: input.mode, extendedPublicKey: key });
      }
      await recordAudit(
        tx,
        { merchantId, event: "wallet.configured", data: { network: input.network, mode: input.mode, firstAddress: preview[0] } },
        context,
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError("wallet.key_in_use", "This extended public key is already in use by another account", {
        field: "extendedPublicKey",
      });
    }
    throw error;
  }
  return { preview };
}

/** Takes the next unused index for (merchant, network, mode) inside the caller's transaction. */
export async function allocateAddressIndex(
  tx: Executor,
  merchantId: string,
  network: Network,
  mode: WalletMode,
): Promise<{ index: number; extendedPublicKey: string }> {
  const [row] = await tx
    .update(merchantWallets)
    .set({ nextIndex: sql`${merchantWallets.nextIndex} + 1` })
    .where(
      and(eq(merchantWallets.merchantId, merchantId), eq(merchantWallets.network, network), eq(merchantWallets.mode, mode)),
    )
    .returning({ nextIndex: merchantWallets.nextIndex, extendedPublicKey: merchantWallets.extendedPublicKey });
  if (!row) {
    throw new DomainError(
      "wallet.not_configured",
      `No ${mode} extended public key is configured for ${network}; add one under Settings → Wallets`,
      { network, mode },
    );
  }
  return { index: row.nextIndex - 1, extendedPublicKey: row.extendedPublicKey };
}
