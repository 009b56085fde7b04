import { addNoteTool } from "./add-note.ts";
import { clientsNeedingAttentionTool } from "./clients-needing-attention.ts";
import type { ToolContext } from "./context.ts";
import { createTaskTool } from "./create-task.ts";
import { getContactTool } from "./get-contact.ts";
import { searchContactsTool } from "./search-contacts.ts";
import { upcomingSessionsTool } from "./upcoming-sessions.ts";

/** The assistant's tools, acting as the signed-in user. */
export function assistantTools(ctx: ToolContext) {
  return {
    searchContacts: searchContactsTool(ctx),
    getContact: getContactTool(ctx),
    clientsNeedingAttention: clientsNeedingAttentionTool(ctx),
    upcomingSessions: upcomingSessionsTool(ctx),
    addNote: addNoteTool(ctx),
    createTask: createTaskTool(ctx),
  };
}

export type AssistantTools = ReturnType<typeof assistantTools>;
export type AssistantToolName = keyof AssistantTools;

/** Tools that change the practitioner's data: each call waits for their confirmation. */
export const WRITE_TOOLS = ["addNote", "createTask"] as const satisfies AssistantToolName[];

export type { ToolContext } from "./context.ts";
export { contactUrl } from "./context.ts";
