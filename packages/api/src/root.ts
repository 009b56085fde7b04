import { aiRouter } from "./routers/ai.ts";
import { assistantRouter } from "./routers/assistant.ts";
import { authRouter } from "./routers/auth.ts";
import { contactsRouter } from "./routers/contacts.ts";
import { homeRouter } from "./routers/home.ts";
import { importsRouter } from "./routers/imports.ts";
import { insightsRouter } from "./routers/insights.ts";
import { customFieldsRouter } from "./routers/customFields.ts";
import { duplicatesRouter } from "./routers/duplicates.ts";
import { notesRouter } from "./routers/notes.ts";
import { savedViewsRouter } from "./routers/savedViews.ts";
import { searchRouter } from "./routers/search.ts";
import { stagesRouter } from "./routers/stages.ts";
import { syncRouter } from "./routers/sync.ts";
import { tagsRouter } from "./routers/tags.ts";
import { tasksRouter } from "./routers/tasks.ts";
import { timelineRouter } from "./routers/timeline.ts";
import { createCallerFactory, createTRPCRouter } from "./trpc.ts";

export const appRouter = createTRPCRouter({
  ai: aiRouter,
  assistant: assistantRouter,
  auth: authRouter,
  contacts: contactsRouter,
  home: homeRouter,
  tags: tagsRouter,
  notes: notesRouter,
  tasks: tasksRouter,
  customFields: customFieldsRouter,
  stages: stagesRouter,
  savedViews: savedViewsRouter,
  timeline: timelineRouter,
  imports: importsRouter,
  duplicates: duplicatesRouter,
  sync: syncRouter,
  insights: insightsRouter,
  search: searchRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process (server components, tests) with an inner context. */
export const createCaller = createCallerFactory(appRouter);
