export {
  listFields,
  createField,
  updateField,
  reorderFields,
  deleteField,
  getFieldValues,
  setFieldValues,
  type CustomFieldRecord,
  type ContactFieldValueRecord,
} from "./service.ts";
export * from "./schemas.ts";
