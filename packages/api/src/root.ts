import { authRouter } from "./routers/auth.ts";
import { contactsRouter } from "./routers/contacts.ts";
import { createCallerFactory, createTRPCRouter } from "./trpc.ts";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  contacts: contactsRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process (server components, tests) with an inner context. */
export const createCaller = createCallerFactory(appRouter);
