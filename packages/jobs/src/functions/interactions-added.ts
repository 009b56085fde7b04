import type { GetStepTools } from "inngest";
import { interactionsAddedEvents, type inngest, type InteractionsAdded } from "../client.ts";

/**
 * Tells the insights refresh which contacts a sync run stored new interactions for, as one
 * step: a retried run does not send it again (the step is memoized), and a step resent after a
 * lost answer is dropped by Inngest (the event ids derive from the run). A replayed run stores
 * nothing new, so it names no one. Returns how many contacts were named.
 */
export async function notifyInteractionsAdded(
  step: GetStepTools<typeof inngest>,
  input: {
    userId: string;
    contactIds: string[];
    source: InteractionsAdded["source"];
    runId: string;
  },
): Promise<number> {
  // Step outputs memoized by an older deploy carry no contact ids.
  const contactIds = [...new Set(input.contactIds.filter((id) => typeof id === "string"))];
  if (contactIds.length === 0) return 0;
  await step.sendEvent("interactions-added", interactionsAddedEvents({ ...input, contactIds }));
  return contactIds.length;
}
