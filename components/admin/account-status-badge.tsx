import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { AccountStatus } from "@/lib/domain";

const TONE: Record<AccountStatus, BadgeTone> = { AVAILABLE: "green", MAINTENANCE: "amber", SOLD: "neutral" };
const LABEL: Record<AccountStatus, string> = { AVAILABLE: "Available", MAINTENANCE: "Maintenance", SOLD: "Sold" };

export function AccountStatusBadge({ status, reserved = false }: { status: AccountStatus; reserved?: boolean }) {
  if (reserved && status === "AVAILABLE") return <Badge tone="sky">Reserved</Badge>;
  return <Badge tone={TONE[status]}>{LABEL[status]}</Badge>;
}
