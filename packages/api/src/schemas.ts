// Input schemas for forms in the browser: the same objects the procedures validate with.
export {
  builtInStages,
  contactInputSchema,
  contactFiltersSchema,
  contactListInputSchema,
  contactPatchSchema,
  customFieldConditionSchema,
  contactSortFields,
  datePresets,
  type ContactFilters,
  type CustomFieldCondition,
  type ContactInput,
  type ContactSortField,
  type DatePreset,
} from "@omnicrm/core/schemas";
export {
  signUpSchema,
  signInSchema,
  type SignUpInput,
  type SignInInput,
} from "@omnicrm/auth/password-policy";
// The client record: tags, notes, tasks, custom fields, stages, saved views, timeline.
export * from "@omnicrm/core/tags/schemas";
export * from "@omnicrm/core/notes/schemas";
export * from "@omnicrm/core/tasks/schemas";
export * from "@omnicrm/core/custom-fields/schemas";
export * from "@omnicrm/core/stages/schemas";
export * from "@omnicrm/core/saved-views/schemas";
export * from "@omnicrm/core/timeline/schemas";
export * from "@omnicrm/core/imports/schemas";
export * from "@omnicrm/core/duplicates/schemas";
export * from "@omnicrm/core/sync/schemas";
// Search by meaning.
export * from "@omnicrm/core/search/schemas";
