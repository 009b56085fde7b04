import type { Db } from "@omnicrm/db";
import type { Actor } from "../actor.ts";

/** Test helpers: users and contacts written directly, independent of the contacts service. */

export async function makeUser(db: Db, email: string): Promise<Actor> {
  const user = await db.user.create({ data: { email } });
  return { userId: user.id };
}

export async function makeContact(
  db: Db,
  actor: Actor,
  name: string,
  extra: { deletedAt?: Date; stage?: string } = {},
): Promise<string> {
  const contact = await db.contact.create({
    data: { userId: actor.userId, name, nameSort: name.toLowerCase(), ...extra },
    select: { id: true },
  });
  return contact.id;
}

/** A well-formed id that belongs to nobody. */
export const UNKNOWN_ID = "0190b6a4-0000-7000-8000-000000000000";
