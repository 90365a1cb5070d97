import { Badge, type BadgeTone } from "@/components/ui/badge";

const TONE: Record<"HIGH" | "MEDIUM" | "LOW", BadgeTone> = { HIGH: "indigo", MEDIUM: "green", LOW: "neutral" };

export function QuotaLevelBadge({ level }: { level: "HIGH" | "MEDIUM" | "LOW" }) {
  return (
    <Badge tone={TONE[level]}>
      <span className="sr-only">Quota level: </span>
      {level} quota
    </Badge>
  );
}
