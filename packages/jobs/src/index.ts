export {
  inngest,
  gmailSyncRequested,
  calendarSyncRequested,
  syncRequestEvent,
  contactsInteractionsAdded,
  interactionsAddedEvents,
  INTERACTIONS_EVENT_MAX_CONTACTS,
  type SyncRequest,
  type InteractionsAdded,
  embeddingsRequested,
  type EmbeddingsRequest,
} from "./client.ts";
export { jobsEnv } from "./env.ts";
export { createFunctions } from "./functions/index.ts";
export { createGmailSync, recordGmailFailure, GMAIL_BATCH } from "./functions/gmail-sync.ts";
export { createCalendarSync, recordCalendarFailure } from "./functions/calendar-sync.ts";
export { createSyncScheduler } from "./functions/sync-scheduler.ts";
export {
  createInsightsRefresh,
  BACKGROUND_RATE_LIMITED,
  type InsightRefreshDeps,
} from "./functions/insights-refresh.ts";
export {
  createSearchIndex,
  createSearchIndexScheduler,
  recordSearchIndexFailure,
  SEARCH_INDEX_BATCHES_PER_RUN,
  type SearchIndexDeps,
} from "./functions/search-index.ts";
export type { SyncDeps } from "./sync/context.ts";
export {
  previewGmail,
  previewCalendar,
  PREVIEW_SAMPLE,
  type ChannelPreview,
} from "./sync/preview.ts";
export { openGoogle } from "./sync/context.ts";
