export {
  stageImport,
  previewImport,
  runImport,
  startImport,
  importStatus,
  listImports,
  importErrorReportCsv,
  undoImport,
  saveMapping,
  listPresets,
  IMPORT_CHUNK_SIZE,
  type StageImportInput,
  type StagedImport,
  type SampleRow,
  type ImportPreview,
  type RowSample,
  type ImportStatusRecord,
  type ImportPresets,
  type UndoResult,
  type ImportTuning,
} from "./service.ts";
export {
  detectPreset,
  guessMapping,
  presetMapping,
  headerSignature,
  normalizeHeader,
} from "./mapping.ts";
export type { OutcomeCounts } from "./engine.ts";
export * from "./schemas.ts";
