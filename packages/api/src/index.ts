import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root.ts";

export { appRouter, createCaller, type AppRouter } from "./root.ts";
export {
  createTRPCContext,
  createInnerContext,
  type InnerContext,
  type SessionUser,
} from "./trpc.ts";
export { logger } from "./logger.ts";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export { contactsExportResponse } from "./http/contacts-export.ts";
export {
  contactsImportUploadResponse,
  contactsImportReportResponse,
  IMPORT_UPLOAD_LIMIT_BYTES,
} from "./http/contacts-import.ts";
export {
  googleConnectResponse,
  googleCallbackResponse,
  appOrigin,
  SYNC_PAGE,
} from "./http/google-oauth.ts";
export { googleSetup, type GoogleSetup } from "./google.ts";
export {
  backgroundJobsStatus,
  forgetBackgroundJobsStatus,
  type BackgroundJobsStatus,
} from "./background-jobs.ts";
export type { GmailLabelOption, SyncRequestOutcome } from "./routers/sync.ts";
export { chatResponse } from "./http/chat.ts";
