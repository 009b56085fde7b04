import { randomUUID } from "node:crypto";
import { DomainError } from "@omnicrm/core";
import { getDb, type Db } from "@omnicrm/db";
import { finishConnect, startConnect } from "@omnicrm/google";
import { runtimeEnv } from "../env.ts";
import { GOOGLE_NOT_CONFIGURED, googleSetup } from "../google.ts";
import { logger } from "../logger.ts";
import type { SessionUser } from "../trpc.ts";

/**
 * The two plain-HTTP edges of "Connect Google": GET /api/google/connect sends the signed-in
 * user to Google's consent screen, GET /api/google/callback takes Google's answer. Both answer
 * with redirects only; a failure lands on the sync page as ?error=<code>&message=<sentence>.
 */

export const SYNC_PAGE = "/settings/sync";
export const GOOGLE_CALLBACK_PATH = "/api/google/callback";

export interface GoogleOAuthEdgeOptions {
  db?: Db;
  /** The app's public origin; default: NEXTAUTH_URL's, else the request's. */
  origin?: string;
}

/** Where the app is reached: the redirect URI registered at Google is built from it. */
export function appOrigin(req: Request): string {
  const configured = runtimeEnv().NEXTAUTH_URL;
  if (configured) {
    try {
      return new URL(configured).origin;
    } catch {
      // Below.
    }
  }
  return new URL(req.url).origin;
}

/** Only paths inside the app (the same rule as packages/google): never an open redirect. */
function safePath(value: string | null): string | null {
  return value && /^\/(?!\/)[\w\-/?=&%.]*$/.test(value) ? value.slice(0, 200) : null;
}

function redirect(location: string, requestId: string): Response {
  return new Response(null, {
    status: 302,
    headers: { location, "cache-control": "no-store", "x-request-id": requestId },
  });
}

function pageUrl(origin: string, path: string, params: Record<string, string>): string {
  const target = new URL(path, origin);
  for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
  return target.toString();
}

function signInUrl(origin: string, back: string): string {
  return `${origin}/sign-in?callbackUrl=${encodeURIComponent(back)}`;
}

/** GET /api/google/connect?returnTo=/settings/sync */
export async function googleConnectResponse(
  req: Request,
  user: SessionUser | null,
  options: GoogleOAuthEdgeOptions = {},
): Promise<Response> {
  const requestId = randomUUID();
  const log = logger.child({ requestId, path: "google.connect" });
  const origin = options.origin ?? appOrigin(req);
  const returnTo = safePath(new URL(req.url).searchParams.get("returnTo")) ?? SYNC_PAGE;
  if (!user) {
    const back = `/api/google/connect?returnTo=${encodeURIComponent(returnTo)}`;
    return redirect(signInUrl(origin, back), requestId);
  }
  if (!googleSetup().configured) {
    return redirect(
      pageUrl(origin, SYNC_PAGE, { error: "not_configured", message: GOOGLE_NOT_CONFIGURED }),
      requestId,
    );
  }
  try {
    const { url } = await startConnect(
      options.db ?? getDb(),
      { userId: user.id },
      { redirectUri: `${origin}${GOOGLE_CALLBACK_PATH}`, returnTo },
    );
    log.info({ userId: user.id, outcome: "ok" }, "google connect started");
    return redirect(url, requestId);
  } catch (error) {
    const known = error instanceof DomainError;
    if (known) log.info({ userId: user.id, outcome: "refused" }, "google connect refused");
    else log.error({ userId: user.id, err: error, outcome: "error" }, "google connect failed");
    return redirect(
      pageUrl(origin, SYNC_PAGE, {
        error: "connect_failed",
        message: known
          ? error.message
          : "Connecting Google could not start because of a problem on our side. Try again.",
        ...(known ? {} : { requestId }),
      }),
      requestId,
    );
  }
}

/** GET /api/google/callback?state=…&code=… (or &error=access_denied) */
export async function googleCallbackResponse(
  req: Request,
  user: SessionUser | null,
  options: GoogleOAuthEdgeOptions = {},
): Promise<Response> {
  const requestId = randomUUID();
  const log = logger.child({ requestId, path: "google.callback" });
  const origin = options.origin ?? appOrigin(req);
  const params = new URL(req.url).searchParams;
  const fail = (error: string, message: string, extra: Record<string, string> = {}) =>
    redirect(pageUrl(origin, SYNC_PAGE, { error, message, ...extra }), requestId);

  if (!user) {
    const back = pageUrl(origin, SYNC_PAGE, {
      error: "signed_out",
      message: "You were signed out while connecting Google. Connect Google again.",
    }).slice(origin.length);
    return redirect(signInUrl(origin, back), requestId);
  }
  const state = params.get("state");
  const googleError = params.get("error");
  if (!state) {
    return fail(
      googleError === "access_denied" ? "access_denied" : "invalid_request",
      googleError === "access_denied"
        ? "Google access was not granted, so nothing will sync. You can connect again at any time."
        : "Google's answer was incomplete. Start “Connect Google” again.",
    );
  }
  try {
    const result = await finishConnect(
      options.db ?? getDb(),
      { userId: user.id },
      {
        redirectUri: `${origin}${GOOGLE_CALLBACK_PATH}`,
        state,
        code: params.get("code"),
        error: googleError,
      },
    );
    log.info({ userId: user.id, outcome: "ok" }, "google connected");
    return redirect(pageUrl(origin, result.returnTo, { connected: "1" }), requestId);
  } catch (error) {
    if (error instanceof DomainError) {
      log.info({ userId: user.id, outcome: "refused" }, "google connect refused");
      const code =
        googleError === "access_denied"
          ? "access_denied"
          : googleError
            ? "google_error"
            : "connect_failed";
      return fail(code, error.message);
    }
    log.error({ userId: user.id, err: error, outcome: "error" }, "google connect failed");
    return fail(
      "connect_failed",
      "Google could not be connected because of a problem on our side. Try again.",
      { requestId },
    );
  }
}
