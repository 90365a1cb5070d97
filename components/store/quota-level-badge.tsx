import { Badge, type BadgeTone } from "@/components/ui/badge";

type Level = "HIGH" | "MEDIUM" | "LOW";
const TONE: Record<Level, BadgeTone> = { HIGH: "indigo", MEDIUM: "sky", LOW: "neutral" };
const LABEL: Record<Level, string> = { HIGH: "High quota", MEDIUM: "Medium quota", LOW: "Low quota" };

export function QuotaLevelBadge({ level }: { level: Level }) {
  return <Badge tone={TONE[level]}>{LABEL[level]}</Badge>;
}
