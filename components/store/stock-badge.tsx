import { Badge } from "@/components/ui/badge";

/** The account's stock state; `reserved` (an open order holds it for a buyer) only matters while it is AVAILABLE. */
export function StockBadge({ status, reserved = false }: { status: "AVAILABLE" | "MAINTENANCE" | "SOLD"; reserved?: boolean }) {
  if (status === "AVAILABLE") return reserved ? <Badge tone="sky">Reserved</Badge> : <Badge tone="green">In stock</Badge>;
  if (status === "MAINTENANCE") return <Badge tone="amber">Maintenance</Badge>;
  return <Badge tone="red">Sold</Badge>;
}
