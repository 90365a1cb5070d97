import { apiRoute } from "@/lib/api/handler";
import { setCustomerBlocked } from "@/lib/customers/service";

export const POST = apiRoute<{ id: string }>({ permission: "customers:write" }, async ({ db, principal, params, audit }) => ({
  status: 200,
  body: await setCustomerBlocked(db, principal.merchantId, params.id, true, audit),
}));
