import type { Db } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { isUniqueViolation, lockUserScope, type Tx } from "../shared/db.ts";
import { deriveKey } from "../shared/keys.ts";
import { sameName } from "../shared/text.ts";
import {
  BUILT_IN_STAGES,
  STAGE_KEY_MAX_LENGTH,
  stageCreateSchema,
  stageIdInputSchema,
  stageRenameSchema,
  type StageCreateInput,
  type StageRenameInput,
} from "./schemas.ts";

export interface StageRecord {
  /** Null for the built-in stages, which cannot be renamed or deleted. */
  id: string | null;
  /** What contacts store in their `stage`; never changes once created. */
  key: string;
  label: string;
  builtIn: boolean;
}

const STAGE_NOT_FOUND = "This stage does not exist or was deleted.";
/** The stage contacts get when theirs no longer exists. */
const FALLBACK_STAGE = "lead";

const builtIns: StageRecord[] = BUILT_IN_STAGES.map((stage) => ({
  id: null,
  key: stage.key,
  label: stage.label,
  builtIn: true,
}));

function labelConflict(message: string): ConflictError {
  return new ConflictError(message, { label: [message] });
}

async function userStages(tx: Tx, actor: Actor) {
  return tx.contactStage.findMany({
    where: { userId: actor.userId },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }, { id: "asc" }],
    select: { id: true, key: true, label: true, position: true },
  });
}

/** Refuses a label (any case) or key that a built-in or another of the user's stages has. */
async function assertFree(
  tx: Tx,
  actor: Actor,
  label: string,
  key: string | null,
  exceptId?: string,
) {
  const builtIn = BUILT_IN_STAGES.find((s) => sameName(s.label, label) || s.key === key);
  if (builtIn) throw labelConflict(`“${builtIn.label}” is a built-in stage.`);
  const others = (await userStages(tx, actor)).filter((s) => s.id !== exceptId);
  const sameLabel = others.find((s) => sameName(s.label, label));
  if (sameLabel) throw labelConflict(`You already have a stage named “${sameLabel.label}”.`);
  // The key was derived from the label the stage had when it was created.
  const sameKey = others.find((s) => s.key === key);
  if (sameKey) {
    throw labelConflict(
      `This name is too close to your stage “${sameKey.label}”; choose another one.`,
    );
  }
}

/** Every stage the actor can give a contact: the built-in ones first, then theirs in order. */
export async function listStages(db: Db, actor: Actor): Promise<StageRecord[]> {
  const own = await userStages(db, actor);
  return [
    ...builtIns,
    ...own.map((s) => ({ id: s.id, key: s.key, label: s.label, builtIn: false })),
  ];
}

/** Adds a stage after the user's others; its key is derived from the label. */
export async function createStage(
  db: Db,
  actor: Actor,
  input: StageCreateInput,
): Promise<StageRecord> {
  const { label } = stageCreateSchema.parse(input);
  const key = deriveKey(label, STAGE_KEY_MAX_LENGTH, "stage");
  try {
    return await db.$transaction(async (tx) => {
      await lockUserScope(tx, actor, "stages");
      await assertFree(tx, actor, label, key);
      const last = await tx.contactStage.aggregate({
        where: { userId: actor.userId },
        _max: { position: true },
      });
      const stage = await tx.contactStage.create({
        data: { userId: actor.userId, key, label, position: (last._max.position ?? -1) + 1 },
        select: { id: true, key: true, label: true },
      });
      return { ...stage, builtIn: false };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw labelConflict("You already have a stage with this name.");
    throw error;
  }
}

/** Changes a stage's label; its key, and so every contact in it, stays. */
export async function renameStage(
  db: Db,
  actor: Actor,
  input: StageRenameInput,
): Promise<StageRecord> {
  const { id, label } = stageRenameSchema.parse(input);
  return db.$transaction(async (tx) => {
    await lockUserScope(tx, actor, "stages");
    const stage = await tx.contactStage.findFirst({ where: { id, userId: actor.userId } });
    if (!stage) throw new NotFoundError(STAGE_NOT_FOUND);
    await assertFree(tx, actor, label, null, id);
    const renamed = await tx.contactStage.update({
      where: { id },
      data: { label },
      select: { id: true, key: true, label: true },
    });
    return { ...renamed, builtIn: false };
  });
}

/**
 * Deletes one of the user's stages, refused while any of their contacts is in it. Deleted
 * contacts waiting for undo that are in it move to the first built-in stage, so a restore
 * never brings back a contact in a stage that does not exist.
 */
export async function deleteStage(
  db: Db,
  actor: Actor,
  input: { id: string },
): Promise<{ id: string }> {
  const { id } = stageIdInputSchema.parse(input);
  return db.$transaction(async (tx) => {
    await lockUserScope(tx, actor, "stages");
    const stage = await tx.contactStage.findFirst({ where: { id, userId: actor.userId } });
    if (!stage) throw new NotFoundError(STAGE_NOT_FOUND);
    const inUse = await tx.contact.count({
      where: { userId: actor.userId, stage: stage.key, deletedAt: null },
    });
    if (inUse > 0) {
      throw new ConflictError(
        inUse === 1
          ? `1 contact is still in “${stage.label}”. Move it to another stage first.`
          : `${inUse} contacts are still in “${stage.label}”. Move them to another stage first.`,
      );
    }
    await tx.contact.updateMany({
      where: { userId: actor.userId, stage: stage.key, deletedAt: { not: null } },
      data: { stage: FALLBACK_STAGE },
    });
    await tx.contactStage.delete({ where: { id } });
    return { id };
  });
}

/** Whether `key` is a built-in stage or one of the actor's. Accepts a transaction client. */
export async function isKnownStage(db: Tx, actor: Actor, key: string): Promise<boolean> {
  return (await resolveStage(db, actor, key)) !== null;
}

/** The stage with this key among the actor's (built-in or own), or null. */
export async function resolveStage(db: Tx, actor: Actor, key: string): Promise<StageRecord | null> {
  const builtIn = builtIns.find((s) => s.key === key);
  if (builtIn) return builtIn;
  const own = await db.contactStage.findFirst({
    where: { userId: actor.userId, key },
    select: { id: true, key: true, label: true },
  });
  return own ? { ...own, builtIn: false } : null;
}
