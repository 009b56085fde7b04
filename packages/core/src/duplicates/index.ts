export {
  listDuplicateSuggestions,
  dismissSuggestion,
  type DuplicateSuggestion,
  type DuplicateSuggestionPage,
  type SuggestedContact,
} from "./suggestions.ts";
export {
  mergePreview,
  mergeContacts,
  type MergePreview,
  type MergeSide,
  type MergeSideTag,
  type MergeSideFieldValue,
  type MergeFieldOption,
  type MergeResult,
} from "./merge.ts";
export {
  undoMerge,
  listMerges,
  type UndoMergeResult,
  type MergeListItem,
  type MergePage,
} from "./undo.ts";
export * from "./schemas.ts";
