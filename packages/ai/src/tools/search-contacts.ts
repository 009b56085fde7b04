import { assistant } from "@omnicrm/core";
import { tool } from "ai";
import { z } from "zod";
import { audited, contactUrl, withheldNote, type ToolContext } from "./context.ts";

export const searchContactsInput = z.object({
  query: z
    .string()
    .max(200)
    .optional()
    .describe(
      "Part of a name, an email address or a phone number. Leave out to list recent clients.",
    ),
  stage: z
    .string()
    .max(40)
    .optional()
    .describe('A lifecycle stage such as "lead", "active" or "past".'),
  limit: z.number().int().min(1).max(25).optional().describe("How many to return (default 10)."),
});

export function searchContactsTool(ctx: ToolContext) {
  return tool({
    description:
      "Find the practitioner's clients by name, email or phone, optionally in one stage. Returns each client's id, stage, tags and when they were last and next seen.",
    inputSchema: searchContactsInput,
    execute: (input) =>
      audited(ctx, "searchContacts", input, async () => {
        const found = await assistant.searchContactsForAssistant(ctx.db, ctx.actor, {
          query: input.query,
          stage: input.stage,
          limit: input.limit ?? 10,
        });
        const note = withheldNote(found.withheld);
        return {
          result: {
            contacts: found.contacts.map((c) => ({ ...c, url: contactUrl(c.id) })),
            ...(note ? { note } : {}),
          },
          contactIds: found.contacts.map((c) => c.id),
        };
      }),
  });
}
