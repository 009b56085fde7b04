import { assistant, tasks } from "@omnicrm/core";
import { tool } from "ai";
import { z } from "zod";
import { audited, contactUrl, type ToolContext } from "./context.ts";

export const createTaskInput = z.object({
  title: z.string().min(1).max(300).describe("What to do."),
  dueAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("When it is due, as an ISO 8601 date-time with its offset."),
  contactId: z.uuid().optional().describe("The client it is about, if any."),
});

/** A write: it runs only after the practitioner confirms it in the chat. */
export function createTaskTool(ctx: ToolContext) {
  return tool({
    description:
      "Create a task (a to-do with an optional due date), optionally about one client. The practitioner is asked to confirm before it is saved.",
    inputSchema: createTaskInput,
    execute: (input) =>
      audited(ctx, "createTask", input, async () => {
        const contact = input.contactId
          ? await assistant.requireConsentingContact(ctx.db, ctx.actor, input.contactId)
          : null;
        const task = await tasks.createTask(ctx.db, ctx.actor, {
          title: input.title,
          dueAt: input.dueAt ?? null,
          contactId: contact?.id ?? null,
        });
        return {
          result: {
            created: {
              taskId: task.id,
              title: task.title,
              dueAt: task.dueAt,
              contact: contact ? { ...contact, url: contactUrl(contact.id) } : null,
            },
          },
          contactIds: contact ? [contact.id] : [],
          records: { tasks: [task.id] },
          detail: contact ? `Created a task for ${contact.name}.` : "Created a task.",
        };
      }),
  });
}
