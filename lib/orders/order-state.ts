import type { OrderStatus } from "@/db/schema";
import { DomainError } from "@/lib/domain";

/**
 * The order's one transition function (db/schema/orders.ts draws the machine). Target-driven like
 * the account's: settlement knows where the order must go, and this says whether it may.
 *
 *   reserved → paid | expired | cancelled
 *   reserved → unfulfillable   paid on time, but the account was taken off sale meanwhile
 *                              (MAINTENANCE cannot be sold): the buyer is refunded
 *   expired  → paid | unfulfillable   paid late
 */
const ORDER_EDGES: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = Object.freeze({
  reserved: ["paid", "expired", "cancelled", "unfulfillable"],
  expired: ["paid", "unfulfillable"],
  paid: [],
  cancelled: [],
  unfulfillable: [],
});

export function transitionOrder(from: OrderStatus, to: OrderStatus): OrderStatus {
  if (!ORDER_EDGES[from]?.includes(to)) {
    throw new DomainError("order.illegal_transition", `Illegal order transition from "${from}" to "${to}"`, { from, to });
  }
  return to;
}
