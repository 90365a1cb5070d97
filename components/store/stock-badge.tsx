import { Badge } from "@/components/ui/badge";

export function StockBadge({ status }: { status: "AVAILABLE" | "MAINTENANCE" | "SOLD" }) {
  if (status === "AVAILABLE") return <Badge tone="green">In stock</Badge>;
  if (status === "MAINTENANCE") return <Badge tone="amber">Maintenance</Badge>;
  return <Badge tone="red">Sold</Badge>;
}
