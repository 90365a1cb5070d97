import { getDb } from "@/db";
import type { AuditContext } from "@/lib/audit";
import { parseMoney, parsePercentToBps, type Network } from "@/lib/domain";
import { createInvoiceRecord, type CreateInvoiceCommand } from "@/lib/invoices/create-invoice";
import { serializeInvoice } from "@/lib/invoices/queries";
import type { ApiPrincipal } from "@/lib/merchants/api-keys";
import { refreshExchangeRates } from "@/lib/rates/service";
import type { CreateInvoiceBodyInput } from "./schemas";

/** Turns a validated API request into the CreateInvoice command and returns the API resource. */
export function toCreateInvoiceCommand(principal: Pick<ApiPrincipal, "merchantId" | "keyType">, body: CreateInvoiceBodyInput): CreateInvoiceCommand {
  const network: Network = body.network ?? (body.crypto_currency === "BTC" ? "bitcoin" : "ethereum");
  return {
    merchantId: principal.merchantId,
    mode: principal.keyType,
    title: body.title,
    description: body.description ?? null,
    reference: body.reference ?? null,
    currency: body.currency,
    items: body.items.map((item) => ({
      description: item.description,
      quantity: BigInt(item.quantity),
      unitPriceMinor: parseMoney(item.unit_price, body.currency).amount,
    })),
    taxMinor: body.tax ? parseMoney(body.tax, body.currency).amount : 0n,
    cryptoCurrency: body.crypto_currency,
    network,
    customer: body.customer_id ? { id: body.customer_id } : body.customer_email ? { email: body.customer_email } : null,
    expiresInMinutes: body.expires_in_minutes ?? null,
    tolerance: {
      underpaymentBps: body.underpayment_threshold_percent !== undefined ? Number(parsePercentToBps(body.underpayment_threshold_percent)) : undefined,
      overpaymentBps: body.overpayment_threshold_percent !== undefined ? Number(parsePercentToBps(body.overpayment_threshold_percent)) : undefined,
      overpaymentAction: body.overpayment_action,
    },
    redirectUrl: body.redirect_url ?? null,
    metadata: body.metadata,
  };
}

export async function createInvoiceResource(command: CreateInvoiceCommand, audit: AuditContext) {
  const db = await getDb();
  const { invoice, items, rate } = await createInvoiceRecord(db, command, audit, {
    refreshRates: async () => void (await refreshExchangeRates(db)),
  });
  return serializeInvoice(invoice, items, rate);
}
