import { ApiError } from "@/lib/api/errors";
import { apiRoute } from "@/lib/api/handler";
import { CancelInvoiceBody } from "@/lib/api/schemas";
import { cancelInvoice } from "@/lib/invoices/cancel-invoice";
import { findInvoice, isUuid } from "@/lib/invoices/queries";

export const POST = apiRoute<{ id: string }>({ permission: "invoices:write" }, async ({ db, principal, params, body, audit }) => {
  const { reason } = body(CancelInvoiceBody);
  const scope = { merchantId: principal.merchantId, livemode: principal.livemode };
  if (!isUuid(params.id)) throw new ApiError(404, "invoice.not_found", "No such invoice", { id: params.id });
  await cancelInvoice(db, scope, params.id, reason ?? null, audit);
  return { status: 200, body: await findInvoice(db, scope, params.id) };
});
