import { and, eq, sql } from "drizzle-orm";
import type { Db, Executor } from "@/db";
import { customers, exchangeRates, invoiceItems, invoices, merchantPayoutSettings } from "@/db/schema";
import { recordAudit, type AuditContext } from "@/lib/audit";
import { deriveAddress, parseExtendedPublicKey } from "@/lib/chains/addresses";
import {
  assertAssetOnNetwork,
  convertFiatToCrypto,
  createExchangeRate,
  createInvoicePricing,
  DomainError,
  money,
  requiredConfirmationsFor,
  type CryptoCurrency,
  type FiatCurrency,
  type Network,
  type OverpaymentAction,
} from "@/lib/domain";
import { recordEvent } from "@/lib/events/outbox";
import { allocateAddressIndex, type WalletMode } from "@/lib/merchants/wallets";
import { ensureFreshRate, RatesUnavailableError } from "@/lib/rates/service";
import { getSystemConfig } from "@/lib/system-config";

/**
 * CreateInvoice: prices the items, locks an exchange rate, converts exactly (rounded up), takes a
 * fresh derivation index and address, and writes the invoice, its items, an AuditEntry and the
 * InvoiceCreated event in one transaction. If any step fails nothing is written.
 */

export type CreateInvoiceCommand = {
  merchantId: string;
  mode: WalletMode;
  title: string;
  description?: string | null;
  reference?: string | null;
  currency: FiatCurrency;
  items: { description: string; quantity: bigint; unitPriceMinor: bigint }[];
  taxMinor?: bigint;
  cryptoCurrency: CryptoCurrency;
  network: Network;
  customer?: { id: string } | { email: string } | null;
  expiresInMinutes?: number | null;
  tolerance?: { underpaymentBps?: number; overpaymentBps?: number; overpaymentAction?: OverpaymentAction };
  redirectUrl?: string | null;
  metadata?: Record<string, string>;
  paymentLinkId?: string | null;
  now?: Date;
};

export type CreateInvoiceDeps = {
  /** Fetches fresh quotes when no valid stored rate exists (providers in production). */
  refreshRates?: () => Promise<void>;
};

/** Parsed xpubs are kept per key: parsing costs more than deriving one child. */
const parsedKeys = new Map<string, ReturnType<typeof parseExtendedPublicKey>>();

function addressFor(network: Network, key: string, index: number, testnet: boolean): string {
  const cacheKey = `${network}:${testnet}:${key}`;
  let parsed = parsedKeys.get(cacheKey);
  if (!parsed) {
    parsed = parseExtendedPublicKey(network, key, { testnet });
    if (parsedKeys.size > 1000) parsedKeys.clear();
    parsedKeys.set(cacheKey, parsed);
  }
  return deriveAddress(parsed, index);
}

async function resolveCustomer(
  tx: Executor,
  merchantId: string,
  ref: CreateInvoiceCommand["customer"],
  now: Date,
): Promise<string | null> {
  if (!ref) return null;
  if ("id" in ref) {
    const [row] = await tx
      .select({ id: customers.id, status: customers.status })
      .from(customers)
      .where(and(eq(customers.id, ref.id), eq(customers.merchantId, merchantId)));
    if (!row) throw new DomainError("customer.not_found", "No such customer", { customerId: ref.id });
    if (row.status === "blocked") {
      throw new DomainError("customer.blocked", "This customer is blocked and cannot be invoiced", { customerId: row.id });
    }
    await tx.update(customers).set({ lastSeenAt: now }).where(eq(customers.id, row.id));
    return row.id;
  }
  const email = ref.email.trim();
  await tx
    .insert(customers)
    .values({ merchantId, email, lastSeenAt: now })
    .onConflictDoNothing();
  const [row] = await tx
    .select({ id: customers.id, status: customers.status })
    .from(customers)
    .where(and(eq(customers.merchantId, merchantId), eq(sql`lower(${customers.email})`, email.toLowerCase())));
  if (!row) throw new DomainError("customer.not_found", "The customer could not be created", { email });
  if (row.status === "blocked") {
    throw new DomainError("customer.blocked", "This customer is blocked and cannot be invoiced", { customerId: row.id });
  }
  return row.id;
}

export async function createInvoice(
  db: Db,
  command: CreateInvoiceCommand,
  context: AuditContext,
  deps: CreateInvoiceDeps = {},
) {
  return (await createInvoiceRecord(db, command, context, deps)).invoice;
}

