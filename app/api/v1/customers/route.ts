import { apiRoute } from "@/lib/api/handler";
import { CreateCustomerBody, ListCustomersQuery } from "@/lib/api/schemas";
import { createCustomer, listCustomers } from "@/lib/customers/service";

export const POST = apiRoute({ permission: "customers:write" }, async ({ db, principal, body, audit }) => {
  const input = body(CreateCustomerBody);
  return { status: 201, body: await createCustomer(db, principal.merchantId, input, audit) };
});

export const GET = apiRoute({ permission: "customers:read" }, async ({ db, principal, query }) => {
  const q = query(ListCustomersQuery);
  const page = await listCustomers(db, principal.merchantId, { limit: q.limit, cursor: q.starting_after, status: q.status, email: q.email });
  return { status: 200, body: { object: "list", data: page.data, has_more: page.hasMore, next_cursor: page.nextCursor } };
});
