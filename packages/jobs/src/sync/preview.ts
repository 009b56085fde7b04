import { InvalidInputError, sync, type Actor } from "@omnicrm/core";
import { normalizeCalendarEvent, normalizeGmailMessage } from "@omnicrm/google";
import { calendarRules, sessionInteraction } from "./calendar.ts";
import { addSkips, nowOf, openGoogle, pool, type SyncDeps } from "./context.ts";
import { gmailQuery, gmailRules, listingLabels } from "./gmail.ts";

/** How many messages the preview reads to show what the sync would do. */
export const PREVIEW_SAMPLE = 40;

export interface PreviewItem {
  subject: string | null;
  occurredAt: string;
  direction: string | null;
  people: { email: string; name: string | null }[];
}

export interface ChannelPreview {
  kind: sync.SyncChannelKind;
  /** Messages or events in scope (Gmail's figure is its estimate beyond the first page). */
  total: number;
  estimated: boolean;
  /** How many were read to build the preview. */
  sampled: number;
  /** Of those: how many would be logged, and why the others would be skipped. */
  wouldLog: number;
  skipped: Record<string, number>;
  /** New contacts the sampled records would create (among the first of them). */
  newContacts: { email: string; name: string }[];
  newContactsInSample: number;
  samples: PreviewItem[];
}

async function requireConnection(deps: SyncDeps, actor: Actor) {
  const connection = await sync.getConnectionSummary(deps.db, actor);
  if (connection?.status !== "connected") {
    throw new InvalidInputError(
      connection?.status === "reconnect_needed"
        ? "Reconnect Google before previewing."
        : "Connect Google before previewing.",
    );
  }
  return connection;
}

/**
 * What a Gmail sync would do with the current preferences, without writing anything: the
 * same listing, fetching and normalizing code as the sync, on the newest messages.
 */
export async function previewGmail(deps: SyncDeps, actor: Actor): Promise<ChannelPreview> {
  const connection = await requireConnection(deps, actor);
  const channel = await sync.getChannel(deps.db, actor, "gmail");
  if (!channel.scopeChosen) {
    throw new InvalidInputError("Choose the labels or the search to sync first.");
  }
  const preferences = channel.preferences as sync.GmailPreferences;
  const plan = { preferences, googleEmail: connection.googleEmail };
  const google = await openGoogle(deps, actor);
  try {
    const since = new Date(nowOf(deps).getTime() - preferences.lookbackDays * 86_400_000);
    // The first page of each label's listing (or of the search), newest first.
    const pages = [];
    for (const labelIds of listingLabels(preferences)) {
      pages.push(await google.gmail.listMessages({ q: gmailQuery(preferences, since), labelIds }));
    }
    const ids = [...new Set(pages.flatMap((page) => page.ids))];
    const more = pages.some((page) => page.nextPageToken);
    const sampleIds = ids.slice(0, PREVIEW_SAMPLE);
    const messages = await pool(sampleIds, 4, (id) =>
      google.gmail.getMessage(id, preferences.includeBodies ? "full" : "metadata"),
    );
    const rules = gmailRules(plan);
    const skipped: Record<string, number> = {};
    const logged = [];
    for (const message of messages) {
      const result = normalizeGmailMessage(message, rules);
      if (result.ok) logged.push(result.value);
      else addSkips(skipped, [result.reason]);
    }
    const newContacts = await sync.contactsThatWouldBeCreated(
      deps.db,
      actor,
      logged.flatMap((email) => email.people),
    );
    return {
      kind: "gmail",
      total: more
        ? Math.max(
            pages.reduce((sum, page) => sum + page.resultSizeEstimate, 0),
            ids.length,
          )
        : ids.length,
      estimated: more,
      sampled: messages.length,
      wouldLog: logged.length,
      skipped,
      newContacts: newContacts.slice(0, 20),
      newContactsInSample: newContacts.length,
      samples: logged.slice(0, 10).map((email) => ({
        subject: email.subject,
        occurredAt: email.occurredAt.toISOString(),
        direction: email.direction,
        people: email.people.map((p) => ({ email: p.email, name: p.name })),
      })),
    };
  } finally {
    await google.session.flush();
  }
}

/** What a Calendar sync would do: the first page of each calendar's window, normalized. */
export async function previewCalendar(deps: SyncDeps, actor: Actor): Promise<ChannelPreview> {
  const connection = await requireConnection(deps, actor);
  const channel = await sync.getChannel(deps.db, actor, "calendar");
  const preferences = channel.preferences as sync.CalendarPreferences;
  const rules = calendarRules({ preferences, googleEmail: connection.googleEmail });
  const now = nowOf(deps).getTime();
  const google = await openGoogle(deps, actor);
  try {
    let total = 0;
    let estimated = false;
    const skipped: Record<string, number> = {};
    const logged: sync.InteractionInput[] = [];
    for (const calendarId of preferences.calendarIds) {
      const page = await google.calendar.events({
        calendarId,
        timeMin: new Date(now - preferences.lookbackDays * 86_400_000),
        timeMax: new Date(now + preferences.lookaheadDays * 86_400_000),
      });
      total += page.events.length;
      estimated ||= Boolean(page.nextPageToken);
      for (const event of page.events) {
        const result = normalizeCalendarEvent(event, calendarId, rules);
        if (result.ok) logged.push(sessionInteraction(result.value));
        else addSkips(skipped, [result.reason]);
      }
    }
    const unique = [...new Map(logged.map((s) => [s.externalId, s])).values()];
    const newContacts = await sync.contactsThatWouldBeCreated(
      deps.db,
      actor,
      unique.flatMap((session) => session.people),
    );
    return {
      kind: "calendar",
      total,
      estimated,
      sampled: total,
      wouldLog: unique.length,
      skipped,
      newContacts: newContacts.slice(0, 20),
      newContactsInSample: newContacts.length,
      samples: unique
        .sort(
          (a, b) => Math.abs(a.occurredAt.getTime() - now) - Math.abs(b.occurredAt.getTime() - now),
        )
        .slice(0, 10)
        .map((session) => ({
          subject: session.subject,
          occurredAt: session.occurredAt.toISOString(),
          direction: null,
          people: session.people.map((p) => ({ email: p.email, name: p.name })),
        })),
    };
  } finally {
    await google.session.flush();
  }
}
