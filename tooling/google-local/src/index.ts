/**
 * A local Google: OAuth, Gmail v1 and Calendar v3 — the subset the googleapis clients use —
 * over HTTP on 127.0.0.1, with generated per-account data, quota and fault injection.
 */
export {
  startLocalGoogle,
  type LocalAccounts,
  type LocalGoogle,
  type LocalOAuth,
  type OAuthClientEndpoints,
} from "./server.ts";
export type { LocalGoogleOptions, OAuthSettingsInput } from "./options.ts";
export { Account, type AccountSpec } from "./accounts.ts";
export { createManualClock, type Clock, type ManualClock } from "./clock.ts";
export {
  Mailbox,
  USER_LABELS,
  type HistoryRecord,
  type HistoryType,
  type LabelInfo,
  type MessageInput,
  type StoredMessage,
} from "./mailbox.ts";
export {
  CalendarStore,
  instanceId,
  type AttendeeInput,
  type CalendarInfo,
  type EventInput,
  type EventTime,
  type StoredEvent,
} from "./calendar-store.ts";
export { HOLIDAY_CALENDAR_ID } from "./calendar-generator.ts";
export { SPECIAL_CASES, type SpecialCase } from "./generator.ts";
export type { Address, Header } from "./mime.ts";
export { DEFAULT_TEST_SCOPES, SCOPES, type ConsentSettings, type TokenResponse } from "./oauth.ts";
export {
  FaultInjector,
  type Fault,
  type FaultInput,
  type FaultRuleInput,
  type FaultRuleState,
} from "./faults.ts";
export { QuotaTracker, type QuotaConfig, type QuotaConfigInput } from "./quota.ts";
export { GMAIL_COSTS } from "./gmail.ts";
export { ENDPOINTS, type EndpointName } from "./router.ts";
export type { Stats, StatsSnapshot } from "./stats.ts";
