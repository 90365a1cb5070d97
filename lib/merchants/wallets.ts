import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import type { Db, Executor } from "@/db";
import { isUniqueViolation } from "@/db/errors";
import { merchantPayoutSettings, merchantWallets } from "@/db/schema";
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

/**
 * Takes the next unused index for (merchant, network, mode) if it is one of `addresses`'s indexes
 * (`firstIndex`, `firstIndex` + 1, …, given as a jsonb array of the addresses the caller derived
 * for them) and the key is still `extendedPublicKey`; returns that `index` and its `address`, or no
 * row (and takes nothing) otherwise. Meant as the first CTE of one statement that also writes what
 * uses the index: the row is then locked only while that statement runs, never across a round
 * trip to Node. Values may be drizzle placeholders.
 */
export function takeNextIndexFromCandidates(wallet: {
  merchantId: unknown;
  network: unknown;
  mode: unknown;
  extendedPublicKey: unknown;
  firstIndex: unknown;
  addresses: unknown;
}): SQL {
  const first = sql`${wallet.firstIndex}::integer`;
  const addresses = sql`${wallet.addresses}::jsonb`;
  return sql`update merchant_wallets set next_index = next_index + 1
    where merchant_id = ${wallet.merchantId} and network = ${wallet.network} and mode = ${wallet.mode}
      and extended_public_key = ${wallet.extendedPublicKey}
      and next_index >= ${first} and next_index < ${first} + jsonb_array_length(${addresses})
    returning next_index - 1 as index, ${addresses} ->> (next_index - 1 - ${first}) as address`;
}

export function walletNotConfigured(network: Network, mode: WalletMode): DomainError {
  return new DomainError(
    "wallet.not_configured",
    `No ${mode} extended public key is configured for ${network}; add one under Settings → Wallets`,
    { network, mode },
  );
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
  if (!row) throw walletNotConfigured(network, mode);
  return { index: row.nextIndex - 1, extendedPublicKey: row.extendedPublicKey };
}

/** What invoice creation reads from merchant_payout_settings. */
export type InvoicePayoutSettings = Pick<
  typeof merchantPayoutSettings.$inferSelect,
  "invoiceExpiryMinutes" | "underpaymentThresholdBps" | "overpaymentThresholdBps" | "overpaymentAction" | "redirectUrl"
>;

/**
 * The key, its next unused index and the merchant's payout settings, for invoice creation to
 * derive the candidate addresses before it takes an index (takeNextIndexFromCandidates).
 */
function invoiceWalletQuery(db: Executor) {
  return db
    .select({
      extendedPublicKey: merchantWallets.extendedPublicKey,
      nextIndex: merchantWallets.nextIndex,
      payout: {
        invoiceExpiryMinutes: merchantPayoutSettings.invoiceExpiryMinutes,
        underpaymentThresholdBps: merchantPayoutSettings.underpaymentThresholdBps,
        overpaymentThresholdBps: merchantPayoutSettings.overpaymentThresholdBps,
        overpaymentAction: merchantPayoutSettings.overpaymentAction,
        redirectUrl: merchantPayoutSettings.redirectUrl,
      },
    })
    .from(merchantWallets)
    .leftJoin(merchantPayoutSettings, eq(merchantPayoutSettings.merchantId, merchantWallets.merchantId))
    .where(
      and(
        eq(merchantWallets.merchantId, sql.placeholder("merchantId")),
        eq(merchantWallets.network, sql.placeholder("network")),
        eq(merchantWallets.mode, sql.placeholder("mode")),
      ),
    );
}

export type InvoiceWallet = { extendedPublicKey: string; nextIndex: number; payout: InvoicePayoutSettings | null };

/** Prepared once per database handle: it runs on the pool for every invoice. */
const invoiceWalletStatements = new WeakMap<Executor, ReturnType<typeof prepareInvoiceWalletQuery>>();
const prepareInvoiceWalletQuery = (db: Executor) => invoiceWalletQuery(db).prepare("merchant_wallet_for_invoice");

/**
 * readInvoiceWallet reads without locking. With `lock` (inside the caller's transaction), the
 * wallet row is locked until the transaction ends, so the next index cannot change meanwhile.
 */
export async function readInvoiceWallet(
  db: Executor,
  wallet: { merchantId: string; network: Network; mode: WalletMode },
  options: { lock?: boolean } = {},
): Promise<InvoiceWallet | null> {
  if (options.lock) {
    const [row] = await invoiceWalletQuery(db).for("update", { of: merchantWallets }).execute(wallet);
    return row ?? null;
  }
  let statement = invoiceWalletStatements.get(db);
  if (!statement) invoiceWalletStatements.set(db, (statement = prepareInvoiceWalletQuery(db)));
  const [row] = await statement.execute(wallet);
  return row ?? null;
}
