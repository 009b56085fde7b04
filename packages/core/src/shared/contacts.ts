import type { Actor } from "../actor.ts";
import { NotFoundError } from "../errors.ts";
import type { Tx } from "./db.ts";

export const CONTACT_NOT_FOUND = "This contact does not exist or was deleted.";

/**
 * The actor's live contact with this id. A soft-deleted contact, a missing one and another
 * user's all answer the same NotFoundError.
 */
export async function requireContact(
  tx: Tx,
  actor: Actor,
  contactId: string,
): Promise<{ id: string; name: string }> {
  const contact = await tx.contact.findFirst({
    where: { id: contactId, userId: actor.userId, deletedAt: null },
    select: { id: true, name: true },
  });
  if (!contact) throw new NotFoundError(CONTACT_NOT_FOUND);
  return contact;
}

/** Checks that every id (already de-duplicated) is one of the actor's live contacts. */
export async function requireContacts(tx: Tx, actor: Actor, contactIds: string[]): Promise<void> {
  const found = await tx.contact.count({
    where: { id: { in: contactIds }, userId: actor.userId, deletedAt: null },
  });
  if (found !== contactIds.length) {
    throw new NotFoundError(
      contactIds.length === 1
        ? CONTACT_NOT_FOUND
        : "Some of the selected contacts do not exist or were deleted.",
    );
  }
}
