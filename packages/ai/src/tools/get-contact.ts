import { assistant } from "@omnicrm/core";
import { tool } from "ai";
import { z } from "zod";
import { audited, contactUrl, type ToolContext } from "./context.ts";

export const getContactInput = z.object({
  contactId: z.uuid().describe("The client's id, from searchContacts or another tool."),
});

export function getContactTool(ctx: ToolContext) {
  return tool({
    description:
      "Open one client's record: emails, phones, stage, tags, custom fields, their recent timeline (emails, sessions, notes, changes), recent notes and open tasks.",
    inputSchema: getContactInput,
    execute: (input) =>
      audited(ctx, "getContact", input, async () => {
        const dossier = await assistant.contactForAssistant(ctx.db, ctx.actor, {
          contactId: input.contactId,
        });
        return {
          result: { contact: { ...dossier.contact, url: contactUrl(dossier.contact.id) } },
          contactIds: [dossier.contact.id],
          records: dossier.records,
        };
      }),
  });
}
