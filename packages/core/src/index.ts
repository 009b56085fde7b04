export type { Actor } from "./actor.ts";
export * from "./errors.ts";
export * as contacts from "./contacts/index.ts";
export type { ContactRecord, ContactPage } from "./contacts/index.ts";
export * as users from "./users/index.ts";
export type { UserRecord } from "./users/index.ts";
export * from "./schemas.ts";
