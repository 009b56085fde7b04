export {
  createContact,
  getContact,
  updateContact,
  deleteContact,
  deleteContacts,
  restoreContacts,
  listDeletedContacts,
  purgeExpiredDeletions,
  setStage,
  listContacts,
  nameSortKey,
  buildSearchText,
  searchKey,
  DELETE_UNDO_DAYS,
  type ContactRecord,
  type ContactListItem,
  type ContactPage,
  type ContactTag,
  type DeletionReceipt,
  type DeletedContact,
} from "./service.ts";
export { encodeCursor, decodeCursor } from "./cursor.ts";
export { resolveDateRange } from "./date-range.ts";
