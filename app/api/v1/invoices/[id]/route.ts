import { ApiError } from "@/lib/api/errors";
import { apiRoute } from "@/lib/api/handler";
import { findInvoice } from "@/lib/invoices/queries";

export const GET = apiRoute<{ id: string }>({ permission: "invoices:read" }, async ({ db, principal, params }) => {
  const invoice = await findInvoice(db, { merchantId: principal.merchantId, livemode: principal.livemode }, params.id);
  if (!invoice) throw new ApiError(404, "invoice.not_found", "No such invoice", { id: params.id });
  return { status: 200, body: invoice };
});
