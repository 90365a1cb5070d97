import { Badge } from "@/components/ui/badge";

const TONES = { active: "green", blocked: "red", inactive: "neutral" } as const;

export function CustomerStatusBadge({ status }: { status: keyof typeof TONES }) {
  return <Badge tone={TONES[status]}>{status}</Badge>;
}
