import { asc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db";
import { auditEntries, invoices, outboxEvents, payments, systemConfiguration } from "@/db/schema";
import { SYSTEM_AUDIT } from "@/lib/audit";
import { createInvoiceRecord, type CreateInvoiceCommand } from "@/lib/invoices/create-invoice";
import { DEFAULT_SYSTEM_CONFIG, invalidateSystemConfig } from "@/lib/system-config";
import { seedFreshRates } from "./merchant-fixtures";

/**
 * What every payment-flow test starts from: a system configuration that reaches no network (no
 * rate providers, no chain URLs; the test names its own chain) and fresh stored exchange rates.
 */
export async function preparePaymentDatabase(db: Db): Promise<void> {
  await db.insert(systemConfiguration).values({
    ...DEFAULT_SYSTEM_CONFIG,
    exchangeRateProviders: [{ id: "static", enabled: false, priority: 1 }],
    blockchainNetworks: DEFAULT_SYSTEM_CONFIG.blockchainNetworks.map((n) => ({ network: n.network, testnet: n.testnet, confirmationTiers: n.confirmationTiers })),
  });
  invalidateSystemConfig(db);
  await seedFreshRates(db);
}

/** Reads of an invoice with its payments, and of events in the order they were written. */
export function paymentQueries(database: () => Db) {
  const eventsOf = (ids: string[]) =>
    database()
      .select({ type: outboxEvents.eventType, payload: outboxEvents.payload, aggregateId: outboxEvents.aggregateId })
      .from(outboxEvents)
      .where(inArray(outboxEvents.aggregateId, ids))
      .orderBy(asc(outboxEvents.sequence));
  return {
    async state(invoiceId: string) {
      const db = database();
      const [row] = await db.select().from(invoices).where(eq(invoices.id, invoiceId));
      const rows = await db.select().from(payments).where(eq(payments.invoiceId, invoiceId)).orderBy(asc(payments.detectedAt));
      return { invoice: row!, payments: rows };
    },
    eventsOf,
    /** The event types of these aggregates, in the order they were written. */
    async typesOf(ids: string[]) {
      return (await eventsOf(ids)).map((e) => e.type);
    },
    /** The invoice's status changes as the audit trail records them ({from, to}), in no particular order. */
    async invoiceMoves(invoiceId: string) {
      const rows = await database()
        .select({ event: auditEntries.event, data: auditEntries.data })
        .from(auditEntries)
        .where(eq(auditEntries.invoiceId, invoiceId));
      return rows.filter((r) => r.event.startsWith("invoice.") && r.event !== "invoice.created").map((r) => ({ event: r.event, from: r.data.from, to: r.data.to }));
    },
  };
}

/** A test-mode invoice of one `usd`-dollar item, with a 0.5 % / 1 % tolerance and refunds of excess. */
export async function testInvoice(
  db: Db,
  merchantId: string,
  usd: bigint,
  payIn: { cryptoCurrency: CreateInvoiceCommand["cryptoCurrency"]; network: CreateInvoiceCommand["network"] },
  extra: Partial<CreateInvoiceCommand> = {},
) {
  const { invoice } = await createInvoiceRecord(
    db,
    {
      merchantId,
      mode: "test",
      title: "Order",
      currency: "USD",
      items: [{ description: "Item", quantity: 1n, unitPriceMinor: usd * 100n }],
      ...payIn,
      tolerance: { underpaymentBps: 50, overpaymentBps: 100, overpaymentAction: "refund" },
      ...extra,
    },
    SYSTEM_AUDIT,
  );
  return invoice;
}
