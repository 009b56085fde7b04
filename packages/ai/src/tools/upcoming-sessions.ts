import { assistant } from "@omnicrm/core";
import { tool } from "ai";
import { z } from "zod";
import { audited, contactUrl, withheldNote, type ToolContext } from "./context.ts";

export const upcomingSessionsInput = z.object({
  days: z.number().int().min(1).max(60).optional().describe("How many days ahead (default 7)."),
});

export function upcomingSessionsTool(ctx: ToolContext) {
  return tool({
    description:
      "List the practitioner's upcoming sessions from their synced calendar, soonest first, with the clients attending.",
    inputSchema: upcomingSessionsInput,
    execute: (input) =>
      audited(ctx, "upcomingSessions", input, async () => {
        const found = await assistant.upcomingForAssistant(ctx.db, ctx.actor, {
          days: input.days ?? 7,
          now: ctx.now?.(),
        });
        const note = withheldNote(found.withheld);
        return {
          result: {
            sessions: found.sessions.map((s) => ({
              ...s,
              contacts: s.contacts.map((c) => ({ ...c, url: contactUrl(c.id) })),
            })),
            ...(note ? { note } : {}),
          },
          contactIds: found.sessions.flatMap((s) => s.contacts.map((c) => c.id)),
          records: { interactions: found.sessions.map((s) => s.id) },
        };
      }),
  });
}
