import { builtInStages } from "@omnicrm/api/schemas";
import { Badge } from "@/components/ui/badge";

export function stageLabel(stage: string): string {
  return builtInStages.find((s) => s.key === stage)?.label ?? stage;
}

export function StageBadge({ stage }: { stage: string }) {
  return (
    <Badge variant={stage === "active" ? "default" : stage === "lead" ? "secondary" : "outline"}>
      {stageLabel(stage)}
    </Badge>
  );
}
