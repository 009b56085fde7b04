import type { Db, Prisma } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { isUniqueViolation, lockUserScope, type Tx } from "../shared/db.ts";
import { compareNames, sameName } from "../shared/text.ts";
import {
  savedViewCreateSchema,
  savedViewIdInputSchema,
  savedViewStateSchema,
  savedViewUpdateSchema,
  type SavedViewCreateInput,
  type SavedViewState,
  type SavedViewUpdateInput,
} from "./schemas.ts";

export interface SavedViewRecord {
  id: string;
  name: string;
  state: SavedViewState;
  createdAt: Date;
  updatedAt: Date;
}

const VIEW_NOT_FOUND = "This view does not exist or was deleted.";

const select = {
  id: true,
  name: true,
  state: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.SavedViewSelect;

function toRecord(row: Prisma.SavedViewGetPayload<{ select: typeof select }>): SavedViewRecord {
  // A state saved by an older version that no longer fits opens as the default view.
  const state = savedViewStateSchema.safeParse(row.state);
  return { ...row, state: state.success ? state.data : {} };
}

/** The state as stored: plain JSON, without keys whose value is undefined. */
function toJson(state: SavedViewState): Prisma.InputJsonObject {
  return JSON.parse(JSON.stringify(state)) as Prisma.InputJsonObject;
}

function duplicateName(name: string): ConflictError {
  const message = `You already have a view named “${name}”.`;
  return new ConflictError(message, { name: [message] });
}

async function assertNameFree(tx: Tx, actor: Actor, name: string, exceptId?: string) {
  const views = await tx.savedView.findMany({
    where: { userId: actor.userId },
    select: { id: true, name: true },
  });
  const clash = views.find((view) => view.id !== exceptId && sameName(view.name, name));
  if (clash) throw duplicateName(clash.name);
}

/** The actor's saved views, by name. */
export async function listViews(db: Db, actor: Actor): Promise<SavedViewRecord[]> {
  const rows = await db.savedView.findMany({ where: { userId: actor.userId }, select });
  return rows
    .map(toRecord)
    .sort((a, b) => compareNames(a.name, b.name) || a.id.localeCompare(b.id));
}

export async function createView(
  db: Db,
  actor: Actor,
  input: SavedViewCreateInput,
): Promise<SavedViewRecord> {
  const { name, state } = savedViewCreateSchema.parse(input);
  try {
    return await db.$transaction(async (tx) => {
      await lockUserScope(tx, actor, "saved-views");
      await assertNameFree(tx, actor, name);
      return toRecord(
        await tx.savedView.create({
          data: { userId: actor.userId, name, state: toJson(state) },
          select,
        }),
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName(name);
    throw error;
  }
}

export async function updateView(
  db: Db,
  actor: Actor,
  input: SavedViewUpdateInput,
): Promise<SavedViewRecord> {
  const { id, name, state } = savedViewUpdateSchema.parse(input);
  try {
    return await db.$transaction(async (tx) => {
      await lockUserScope(tx, actor, "saved-views");
      const view = await tx.savedView.findFirst({ where: { id, userId: actor.userId } });
      if (!view) throw new NotFoundError(VIEW_NOT_FOUND);
      if (name !== undefined) await assertNameFree(tx, actor, name, id);
      return toRecord(
        await tx.savedView.update({
          where: { id },
          data: { name, state: state === undefined ? undefined : toJson(state) },
          select,
        }),
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName(name ?? "");
    throw error;
  }
}

export async function deleteView(
  db: Db,
  actor: Actor,
  input: { id: string },
): Promise<{ id: string }> {
  const { id } = savedViewIdInputSchema.parse(input);
  const { count } = await db.savedView.deleteMany({ where: { id, userId: actor.userId } });
  if (count === 0) throw new NotFoundError(VIEW_NOT_FOUND);
  return { id };
}
