/**
 * Pure, deterministic normalizers from raw Google records (Gmail messages, Calendar events)
 * to OmniCRM interactions. No I/O, no clock: re-run them over stored raw records at will.
 */
export type {
  AddressClass,
  NormalizeResult,
  NormalizeRules,
  NormalizedEmail,
  NormalizedSession,
  Participant,
  ParticipantRole,
  Person,
  ResponseStatus,
  SkipReason,
} from "./types.ts";
export {
  CompiledRules,
  DEFAULT_MAX_BODY_CHARS,
  classifyAddress,
  compileRules,
  normalizeRulesSchema,
} from "./rules.ts";
export { isNoReplyAddress, normalizeEmail, parseAddressHeaders } from "./addresses.ts";
export type { ParsedAddress } from "./addresses.ts";
export { GMAIL_METADATA_HEADERS, normalizeGmailMessage, normalizeGmailMessages } from "./gmail.ts";
export type { GmailBatchResult } from "./gmail.ts";
export { cancelledEventKey, isCalendarSystemAddress, normalizeCalendarEvent } from "./calendar.ts";
export type { CancelledEventKey } from "./calendar.ts";
export { dedupeByExternalId } from "./result.ts";
