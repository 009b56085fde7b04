export {
  listTags,
  createTag,
  updateTag,
  deleteTag,
  tagContacts,
  untagContacts,
  tagsOfContact,
  type TagRecord,
  type TagWithCount,
} from "./service.ts";
export * from "./schemas.ts";
