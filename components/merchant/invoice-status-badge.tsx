import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { InvoiceStatus } from "@/lib/domain";

const STATUS_TONE: Record<InvoiceStatus, BadgeTone> = {
  pending: "sky",
  partial: "amber",
  confirming: "indigo",
  paid: "green",
  expired: "neutral",
  cancelled: "neutral",
  refunded: "red",
};

const EXCEPTION_LABEL: Record<string, string> = { underpaid: "underpaid", overpaid: "overpaid", paid_late: "paid late" };

/** An invoice's status, plus its exception (underpaid, overpaid, paid late) when it has one. */
export function InvoiceStatusBadge({ status, exception }: { status: InvoiceStatus; exception?: string }) {
  const label = exception ? EXCEPTION_LABEL[exception] : undefined;
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <Badge tone={STATUS_TONE[status]}>{status}</Badge>
      {label && <Badge tone="amber">{label}</Badge>}
    </span>
  );
}
