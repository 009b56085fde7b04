export {
  listStages,
  createStage,
  renameStage,
  deleteStage,
  isKnownStage,
  resolveStage,
  type StageRecord,
} from "./service.ts";
export * from "./schemas.ts";
