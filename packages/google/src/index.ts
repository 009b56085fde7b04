export * from "./normalize/index.ts";
export {
  googleEnv,
  googleSyncConfigured,
  localGoogleEnv,
  overrideGoogleEnv,
  resetGoogleEnv,
  type LocalGoogleEndpoints,
} from "./env.ts";
export {
  envKeyRing,
  keyRing,
  needsRotation,
  open,
  seal,
  VaultError,
  type KeyRing,
} from "./vault.ts";
export * from "./errors.ts";
export { callGoogle } from "./call.ts";
export { QuotaPacer, gmailCost } from "./quota.ts";
export {
  SYNC_SCOPES,
  createOAuthClient,
  disconnect,
  finishConnect,
  googleSession,
  startConnect,
  type GoogleSession,
} from "./connection.ts";
export { gmailDriver, type GmailDriver, type GmailMessage } from "./gmail.ts";
export { calendarDriver, type CalendarDriver, type CalendarEvent } from "./calendar.ts";
