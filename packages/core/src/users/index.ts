export {
  createUser,
  findUserForSignIn,
  getUser,
  normalizeEmail,
  type UserRecord,
  type UserWithPassword,
} from "./service.ts";
