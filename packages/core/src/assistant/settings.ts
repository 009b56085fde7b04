import type { Db } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import { aiSettingsInputSchema, type AiSettingsInput } from "./schemas.ts";

export interface AiSettingsRecord {
  /** Emails and phone numbers are replaced with placeholders before anything reaches a model. */
  redactContactDetails: boolean;
}

const DEFAULTS: AiSettingsRecord = { redactContactDetails: false };

export async function getAiSettings(db: Db, actor: Actor): Promise<AiSettingsRecord> {
  const row = await db.aiSettings.findUnique({
    where: { userId: actor.userId },
    select: { redactContactDetails: true },
  });
  return row ?? DEFAULTS;
}

export async function updateAiSettings(
  db: Db,
  actor: Actor,
  input: AiSettingsInput,
): Promise<AiSettingsRecord> {
  const data = aiSettingsInputSchema.parse(input);
  return db.aiSettings.upsert({
    where: { userId: actor.userId },
    create: { userId: actor.userId, ...data },
    update: data,
    select: { redactContactDetails: true },
  });
}
