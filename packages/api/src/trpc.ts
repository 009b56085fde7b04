import { randomUUID } from "node:crypto";
import { DomainError, type Actor } from "@omnicrm/core";
import { getDb, type Db } from "@omnicrm/db";
import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { z, ZodError } from "zod";
import { logger as rootLogger, type Logger } from "./logger.ts";
import { transformer } from "./transformer.ts";

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
}

/** What every procedure sees. Tests build it directly, without HTTP. */
export interface InnerContext {
  db: Db;
  user: SessionUser | null;
  requestId: string;
  /** The caller's address, for rate limits. */
  ip: string;
  log: Logger;
}

export function createInnerContext(
  options: Partial<Omit<InnerContext, "db">> & { db: Db },
): InnerContext {
  const requestId = options.requestId ?? randomUUID();
  return {
    db: options.db,
    user: options.user ?? null,
    requestId,
    ip: options.ip ?? "unknown",
    log: options.log ?? rootLogger.child({ requestId }),
  };
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The HTTP context: reads the request id and address from headers, the user from the session. */
export function createTRPCContext(options: {
  headers: Headers;
  user: SessionUser | null;
  db?: Db;
}): InnerContext {
  const incoming = options.headers.get("x-request-id");
  return createInnerContext({
    db: options.db ?? getDb(),
    user: options.user,
    requestId: incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID(),
    ip: options.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown",
  });
}

const domainToTrpc: Record<DomainError["kind"], TRPC_ERROR_CODE_KEY> = {
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  invalid: "BAD_REQUEST",
  rate_limited: "TOO_MANY_REQUESTS",
  forbidden: "FORBIDDEN",
};

const GENERIC_FAILURE =
  "Something went wrong on our side. Try again; if it keeps happening, quote the request id.";

/** Field errors a form can show next to its inputs, from zod or a domain error. */
function fieldErrorsOf(cause: unknown): Record<string, string[]> | null {
  if (cause instanceof ZodError) {
    const flat = z.flattenError(cause);
    const fields: Record<string, string[]> = {};
    for (const issue of cause.issues) {
      const key = issue.path.join(".") || "_form";
      (fields[key] ??= []).push(issue.message);
    }
    if (flat.formErrors.length > 0) fields._form = flat.formErrors;
    return fields;
  }
  if (cause instanceof DomainError && Object.keys(cause.fieldErrors).length > 0)
    return cause.fieldErrors;
  return null;
}

/** tRPC puts zod's raw issue list in the message of an input error; people get a sentence. */
function userMessage(error: TRPCError): string {
  if (!(error.cause instanceof ZodError)) return error.message;
  const issues = error.cause.issues;
  const fields = new Set(issues.map((issue) => issue.path.join(".")));
  return fields.size === 1 ? issues[0]!.message : `${fields.size} fields are not valid.`;
}

const t = initTRPC.context<InnerContext>().create({
  transformer,
  // Never send stack traces, whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error, ctx }) {
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    return {
      message: internal ? GENERIC_FAILURE : userMessage(error),
      code: shape.code,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        requestId: ctx?.requestId ?? null,
        fieldErrors: fieldErrorsOf(error.cause),
      },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

/**
 * Turns what the domain throws into transport errors (one mapping for the whole API) and logs
 * each call once with its duration and outcome, never its input.
 */
const observed = t.middleware(async ({ ctx, path, type, next }) => {
  const started = performance.now();
  const result = await next();
  const durationMs = Math.round((performance.now() - started) * 10) / 10;
  const base = { path, type, durationMs, userId: ctx.user?.id ?? null };
  if (result.ok) {
    ctx.log.info({ ...base, outcome: "ok" }, "trpc call");
    return result;
  }
  const { error } = result;
  const cause = error.cause;
  let mapped: TRPCError = error;
  if (cause instanceof DomainError) {
    mapped = new TRPCError({ code: domainToTrpc[cause.kind], message: cause.message, cause });
  } else if (cause instanceof ZodError && error.code === "INTERNAL_SERVER_ERROR") {
    mapped = new TRPCError({ code: "BAD_REQUEST", message: "Some fields are not valid.", cause });
  }
  if (mapped.code === "INTERNAL_SERVER_ERROR") {
    ctx.log.error(
      { ...base, outcome: "error", code: mapped.code, err: cause ?? error },
      "trpc call failed",
    );
  } else {
    ctx.log.info({ ...base, outcome: "refused", code: mapped.code }, "trpc call refused");
  }
  throw mapped;
});

export const publicProcedure = t.procedure.use(observed);

/** A signed-in user is required; `ctx.actor` is who every core call acts as. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  }
  const actor: Actor = { userId: ctx.user.id };
  return next({ ctx: { ...ctx, user: ctx.user, actor } });
});
