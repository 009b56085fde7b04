export * from "./schemas.ts";
export { getAiSettings, updateAiSettings, type AiSettingsRecord } from "./settings.ts";
export {
  setAiConsent,
  consentingContactIds,
  forgetDerivedAiData,
  CONSENT_WITHHELD,
} from "./consent.ts";
export {
  recordAuditEvent,
  listAuditEvents,
  type AiFeature,
  type AuditOutcome,
  type AuditedRecords,
  type AuditEventInput,
  type AuditEventRecord,
} from "./audit.ts";
export {
  createThread,
  listThreads,
  getThread,
  renameThread,
  deleteThread,
  saveThreadMessages,
  loadTurnContext,
  THREAD_NOT_FOUND,
  NEW_THREAD_TITLE,
  type ThreadRecord,
  type ThreadWithMessages,
  type StoredChatMessage,
  type TurnContext,
} from "./threads.ts";
export {
  ConsentWithheldError,
  searchContactsForAssistant,
  contactForAssistant,
  attentionForAssistant,
  upcomingForAssistant,
  requireConsentingContact,
  assistantContactSearchSchema,
  type AssistantContactSummary,
  type AssistantContactRecord,
  type AssistantContactDossier,
  type AssistantAttention,
  type AssistantSession,
} from "./views.ts";
export {
  ENGAGEMENT_LEVELS,
  DEFAULT_INTERVAL_DAYS,
  NEW_CONTACT_DAYS,
  rhythmFacts,
  timeBand,
  isoDay,
  type Engagement,
  type RhythmFacts,
  type RhythmInput,
  type RhythmStatus,
} from "./engagement.ts";
export {
  contactInsightInputs,
  INSIGHT_LIMITS,
  type ContactInsightInputs,
  type InsightInput,
  type InsightInteraction,
  type InsightRecords,
} from "./insight-inputs.ts";
export {
  getStoredInsight,
  saveInsight,
  recordInsightRefreshError,
  contactsWithInsights,
  type StoredInsight,
  type InsightToSave,
} from "./insights.ts";
