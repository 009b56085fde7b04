import { sync } from "@omnicrm/core";
import { calendarSyncRequested, inngest } from "../client.ts";
import {
  beginCalendarRun,
  calendarCounts,
  calendarCursor,
  finishCalendarRun,
  saveCalendarCursor,
  syncCalendarPage,
  type CalendarPageResult,
  type CalendarPlan,
} from "../sync/calendar.ts";
import type { SyncDeps } from "../sync/context.ts";
import { channelSyncOptions, guarded, recordFailure } from "./failures.ts";
import { notifyInteractionsAdded } from "./interactions-added.ts";

export function createCalendarSync(deps: () => SyncDeps) {
  return inngest.createFunction(
    {
      id: "calendar-sync",
      name: "Google Calendar sync",
      triggers: [calendarSyncRequested],
      ...channelSyncOptions("calendar", deps),
    },
    async ({ event, step, runId }) => {
      const actor = { userId: event.data.userId };
      const begun = await step.run("start", () =>
        guarded(() =>
          beginCalendarRun(deps(), actor, { trigger: event.data.trigger, externalRunId: runId }),
        ),
      );
      if ("skip" in begun) return { skipped: begun.skip };
      const plan = begun as CalendarPlan;

      const pages: CalendarPageResult[] = [];
      for (const [c, calendarId] of plan.preferences.calendarIds.entries()) {
        let syncToken = await step.run(`cursor-${c}`, () =>
          calendarCursor(deps(), actor, plan, calendarId),
        );
        let pageToken: string | null = null;
        let nextSyncToken: string | null = null;
        // A 410 restarts the calendar once, without a token (a full sync of the window).
        for (let attempt = 0; attempt < 2; attempt++) {
          for (let page = 0; ; page++) {
            const result: CalendarPageResult = await step.run(
              `events-${c}-${attempt}-${page}`,
              () =>
                guarded(async () => {
                  const done = await syncCalendarPage(deps(), actor, plan, {
                    calendarId,
                    syncToken,
                    pageToken,
                  });
                  await sync.updateRun(deps().db, actor, plan.syncRunId, {
                    progress: {
                      phase: "events",
                      done: c + 1,
                      total: plan.preferences.calendarIds.length,
                    },
                    counts: calendarCounts([...pages, done]),
                  });
                  return done;
                }),
            );
            if (result.gone) break;
            pages.push(result);
            pageToken = result.nextPageToken;
            nextSyncToken = result.nextSyncToken ?? nextSyncToken;
            if (!pageToken) break;
          }
          if (nextSyncToken || !syncToken) break;
          // The token was gone: start this calendar again without one.
          syncToken = null;
          pageToken = null;
        }
        const token = nextSyncToken;
        await step.run(`save-cursor-${c}`, () =>
          saveCalendarCursor(deps(), actor, plan, calendarId, token),
        );
      }
      const counts = calendarCounts(pages);
      await step.run("finish", () => finishCalendarRun(deps(), actor, plan, counts));
      const notified = await notifyInteractionsAdded(step, {
        userId: actor.userId,
        contactIds: pages.flatMap((page) => page.contactIds),
        source: "calendar",
        runId,
      });
      return { ...counts, contactsWithNewInteractions: notified };
    },
  );
}

export const recordCalendarFailure = (deps: SyncDeps, userId: string, message: string) =>
  recordFailure(deps, "calendar", userId, message);
