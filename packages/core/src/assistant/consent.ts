import type { Db } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import { requireContacts } from "../shared/contacts.ts";
import type { Tx } from "../shared/db.ts";
import { forgetEmbeddings } from "../search/embeddings.ts";
import { aiConsentInputSchema, type AiConsentInput } from "./schemas.ts";

/** Said to the model (and the user) wherever a contact without AI consent was left out. */
export const CONSENT_WITHHELD =
  "This client has not consented to AI use of their record, so nothing about them can be shared with the assistant.";

/**
 * Removes what was derived from contacts' records for the assistant (insights, and anything
 * else a model produced from them), in the transaction that withdraws their consent.
 */
export async function forgetDerivedAiData(tx: Tx, actor: Actor, contactIds: string[]) {
  await tx.contactInsight.deleteMany({
    where: { userId: actor.userId, contactId: { in: contactIds } },
  });
  // Search by meaning: the embeddings of the contacts, their notes and their interactions.
  await forgetEmbeddings(tx, actor, contactIds);
}

/**
 * Gives or withdraws AI consent for some of the actor's contacts. Withdrawing also deletes what
 * a model derived from them; each changed contact's timeline records the change.
 */
export async function setAiConsent(
  db: Db,
  actor: Actor,
  input: AiConsentInput,
): Promise<{ changed: number }> {
  const { contactIds, consent } = aiConsentInputSchema.parse(input);
  return db.$transaction(async (tx) => {
    await requireContacts(tx, actor, contactIds);
    const changing = await tx.contact.findMany({
      where: { id: { in: contactIds }, userId: actor.userId, aiConsent: !consent },
      select: { id: true },
    });
    const ids = changing.map((c) => c.id);
    if (ids.length === 0) return { changed: 0 };
    await tx.contact.updateMany({
      where: { id: { in: ids }, userId: actor.userId },
      data: { aiConsent: consent },
    });
    if (!consent) await forgetDerivedAiData(tx, actor, ids);
    await tx.timelineEvent.createMany({
      data: ids.map((contactId) => ({
        userId: actor.userId,
        contactId,
        kind: consent ? "ai.consent_given" : "ai.consent_withdrawn",
        summary: consent
          ? "AI consent given: the assistant may use this record"
          : "AI consent withdrawn: the assistant no longer sees this record",
      })),
    });
    return { changed: ids.length };
  });
}

/** Which of these contacts the assistant may see: the actor's live contacts with consent. */
export async function consentingContactIds(
  db: Db | Tx,
  actor: Actor,
  contactIds: string[],
): Promise<Set<string>> {
  if (contactIds.length === 0) return new Set();
  const rows = await db.contact.findMany({
    where: {
      id: { in: [...new Set(contactIds)] },
      userId: actor.userId,
      deletedAt: null,
      aiConsent: true,
    },
    select: { id: true },
  });
  return new Set(rows.map((r) => r.id));
}
