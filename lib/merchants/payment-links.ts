import { and, desc, eq } from "drizzle-orm";
import type { Db, Executor } from "@/db";
import { paymentLinks } from "@/db/schema";
import { recordAudit, type AuditContext } from "@/lib/audit";
import { assertAssetOnNetwork, DomainError, type CryptoCurrency, type FiatCurrency, type Network } from "@/lib/domain";
import { isUuid } from "@/lib/invoices/queries";

/** Reusable payment links: a product and price; each visit mints its own invoice. */

export type PaymentLinkRow = typeof paymentLinks.$inferSelect;

export async function createPaymentLink(
  db: Db,
  merchantId: string,
  input: {
    title: string;
    description: string | null;
    fiatCurrency: FiatCurrency;
    priceMinor: bigint;
    cryptoCurrency: CryptoCurrency;
    network: Network;
    livemode: boolean;
  },
  context: AuditContext,
): Promise<PaymentLinkRow> {
  assertAssetOnNetwork(input.cryptoCurrency, input.network);
  if (input.priceMinor <= 0n) throw new DomainError("payment_link.invalid_price", "The price must be more than zero", { field: "price" });
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(paymentLinks).values({ merchantId, ...input }).returning();
    await recordAudit(tx, { merchantId, event: "payment_link.created", data: { paymentLinkId: row!.id } }, context);
    return row!;
  });
}

export async function listPaymentLinks(db: Executor, merchantId: string): Promise<PaymentLinkRow[]> {
  return db.select().from(paymentLinks).where(eq(paymentLinks.merchantId, merchantId)).orderBy(desc(paymentLinks.createdAt));
}

export async function findActivePaymentLink(db: Executor, id: string): Promise<PaymentLinkRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await db.select().from(paymentLinks).where(and(eq(paymentLinks.id, id), eq(paymentLinks.active, true)));
  return row ?? null;
}

export async function setPaymentLinkActive(db: Db, merchantId: string, id: string, active: boolean, context: AuditContext) {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(paymentLinks)
      .set({ active })
      .where(and(eq(paymentLinks.id, id), eq(paymentLinks.merchantId, merchantId)))
      .returning({ id: paymentLinks.id });
    if (!row) throw new DomainError("payment_link.not_found", "No such payment link");
    await recordAudit(tx, { merchantId, event: active ? "payment_link.activated" : "payment_link.deactivated", data: { paymentLinkId: id } }, context);
  });
}
