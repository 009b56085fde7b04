import { assistant } from "@omnicrm/core";
import { z } from "zod";

/** The longest question the chat takes, in characters. */
export const MAX_QUESTION_LENGTH = 8_000;
/** The largest request body the chat route reads. */
export const MAX_BODY_BYTES = 1_000_000;

const partSchema = z.looseObject({ type: z.string().max(100) });

/** A UI message as the browser sends it: only its id, role and parts are read. */
export const incomingMessageSchema = z.object({
  id: assistant.chatMessageIdSchema,
  role: z.enum(["user", "assistant"], { error: "Only questions and confirmations can be sent." }),
  parts: z.array(partSchema).min(1, "The message is empty.").max(200),
});
export type IncomingMessage = z.infer<typeof incomingMessageSchema>;

/**
 * One turn of a conversation: a question (or the confirmations of a pending answer) for the
 * thread, or a request to answer its last question again. The server keeps the conversation:
 * only the newest message travels.
 */
export const chatRequestSchema = z
  .strictObject({
    threadId: z.uuid({ error: "Not a valid conversation." }),
    trigger: z.enum(["submit-message", "regenerate-message"], {
      error: "Unknown chat action.",
    }),
    messageId: assistant.chatMessageIdSchema.optional(),
    message: incomingMessageSchema.optional(),
    timeZone: assistant.timeZoneSchema.optional(),
  })
  .refine((body) => body.trigger === "regenerate-message" || body.message !== undefined, {
    message: "Nothing was sent.",
    path: ["message"],
  });
export type ChatRequest = z.infer<typeof chatRequestSchema>;

/** The question's text; a question is text only. */
export function questionText(message: IncomingMessage): string {
  return message.parts
    .map((part) => (part.type === "text" && typeof part.text === "string" ? part.text : ""))
    .join("\n")
    .trim();
}
