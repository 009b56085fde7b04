import { eventType, Inngest } from "inngest";
import { z } from "zod";

/** The one Inngest client of OmniCRM. */
export const inngest = new Inngest({ id: "omnicrm" });

const syncRequest = z.object({
  userId: z.uuid(),
  /** manual (the "Sync now" button), schedule (the scheduler), approval (first sync). */
  trigger: z.enum(["manual", "schedule", "approval", "fallback"]),
});
export type SyncRequest = z.infer<typeof syncRequest>;

export const gmailSyncRequested = eventType("sync/gmail.requested", { schema: syncRequest });
export const calendarSyncRequested = eventType("sync/calendar.requested", {
  schema: syncRequest,
});

/** Asks for a sync of one channel; the functions run it in the background. */
export function syncRequestEvent(kind: "gmail" | "calendar", data: SyncRequest) {
  return (kind === "gmail" ? gmailSyncRequested : calendarSyncRequested).create(data);
}

const embeddingsRequest = z.object({
  userId: z.uuid(),
  /** manual (the search page), schedule (the index scheduler), continue (a long index goes on). */
  trigger: z.enum(["manual", "schedule", "continue"]),
});
export type EmbeddingsRequest = z.infer<typeof embeddingsRequest>;

/** Asks for the user's search index to be brought up to date (embeddings of what changed). */
export const embeddingsRequested = eventType("ai/embeddings.requested", {
  schema: embeddingsRequest,
});
