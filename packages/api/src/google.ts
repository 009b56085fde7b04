import { DomainError, sync, type Actor } from "@omnicrm/core";
import { InvalidEnvError, type Db } from "@omnicrm/db";
import {
  GoogleError,
  GoogleRateLimitError,
  GoogleReconnectNeededError,
  GoogleRequestError,
  GoogleTransientError,
  googleEnv,
  VaultError,
} from "@omnicrm/google";
import { TRPCError } from "@trpc/server";

/** Whether this server can offer Google sync, and which settings the operator must add. */
export interface GoogleSetup {
  configured: boolean;
  /** Environment variables to set (or fix) before Google can be connected. */
  missing: string[];
}

export const GOOGLE_NOT_CONFIGURED =
  "Google is not configured on this OmniCRM: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET (see the README).";

export function googleSetup(): GoogleSetup {
  try {
    const env = googleEnv();
    const missing = [
      ...(env.GOOGLE_CLIENT_ID ? [] : ["GOOGLE_CLIENT_ID"]),
      ...(env.GOOGLE_CLIENT_SECRET ? [] : ["GOOGLE_CLIENT_SECRET"]),
    ];
    return { configured: missing.length === 0, missing };
  } catch (error) {
    if (!(error instanceof InvalidEnvError)) throw error;
    // "OMNICRM_ENCRYPTION_KEY must look like ..." → the variable's name, never its value.
    const names = error.issues.map((issue) => issue.split(/\s/)[0] ?? "").filter(Boolean);
    return { configured: false, missing: [...new Set(names)] };
  }
}

export function requireGoogleConfigured(): void {
  const setup = googleSetup();
  if (setup.configured) return;
  throw new TRPCError({
    code: "PRECONDITION_FAILED",
    message:
      setup.missing.length > 0 &&
      !setup.missing.every((name) => name === "GOOGLE_CLIENT_ID" || name === "GOOGLE_CLIENT_SECRET")
        ? `Google sync is not set up on this OmniCRM: set or fix ${setup.missing.join(", ")} (see the README).`
        : GOOGLE_NOT_CONFIGURED,
  });
}

/** The user's connection, or a clear refusal when it is missing or needs a reconnect. */
export async function requireConnection(
  db: Db,
  actor: Actor,
): Promise<sync.GoogleConnectionSummary> {
  const connection = await sync.getConnectionSummary(db, actor);
  if (!connection || connection.status === "disconnected") {
    throw new TRPCError({ code: "PRECONDITION_FAILED", message: "Connect Google first." });
  }
  if (connection.status === "reconnect_needed") {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: `Reconnect Google first: ${connection.statusReason ?? "the permission to read it was withdrawn or expired."}`,
    });
  }
  return connection;
}

/**
 * What Google (or the token vault) threw, as an error the user can act on. Domain and tRPC
 * errors pass through; anything unexpected stays an internal error (logged, never shown).
 */
export function toGoogleTrpcError(error: unknown): unknown {
  if (error instanceof TRPCError || error instanceof DomainError) return error;
  if (error instanceof GoogleReconnectNeededError) {
    return new TRPCError({ code: "PRECONDITION_FAILED", message: error.message, cause: error });
  }
  if (error instanceof GoogleRateLimitError) {
    return new TRPCError({
      code: "TOO_MANY_REQUESTS",
      message: "Google asks OmniCRM to slow down. Try again in a minute.",
      cause: error,
    });
  }
  if (error instanceof GoogleTransientError) {
    return new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: "Google did not answer. Try again in a moment.",
      cause: error,
    });
  }
  if (error instanceof GoogleRequestError || error instanceof GoogleError) {
    return new TRPCError({ code: "BAD_GATEWAY", message: error.message, cause: error });
  }
  if (error instanceof VaultError) {
    return new TRPCError({
      code: "PRECONDITION_FAILED",
      message:
        "The saved Google access cannot be opened with this server's encryption key (OMNICRM_ENCRYPTION_KEY changed). Reconnect Google.",
      cause: error,
    });
  }
  return error;
}

/**
 * Runs a call to Google as the user, with the errors mapped for people. When Google says the
 * grant is dead in the middle of a call (a 401, then invalid_grant on refresh), the connection
 * is marked "reconnect needed" as the session does when it opens, so the page says so.
 */
export async function withGoogle<T>(db: Db, actor: Actor, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof GoogleReconnectNeededError) {
      const connection = await sync.getConnectionSummary(db, actor);
      if (connection?.status === "connected") {
        await sync.markReconnectNeeded(db, actor, error.message);
      }
    }
    throw toGoogleTrpcError(error);
  }
}
