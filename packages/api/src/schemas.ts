// Input schemas for forms in the browser: the same objects the procedures validate with.
export {
  contactInputSchema,
  contactListInputSchema,
  contactSortFields,
  type ContactInput,
  type ContactSortField,
} from "@omnicrm/core/schemas";
export {
  signUpSchema,
  signInSchema,
  type SignUpInput,
  type SignInInput,
} from "@omnicrm/auth/password-policy";
