import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db, Executor } from "@/db";
import { isUniqueViolation, pgConstraint } from "@/db/errors";
import { accountOrders, accounts } from "@/db/schema";
import type { AuditContext } from "@/lib/audit";
import { DomainError, isInStock } from "@/lib/domain";
import { recordEvent } from "@/lib/events/outbox";
import { createInvoiceRecord } from "@/lib/invoices/create-invoice";
import { ensureFreshRate } from "@/lib/rates/service";
import { findStoreMerchant } from "@/lib/store/merchant";
import { hashAccessToken, orderAccessToken, orderLinkSettings, orderPageUrl, type OrderLinkSettings } from "./access-token";
import { listPaymentOptions } from "./payment-options";
import { hasLiveReservation } from "./reservations";

/**
 * PlaceOrder ("Buy"): reserves an AVAILABLE account for one buyer by creating the store's invoice
 * and a 'reserved' order together, in ONE transaction that holds the account row locked:
 *
 * - the lock serialises every Buy of the account; the one that gets it first inserts its order,
 *   and the others, once they get the lock, see that order (in a statement started after the lock,
 *   so with a snapshot that includes it) and are told "just reserved";
 * - createInvoice runs inside that transaction (it takes a Db, and a transaction is one: its write
 *   statement and its own nested transaction, a savepoint here, join ours), so an order that is
 *   refused leaves no invoice behind, and an invoice never exists without its order;
 * - the partial unique index account_orders_one_live_reservation is the backstop: if it ever
 *   fires, the whole transaction (invoice included) rolls back and the buyer gets the same answer.
 *
 * Rates are made fresh BEFORE the transaction, so no provider is called while the row is locked.
 */

const RESERVATION_INDEX = "account_orders_one_live_reservation";

export const placeOrderSchema = z.object({
  accountId: z.uuid({ error: "Not an account id." }),
  payWith: z.string({ error: "Choose how to pay." }).regex(/^[A-Z]+:[a-z]+$/, "Choose how to pay."),
  email: z
    .union([z.literal(""), z.email("Enter a valid email address, or leave it empty.").max(254, "At most 254 characters.")])
    .nullish()
    .transform((v) => (v ? v : null)),
});
export type PlaceOrderInput = z.input<typeof placeOrderSchema>;

export type PlacedOrder = {
  orderId: string;
  invoiceId: string;
  /** The buyer's order page (absolute). */
  orderUrl: string;
  /** The hosted checkout, relative to the app. */
  checkoutPath: string;
  reservedUntil: Date;
};

export type PlaceOrderDeps = {
  /** Fetches quotes when no valid stored rate exists (providers in production). */
  refreshRates?: () => Promise<void>;
  links?: OrderLinkSettings;
  now?: Date;
};

/** Refusals the storefront explains to the buyer; `field` names the input at fault, if one is. */
export const orderErrors = {
  invalid: (field: string, reason: string) => new DomainError("order.invalid_input", `${field}: ${reason}`, { field, reason }),
  notFound: (accountId: string) => new DomainError("account.not_found", "No such account", { accountId }),
  notAvailable: (accountId: string) =>
    new DomainError("account.not_available", "This account is no longer available", { accountId }),
  justReserved: (accountId: string) =>
    new DomainError("account.just_reserved", "Another buyer has just reserved this account", { accountId }),
  storeClosed: () => new DomainError("store.not_configured", "The store cannot take payments right now"),
  payWith: (payWith: string) =>
    new DomainError("order.payment_option_unavailable", "payWith: the store does not take this coin on this network", {
      field: "payWith",
      reason: "The store does not take this coin on this network.",
      payWith,
    }),
};

export async function placeAccountOrder(
  db: Db,
  input: PlaceOrderInput,
  context: AuditContext,
  deps: PlaceOrderDeps = {},
): Promise<PlacedOrder> {
  const parsed = placeOrderSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw orderErrors.invalid(String(issue.path[0] ?? "input"), issue.message);
  }
  const { accountId, payWith, email } = parsed.data;
  const now = deps.now ?? new Date();
  const links = deps.links ?? orderLinkSettings();

  const store = await findStoreMerchant(db);
  if (!store) throw orderErrors.storeClosed();
  const option = (await listPaymentOptions(db, store.id)).find((o) => o.value === payWith);
  if (!option) throw orderErrors.payWith(payWith);

  // Unlocked first look: most refusals end here, without a transaction or a rate fetch.
  const seen = await readAccountForSale(db, accountId, false);
  await ensureFreshRate(db, seen.priceCurrency, option.cryptoCurrency, { now, refresh: deps.refreshRates ?? (async () => {}) });

  try {
    return await db.transaction(async (tx) => {
      const account = await readAccountForSale(tx, accountId, true);
      const orderId = randomUUID();
      const orderUrl = orderPageUrl(links, orderId);
      const { invoice } = await createInvoiceRecord(
        tx,
        {
          merchantId: store.id,
          mode: option.mode,
          title: `AWS account: ${account.displayName}`,
          reference: `order-${orderId.slice(0, 8)}`,
          currency: account.priceCurrency,
          items: [{ description: account.displayName, quantity: 1n, unitPriceMinor: account.priceMinor }],
          cryptoCurrency: option.cryptoCurrency,
          network: option.network,
          customer: email ? { email } : null,
          redirectUrl: orderUrl,
          metadata: { accountId, orderId },
          now,
        },
        context,
        { refreshRates: async () => {} }, // made fresh above
      );
      await tx.insert(accountOrders).values({
        id: orderId,
        accountId,
        invoiceId: invoice.id,
        priceMinor: account.priceMinor,
        priceCurrency: account.priceCurrency,
        buyerEmail: email,
        accessTokenHash: hashAccessToken(orderAccessToken(orderId, links.authSecret)),
        reservedUntil: invoice.expiresAt,
        createdAt: now,
        updatedAt: now,
      });
      await recordEvent(tx, {
        aggregateType: "account",
        aggregateId: accountId,
        merchantId: store.id,
        eventType: "AccountReserved",
        actor: context.actor,
        occurredAt: now,
        payload: { accountId, orderId, invoiceId: invoice.id, reservedUntil: invoice.expiresAt },
      });
      return { orderId, invoiceId: invoice.id, orderUrl, checkoutPath: `/pay/${invoice.id}`, reservedUntil: invoice.expiresAt };
    });
  } catch (error) {
    if (isUniqueViolation(error) && pgConstraint(error) === RESERVATION_INDEX) throw orderErrors.justReserved(accountId);
    throw error;
  }
}

/**
 * The account as a sale needs it, refusing one that is missing, not AVAILABLE or already held.
 * With `lock` (inside the caller's transaction) the row stays locked until it ends; the reservation
 * check is then a separate statement, so its snapshot is taken after the lock was granted.
 */
async function readAccountForSale(db: Executor, accountId: string, lock: boolean) {
  const query = db
    .select({
      displayName: accounts.displayName,
      status: accounts.status,
      priceMinor: accounts.priceMinor,
      priceCurrency: accounts.priceCurrency,
    })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  const [account] = lock ? await query.for("update") : await query;
  if (!account) throw orderErrors.notFound(accountId);
  if (!isInStock(account.status)) throw orderErrors.notAvailable(accountId);
  if (await hasLiveReservation(db, accountId)) throw orderErrors.justReserved(accountId);
  return account;
}
