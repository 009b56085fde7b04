import { getDb } from "@omnicrm/db";
import type { SyncDeps } from "../sync/context.ts";
import { createCalendarSync } from "./calendar-sync.ts";
import { createGmailSync } from "./gmail-sync.ts";
import { createInsightsRefresh } from "./insights-refresh.ts";
import { createSearchIndex, createSearchIndexScheduler } from "./search-index.ts";
import { createSyncScheduler } from "./sync-scheduler.ts";

/** Every Inngest function of OmniCRM, served by the web app's /api/inngest route. */
export function createFunctions(deps: () => SyncDeps = () => ({ db: getDb() })) {
  return [
    createGmailSync(deps),
    createCalendarSync(deps),
    createSyncScheduler(deps),
    createInsightsRefresh(deps),
    createSearchIndex(deps),
    createSearchIndexScheduler(deps),
  ];
}
