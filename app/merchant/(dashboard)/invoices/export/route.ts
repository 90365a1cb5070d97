import { getDb } from "@/db";
import { currentMerchant } from "@/lib/auth/current-merchant";
import { streamInvoiceCsv } from "@/lib/invoices/dashboard-csv";
import { parseInvoiceListQuery } from "@/lib/invoices/dashboard-params";

/** GET /merchant/invoices/export?<the list's filters>: every matching invoice as CSV, streamed. */
export async function GET(request: Request): Promise<Response> {
  const merchant = await currentMerchant();
  if (!merchant) return Response.json({ code: "unauthenticated", message: "Sign in as a merchant to export invoices." }, { status: 401 });
  const { query, errors } = parseInvoiceListQuery(new URL(request.url).searchParams);
  const [field, message] = Object.entries(errors)[0] ?? [];
  if (field) return Response.json({ code: "invalid_filter", message, field }, { status: 400 });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(streamInvoiceCsv(await getDb(), merchant.id, query), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="invoices-${query.mode}-${day}.csv"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
