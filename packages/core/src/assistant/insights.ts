// The stored insights: one per contact, with the hash of what it was generated from. Writing
// one re-checks consent under a lock on the contact, so an answer that arrives after consent
// was withdrawn is never stored (withdrawing deletes insights in the same lock order).
import type { Db, Prisma } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import { NotFoundError } from "../errors.ts";
import { CONTACT_NOT_FOUND } from "../shared/contacts.ts";
import { truncate } from "../shared/text.ts";
import { ENGAGEMENT_LEVELS, type Engagement } from "./engagement.ts";
import { ConsentWithheldError } from "./views.ts";

export interface StoredInsight {
  contactId: string;
  summary: string;
  nextAction: string;
  engagement: Engagement;
  engagementReason: string;
  inputHash: string;
  model: string;
  basis: Prisma.JsonValue;
  generatedAt: Date;
  /** Why the last background refresh did not happen, and when; null after a generation. */
  refreshError: string | null;
  refreshErrorAt: Date | null;
}

export interface InsightToSave {
  contactId: string;
  summary: string;
  nextAction: string;
  engagement: Engagement;
  engagementReason: string;
  inputHash: string;
  model: string;
  basis: Prisma.InputJsonValue;
  generatedAt?: Date;
}

const select = {
  contactId: true,
  summary: true,
  nextAction: true,
  engagement: true,
  engagementReason: true,
  inputHash: true,
  model: true,
  basis: true,
  generatedAt: true,
  refreshError: true,
  refreshErrorAt: true,
} satisfies Prisma.ContactInsightSelect;

type Row = Prisma.ContactInsightGetPayload<{ select: typeof select }>;

function toStored(row: Row): StoredInsight {
  const engagement = (ENGAGEMENT_LEVELS as readonly string[]).includes(row.engagement)
    ? (row.engagement as Engagement)
    : "steady";
  return { ...row, engagement };
}

/** The actor's stored insight for a contact, or null. */
export async function getStoredInsight(
  db: Db,
  actor: Actor,
  contactId: string,
): Promise<StoredInsight | null> {
  const row = await db.contactInsight.findFirst({
    where: { contactId, userId: actor.userId },
    select,
  });
  return row ? toStored(row) : null;
}

/**
 * Stores (or replaces) a contact's insight and clears any background-refresh problem. Refused
 * when the contact is gone or has withdrawn consent meanwhile.
 */
export async function saveInsight(
  db: Db,
  actor: Actor,
  insight: InsightToSave,
): Promise<StoredInsight> {
  return db.$transaction(async (tx) => {
    const [contact] = await tx.$queryRaw<{ ai_consent: boolean }[]>`
      SELECT ai_consent FROM contacts
      WHERE id = ${insight.contactId}::uuid AND user_id = ${actor.userId}::uuid
        AND deleted_at IS NULL
      FOR UPDATE`;
    if (!contact) throw new NotFoundError(CONTACT_NOT_FOUND);
    if (!contact.ai_consent) throw new ConsentWithheldError();
    const data = {
      summary: truncate(insight.summary, 2000),
      nextAction: truncate(insight.nextAction, 500),
      engagement: insight.engagement,
      engagementReason: truncate(insight.engagementReason, 500),
      inputHash: insight.inputHash,
      model: truncate(insight.model, 100),
      basis: insight.basis,
      generatedAt: insight.generatedAt ?? new Date(),
      refreshError: null,
      refreshErrorAt: null,
    };
    const row = await tx.contactInsight.upsert({
      where: { contactId: insight.contactId },
      create: { contactId: insight.contactId, userId: actor.userId, ...data },
      update: data,
      select,
    });
    return toStored(row);
  });
}

/**
 * Says on these contacts' insights why the background refresh did not happen (over budget,
 * rate limited, the provider failing), so the insight card can show it. Returns how many.
 */
export async function recordInsightRefreshError(
  db: Db,
  actor: Actor,
  contactIds: string[],
  message: string,
  at: Date = new Date(),
): Promise<number> {
  if (contactIds.length === 0) return 0;
  const { count } = await db.contactInsight.updateMany({
    where: { userId: actor.userId, contactId: { in: [...new Set(contactIds)] } },
    data: { refreshError: truncate(message, 500), refreshErrorAt: at },
  });
  return count;
}

/**
 * Which of these contacts already have an insight and may still be sent to a model (live,
 * with consent): the only ones a background refresh may regenerate.
 */
export async function contactsWithInsights(
  db: Db,
  actor: Actor,
  contactIds: string[],
): Promise<string[]> {
  if (contactIds.length === 0) return [];
  const rows = await db.contactInsight.findMany({
    where: {
      userId: actor.userId,
      contactId: { in: [...new Set(contactIds)] },
      contact: { userId: actor.userId, deletedAt: null, aiConsent: true },
    },
    orderBy: { contactId: "asc" },
    select: { contactId: true },
  });
  return rows.map((r) => r.contactId);
}
