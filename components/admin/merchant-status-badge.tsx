import { Badge, type BadgeTone } from "@/components/ui/badge";
import { money, type MerchantStatus, type PlanType } from "@/lib/domain";
import { formatFiat } from "@/lib/format";
import type { Volume } from "@/lib/merchants/admin-queries";

const TONE: Record<MerchantStatus, BadgeTone> = { active: "green", pending_verification: "amber", suspended: "red", closed: "neutral" };
const LABEL: Record<MerchantStatus, string> = { active: "Active", pending_verification: "Pending verification", suspended: "Suspended", closed: "Closed" };
const PLAN_TONE: Record<PlanType, BadgeTone> = { free: "neutral", pro: "indigo", enterprise: "sky" };

export function MerchantStatusBadge({ status }: { status: MerchantStatus }) {
  return <Badge tone={TONE[status]}>{LABEL[status]}</Badge>;
}

export function MerchantPlanBadge({ plan }: { plan: PlanType }) {
  return <Badge tone={PLAN_TONE[plan]}>{plan[0]!.toUpperCase() + plan.slice(1)}</Badge>;
}

/** Paid live volume per currency, "$1,200.00 · €80.00", exact from minor units. */
export function formatVolumes(volumes: Volume[]): string {
  if (volumes.length === 0) return "no paid volume";
  return volumes.map((v) => formatFiat(money(v.totalMinor, v.currency) as never)).join(" · ");
}
