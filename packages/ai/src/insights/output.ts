// The structured answer an insight asks the model for, and how it is cleaned up to fit what
// is stored (the model's words, trimmed, in the column lengths).
import { assistant } from "@omnicrm/core";
import { z } from "zod";

const sentence = (description: string) => z.string().trim().min(1).describe(description);

export const insightOutputSchema = z.object({
  summary: sentence(
    "2 to 4 plain, factual sentences: who the client is to the practice, what happened lately, what to keep in mind.",
  ),
  nextAction: sentence(
    "One concrete next step for the practitioner, one sentence starting with a verb.",
  ),
  engagement: z
    .enum(assistant.ENGAGEMENT_LEVELS)
    .describe(
      "engaged, steady, cooling, at_risk or new (rhythm.suggestedEngagement unless the record clearly says otherwise).",
    ),
  engagementReason: sentence("One sentence saying why the client has this engagement."),
});
export type InsightOutput = z.infer<typeof insightOutputSchema>;

const LIMITS = { summary: 2000, nextAction: 500, engagementReason: 500 } as const;

function fit(text: string, max: number): string {
  const clean = text.replace(/\s+/g, " ").trim();
  const chars = Array.from(clean);
  return chars.length <= max
    ? clean
    : `${chars
        .slice(0, max - 1)
        .join("")
        .trimEnd()}…`;
}

/** The model's answer with whitespace collapsed and each text cut to what the table holds. */
export function normalizeInsightOutput(output: InsightOutput): InsightOutput {
  return {
    summary: fit(output.summary, LIMITS.summary),
    nextAction: fit(output.nextAction, LIMITS.nextAction),
    engagement: output.engagement,
    engagementReason: fit(output.engagementReason, LIMITS.engagementReason),
  };
}
