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

/** The most contacts one `contacts/interactions.added` event names (an event stays small). */
export const INTERACTIONS_EVENT_MAX_CONTACTS = 500;

const interactionsAdded = z.object({
  userId: z.uuid(),
  /** Contacts whose synced interactions were added or changed. */
  contactIds: z.array(z.uuid()).min(1).max(INTERACTIONS_EVENT_MAX_CONTACTS),
  source: z.enum(["gmail", "calendar"]),
});
export type InteractionsAdded = z.infer<typeof interactionsAdded>;

/** A sync stored new interactions for these contacts: their insights may be out of date. */
export const contactsInteractionsAdded = eventType("contacts/interactions.added", {
  schema: interactionsAdded,
});

/**
 * The events saying that a sync run stored new interactions for these contacts, in chunks that
 * fit an event. Their ids derive from the run, so Inngest drops a chunk sent twice.
 */
export function interactionsAddedEvents(input: {
  userId: string;
  contactIds: readonly string[];
  source: InteractionsAdded["source"];
  runId: string;
}) {
  const ids = [...new Set(input.contactIds)].sort();
  const events = [];
  for (let i = 0; i < ids.length; i += INTERACTIONS_EVENT_MAX_CONTACTS) {
    events.push(
      contactsInteractionsAdded.create(
        {
          userId: input.userId,
          contactIds: ids.slice(i, i + INTERACTIONS_EVENT_MAX_CONTACTS),
          source: input.source,
        },
        { id: `interactions-added:${input.runId}:${i / INTERACTIONS_EVENT_MAX_CONTACTS}` },
      ),
    );
  }
  return events;
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