/** CreateInvoice, returning what was written (invoice, items, locked rate) so callers need not re-read it. */
export async function createInvoiceRecord(
  db: Db,
  command: CreateInvoiceCommand,
  context: AuditContext,
  deps: CreateInvoiceDeps = {},
) {
  const now = command.now ?? new Date();
  assertAssetOnNetwork(command.cryptoCurrency, command.network);
  const pricing = createInvoicePricing({
    currency: command.currency,
    items: command.items.map((item) => ({
      description: item.description,
      quantity: item.quantity,
      unitPrice: money(item.unitPriceMinor, command.currency),
    })),
    tax: money(command.taxMinor ?? 0n, command.currency),
  });

  const config = await getSystemConfig(db);
  const quote = await ensureFreshRate(db, command.currency, command.cryptoCurrency, {
    now,
    refresh: deps.refreshRates ?? (async () => {}),
  });
  if (!quote) throw new RatesUnavailableError(command.currency, command.cryptoCurrency);

  const networkConfig = config.blockchainNetworks.find((n) => n.network === command.network);
  const requiredConfirmations = networkConfig
    ? requiredConfirmationsFor(networkConfig.confirmationTiers, pricing.total.amount)
    : 1;

  return db.transaction(async (tx) => {
    const [payout] = await tx
      .select()
      .from(merchantPayoutSettings)
      .where(eq(merchantPayoutSettings.merchantId, command.merchantId));
    const expiryMinutes =
      command.expiresInMinutes ?? payout?.invoiceExpiryMinutes ?? config.paymentSettings.defaultExpiryMinutes;
    const expiresAt = new Date(now.getTime() + expiryMinutes * 60_000);

    // Lock the quote for this invoice: the rate is fixed from now until the invoice expires.
    const locked = createExchangeRate({
      from: command.currency,
      to: command.cryptoCurrency,
      rate: quote.rate,
      source: quote.source,
      lockedAt: now,
      expiresAt,
    });
    const cryptoAmount = convertFiatToCrypto(pricing.total, locked, now);
    const [rateRow] = await tx
      .insert(exchangeRates)
      .values({
        fromCurrency: command.currency,
        toCurrency: command.cryptoCurrency,
        rate: locked.rate,
        source: locked.source,
        lockedAt: now,
        expiresAt,
      })
      .returning({
        id: exchangeRates.id,
        rate: exchangeRates.rate,
        source: exchangeRates.source,
        lockedAt: exchangeRates.lockedAt,
        expiresAt: exchangeRates.expiresAt,
      });

    const customerId = await resolveCustomer(tx, command.merchantId, command.customer, now);
    const testnet = command.mode === "test";
    const { index, extendedPublicKey } = await allocateAddressIndex(tx, command.merchantId, command.network, command.mode);
    const paymentAddress = addressFor(command.network, extendedPublicKey, index, testnet);

    const [invoice] = await tx
      .insert(invoices)
      .values({
        merchantId: command.merchantId,
        customerId,
        livemode: !testnet,
        reference: command.reference ?? null,
        title: command.title,
        description: command.description ?? null,
        fiatCurrency: command.currency,
        subtotalMinor: pricing.subtotal.amount,
        taxMinor: pricing.tax.amount,
        totalMinor: pricing.total.amount,
        cryptoCurrency: command.cryptoCurrency,
        network: command.network,
        cryptoAmount: cryptoAmount.amount,
        exchangeRateId: rateRow!.id,
        paymentAddress,
        derivationIndex: index,
        addressGeneratedAt: now,
        underpaymentThresholdBps: command.tolerance?.underpaymentBps ?? payout?.underpaymentThresholdBps ?? 50,
        overpaymentThresholdBps: command.tolerance?.overpaymentBps ?? payout?.overpaymentThresholdBps ?? 100,
        overpaymentAction: command.tolerance?.overpaymentAction ?? payout?.overpaymentAction ?? "credit",
        requiredConfirmations,
        metadata: command.metadata ?? {},
        redirectUrl: command.redirectUrl ?? payout?.redirectUrl ?? null,
        paymentLinkId: command.paymentLinkId ?? null,
        expiresAt,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const items = await tx.insert(invoiceItems).values(
      command.items.map((item, position) => ({
        invoiceId: invoice!.id,
        position,
        description: item.description,
        quantity: Number(item.quantity),
        unitPriceMinor: item.unitPriceMinor,
        amountMinor: item.unitPriceMinor * item.quantity,
      })),
    ).returning();
    await recordAudit(
      tx,
      {
        merchantId: command.merchantId,
        invoiceId: invoice!.id,
        event: "invoice.created",
        at: now,
        data: {
          total: pricing.total.amount,
          currency: command.currency,
          cryptoAmount: cryptoAmount.amount,
          cryptoCurrency: command.cryptoCurrency,
          network: command.network,
          rate: locked.rate,
          rateSource: locked.source,
          paymentAddress,
          derivationIndex: index,
        },
      },
      context,
    );
    await recordEvent(tx, {
      aggregateType: "invoice",
      aggregateId: invoice!.id,
      merchantId: command.merchantId,
      eventType: "InvoiceCreated",
      actor: context.actor,
      occurredAt: now,
      payload: {
        invoiceId: invoice!.id,
        merchantId: command.merchantId,
        amount: { total: pricing.total.amount, currency: command.currency },
        crypto: { amount: cryptoAmount.amount, currency: command.cryptoCurrency, network: command.network },
      },
    });
    return { invoice: invoice!, items, rate: rateRow! };
  });
}
