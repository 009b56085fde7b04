import { assistant } from "@omnicrm/core";
import { tool } from "ai";
import { z } from "zod";
import { audited, contactUrl, withheldNote, type ToolContext } from "./context.ts";

export const clientsNeedingAttentionInput = z.object({});

export function clientsNeedingAttentionTool(ctx: ToolContext) {
  return tool({
    description:
      "List the active clients who have gone longer than their usual rhythm without contact, and the overdue tasks.",
    inputSchema: clientsNeedingAttentionInput,
    execute: (input) =>
      audited(ctx, "clientsNeedingAttention", input, async () => {
        const found = await assistant.attentionForAssistant(ctx.db, ctx.actor, ctx.now?.());
        const note = withheldNote(found.withheld);
        return {
          result: {
            clients: found.needsAttention.map((c) => ({ ...c, url: contactUrl(c.id) })),
            overdueTasks: found.overdueTasks.map((t) => ({
              ...t,
              contact: t.contact ? { ...t.contact, url: contactUrl(t.contact.id) } : null,
            })),
            ...(note ? { note } : {}),
          },
          contactIds: [
            ...found.needsAttention.map((c) => c.id),
            ...found.overdueTasks.flatMap((t) => (t.contact ? [t.contact.id] : [])),
          ],
          records: { tasks: found.overdueTasks.map((t) => t.id) },
        };
      }),
  });
}
