import { z } from "zod";
import { recordIdSchema } from "../shared/schemas.ts";

import { builtInStages } from "../schemas.ts";

/** The lifecycle stages every practice has, in this order, before the user's own. */
export const BUILT_IN_STAGES = builtInStages;
export type BuiltInStageKey = (typeof BUILT_IN_STAGES)[number]["key"];

/** Longest key of a stage (the contacts.stage column). */
export const STAGE_KEY_MAX_LENGTH = 40;

export const stageLabelSchema = z
  .string({ error: "Name must be text." })
  .trim()
  .min(1, "Name is required.")
  .max(60, "Name must be at most 60 characters.");

export const stageCreateSchema = z.strictObject({ label: stageLabelSchema });
export type StageCreateInput = z.input<typeof stageCreateSchema>;

export const stageRenameSchema = z.strictObject({ id: recordIdSchema, label: stageLabelSchema });
export type StageRenameInput = z.input<typeof stageRenameSchema>;

export const stageIdInputSchema = z.strictObject({ id: recordIdSchema });
