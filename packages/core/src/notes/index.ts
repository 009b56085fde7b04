export {
  listNotes,
  createNote,
  updateNote,
  deleteNote,
  NOTE_SUMMARY_LENGTH,
  type NoteRecord,
  type NotePage,
} from "./service.ts";
export * from "./schemas.ts";
