/**
 * Shapes produced by the pure normalizers that turn raw Google records (Gmail messages,
 * Calendar events) into OmniCRM interactions. Nothing in `normalize/` does I/O or reads the
 * clock, so the same stored raw record always normalizes to the same result.
 */

export type ParticipantRole = "from" | "to" | "cc" | "bcc" | "reply_to" | "organizer" | "attendee";

export type ResponseStatus = "accepted" | "declined" | "tentative" | "needsAction";

export interface Participant {
  /** Lower-cased, trimmed address. */
  email: string;
  /** Display name with RFC 2047 encoded words decoded; null when absent or blank. */
  name: string | null;
  role: ParticipantRole;
  /** Calendar attendees only. */
  responseStatus?: ResponseStatus | null;
  /** One of the user's own addresses. */
  self: boolean;
}

/** A non-self participant who may match or become a contact. */
export interface Person {
  email: string;
  name: string | null;
  role: ParticipantRole;
}

export type SkipReason =
  | "bulk"
  | "no_reply"
  | "never_log"
  | "too_many_recipients"
  | "no_participants"
  | "not_in_scope"
  | "draft"
  | "spam_or_trash"
  | "cancelled_unknown"
  | "invalid";

export interface NormalizeRules {
  /** The user's own addresses (connected Google account + aliases), any case. */
  selfAddresses: string[];
  /**
   * Entries like "ex@private.com", "@lawfirm.com" or "lawfirm.com", any case. Domain entries
   * match subdomains too.
   */
  neverLog: string[];
  /** Skip List-Unsubscribe / List-Id / Precedence: bulk|list|junk / Auto-Submitted (not "no") mail. */
  skipBulk: boolean;
  /**
   * Skip messages/events with more than N participants other than the user (distinct
   * to+cc+bcc addresses for mail, distinct attendees for events). Use `Infinity` for no limit.
   */
  maxRecipients: number;
  /** Keep the text body (HTML converted to text) only when true. */
  includeBodies: boolean;
  /** Default 20_000. */
  maxBodyChars?: number;
}

export type AddressClass = "self" | "no_reply" | "never_log" | "person";

export interface NormalizedEmail {
  kind: "email";
  /** Gmail message id. */
  externalId: string;
  threadId: string | null;
  direction: "inbound" | "outbound";
  subject: string | null;
  snippet: string | null;
  body: string | null;
  occurredAt: Date;
  participants: Participant[];
  /** The non-self people who may become or match contacts. */
  people: Person[];
}

export interface NormalizedSession {
  kind: "session";
  /**
   * `${iCalUID}|${ISO instant}` of the original start (recurring instance) or the start;
   * stable across calendars so the same meeting on two calendars dedupes.
   */
  externalId: string;
  eventId: string;
  calendarId: string;
  subject: string | null;
  /** Description excerpt as text. */
  snippet: string | null;
  location: string | null;
  /** Start. */
  occurredAt: Date;
  endsAt: Date | null;
  allDay: boolean;
  status: "confirmed" | "tentative" | "cancelled";
  participants: Participant[];
  people: Person[];
}

export type NormalizeResult<T> =
  { ok: true; value: T } | { ok: false; reason: SkipReason; detail?: string };
