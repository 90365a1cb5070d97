import { getDb } from "@/db";
import { findPublicInvoice } from "@/lib/invoices/queries";

/**
 * The hosted checkout's live status: public and read-only. It returns only what the checkout page
 * already shows (amounts, address, status), never customer, metadata or merchant internals.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ invoiceId: string }> }) {
  const { invoiceId } = await params;
  const view = await findPublicInvoice(await getDb(), invoiceId);
  if (!view) {
    return Response.json(
      { error: { code: "invoice.not_found", message: "No such invoice", details: {} } },
      { status: 404, headers: { "cache-control": "no-store" } },
    );
  }
  return Response.json(view, { headers: { "cache-control": "no-store" } });
}
