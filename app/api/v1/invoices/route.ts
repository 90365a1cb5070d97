import { apiRoute } from "@/lib/api/handler";
import { createInvoiceResource, toCreateInvoiceCommand } from "@/lib/api/invoice-commands";
import { CreateInvoiceBody, ListInvoicesQuery } from "@/lib/api/schemas";
import { listInvoices } from "@/lib/invoices/queries";

export const POST = apiRoute({ permission: "invoices:write" }, async ({ principal, body, audit }) => {
  const input = body(CreateInvoiceBody);
  const invoice = await createInvoiceResource(toCreateInvoiceCommand(principal, input), audit);
  return { status: 201, body: invoice };
});

export const GET = apiRoute({ permission: "invoices:read" }, async ({ db, principal, query }) => {
  const q = query(ListInvoicesQuery);
  const page = await listInvoices(
    db,
    { merchantId: principal.merchantId, livemode: principal.livemode },
    {
      limit: q.limit,
      cursor: q.starting_after,
      status: q.status,
      createdFrom: q.created_gte ? new Date(q.created_gte) : undefined,
      createdTo: q.created_lte ? new Date(q.created_lte) : undefined,
      customerId: q.customer_id,
      q: q.q,
    },
  );
  return { status: 200, body: { object: "list", data: page.data, has_more: page.hasMore, next_cursor: page.nextCursor } };
});
