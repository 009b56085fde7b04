import { calendar as calendarApi, type calendar_v3 } from "@googleapis/calendar";
import type { OAuth2Client } from "google-auth-library";
import { callGoogle } from "./call.ts";

export type CalendarEvent = calendar_v3.Schema$Event;

export interface CalendarDriverOptions {
  auth: OAuth2Client;
  rootUrl?: string;
  timeoutMs: number;
  /** Spends one of this user's Calendar requests before each call. */
  spend: () => Promise<void>;
  minBackoffMs?: number;
}

/** The Calendar calls the sync makes, each paced to the quota and retried on its own. */
export function calendarDriver(options: CalendarDriverOptions) {
  const api = calendarApi({
    version: "v3",
    auth: options.auth,
    ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}),
    timeout: options.timeoutMs,
    retry: false,
  });
  const call = <T>(what: string, run: () => Promise<T>, context?: { syncToken?: boolean }) =>
    callGoogle(run, { what, spend: options.spend, context, minBackoffMs: options.minBackoffMs });

  return {
    async calendars() {
      const items: { id: string; summary: string; primary: boolean; accessRole: string }[] = [];
      let pageToken: string | undefined;
      do {
        const { data } = await call("listing calendars", () =>
          api.calendarList.list({ pageToken, maxResults: 250 }),
        );
        for (const c of data.items ?? []) {
          items.push({
            id: c.id ?? "",
            summary: c.summaryOverride ?? c.summary ?? c.id ?? "",
            primary: c.primary ?? false,
            accessRole: c.accessRole ?? "reader",
          });
        }
        pageToken = data.nextPageToken ?? undefined;
      } while (pageToken);
      return items;
    },

    /**
     * One page of a calendar's events: a time window for a full sync, or the changes since a
     * sync token (then SyncTokenGoneError on 410). The next sync token comes on the last page.
     */
    async events(input: {
      calendarId: string;
      syncToken?: string | null;
      timeMin?: Date;
      timeMax?: Date;
      pageToken?: string | null;
    }) {
      const { data } = await call(
        "reading calendar events",
        () =>
          api.events.list({
            calendarId: input.calendarId,
            singleEvents: true,
            showDeleted: Boolean(input.syncToken),
            maxResults: 2500,
            pageToken: input.pageToken ?? undefined,
            ...(input.syncToken
              ? { syncToken: input.syncToken }
              : {
                  timeMin: input.timeMin?.toISOString(),
                  timeMax: input.timeMax?.toISOString(),
                }),
          }),
        { syncToken: Boolean(input.syncToken) },
      );
      return {
        events: data.items ?? [],
        nextPageToken: data.nextPageToken ?? null,
        nextSyncToken: data.nextSyncToken ?? null,
      };
    },
  };
}

export type CalendarDriver = ReturnType<typeof calendarDriver>;
