export {
  createContact,
  getContact,
  updateContact,
  deleteContact,
  listContacts,
  type ContactRecord,
  type ContactPage,
} from "./service.ts";
