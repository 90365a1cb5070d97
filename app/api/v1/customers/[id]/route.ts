import { ApiError } from "@/lib/api/errors";
import { apiRoute } from "@/lib/api/handler";
import { findCustomer } from "@/lib/customers/service";

export const GET = apiRoute<{ id: string }>({ permission: "customers:read" }, async ({ db, principal, params }) => {
  const customer = await findCustomer(db, principal.merchantId, params.id);
  if (!customer) throw new ApiError(404, "customer.not_found", "No such customer", { id: params.id });
  return { status: 200, body: customer };
});
