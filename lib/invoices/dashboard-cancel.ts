import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { invoices } from "@/db/schema";
import type { AuditContext } from "@/lib/audit";
import { DomainError, IllegalTransitionError } from "@/lib/domain";
import { cancelInvoice } from "./cancel-invoice";
import { isUuid } from "@/lib/uuid";

/**
 * "Cancel invoice" from the dashboard: checks the merchant confirmed, then runs the one
 * CancelInvoice command (lib/invoices/cancel-invoice.ts) in the invoice's own mode. Returns a
 * message for the form rather than throwing, so a refusal reads as plain words.
 */

export type CancelFormState = { error?: string; success?: string; fieldErrors?: Record<string, string> };


export async function cancelInvoiceFromDashboard(
  db: Db,
  merchantId: string,
  input: { invoiceId: string; confirm: string; reason: string },
  audit: AuditContext,
  now = new Date(),
): Promise<CancelFormState> {
  if (!isUuid(input.invoiceId)) return { error: "No such invoice." };
  const reason = input.reason.trim();
  if (reason.length > 500) return { fieldErrors: { reason: "Keep the reason under 500 characters." } };
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(reason)) return { fieldErrors: { reason: "The reason contains control characters." } };
  if (input.confirm !== "yes") return { fieldErrors: { confirm: "Tick the box to confirm the cancellation." } };
  const [row] = await db
    .select({ livemode: invoices.livemode, status: invoices.status })
    .from(invoices)
    .where(and(eq(invoices.id, input.invoiceId), eq(invoices.merchantId, merchantId)));
  if (!row) return { error: "No such invoice." };
  try {
    await cancelInvoice(db, { merchantId, livemode: row.livemode }, input.invoiceId, reason || null, audit, now);
    return { success: "Invoice cancelled. The buyer's checkout page now shows it as cancelled." };
  } catch (error) {
    if (error instanceof IllegalTransitionError) {
      return { error: `This invoice is ${error.from} and can no longer be cancelled: only pending, partly paid or confirming invoices can.` };
    }
    if (error instanceof DomainError) {
      if (error.code === "invoice.not_found") return { error: "No such invoice." };
      if (error.code === "invoice.concurrent_update") return { error: "The invoice changed while you were cancelling it (a payment may have arrived). Reload and check its status." };
      return { error: error.message };
    }
    throw error;
  }
}
