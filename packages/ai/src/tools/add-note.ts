import { assistant, notes } from "@omnicrm/core";
import { tool } from "ai";
import { z } from "zod";
import { audited, contactUrl, type ToolContext } from "./context.ts";

export const addNoteInput = z.object({
  contactId: z.uuid().describe("The client's id."),
  body: z.string().min(1).max(5_000).describe("The note, in Markdown."),
});

/** A write: it runs only after the practitioner confirms it in the chat. */
export function addNoteTool(ctx: ToolContext) {
  return tool({
    description:
      "Add a note to a client's record. The practitioner is asked to confirm before it is saved.",
    inputSchema: addNoteInput,
    execute: (input) =>
      audited(ctx, "addNote", input, async () => {
        const contact = await assistant.requireConsentingContact(
          ctx.db,
          ctx.actor,
          input.contactId,
        );
        const note = await notes.createNote(ctx.db, ctx.actor, {
          contactId: contact.id,
          body: input.body,
        });
        return {
          result: {
            added: { noteId: note.id, contact: { ...contact, url: contactUrl(contact.id) } },
          },
          contactIds: [contact.id],
          records: { notes: [note.id] },
          detail: `Added a note to ${contact.name}.`,
        };
      }),
  });
}
