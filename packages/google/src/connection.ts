import { createHash, randomBytes } from "node:crypto";
import { InvalidInputError, sync, type Actor } from "@omnicrm/core";
import type { Db } from "@omnicrm/db";
import { OAuth2Client, type Credentials } from "google-auth-library";
import { googleEnv } from "./env.ts";
import { classifyGoogleError, GoogleReconnectNeededError } from "./errors.ts";
import { envKeyRing, needsRotation, open, seal, type KeyRing } from "./vault.ts";

/** Read-only Gmail and Calendar, plus the account's address to show which one is connected. */
export const SYNC_SCOPES = [
  "https://www.googleapis.com/auth/gmail.readonly",
  "https://www.googleapis.com/auth/calendar.readonly",
  "openid",
  "email",
] as const;

const REQUIRED_SCOPES = SYNC_SCOPES.slice(0, 2);
const STATE_TTL_MS = 10 * 60_000;

interface StoredTokens {
  accessToken: string | null;
  refreshToken: string;
  /** ms since epoch */
  expiresAt: number | null;
}

/** The OAuth client for Google's (or the configured local server's) endpoints. */
export function createOAuthClient(redirectUri?: string): OAuth2Client {
  const env = googleEnv();
  if (!env.GOOGLE_CLIENT_ID || !env.GOOGLE_CLIENT_SECRET) {
    throw new InvalidInputError(
      "Google is not configured on this OmniCRM: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET (see the README).",
    );
  }
  return new OAuth2Client({
    clientId: env.GOOGLE_CLIENT_ID,
    clientSecret: env.GOOGLE_CLIENT_SECRET,
    redirectUri,
    endpoints: {
      oauth2AuthBaseUrl: env.GOOGLE_OAUTH_AUTH_URL,
      oauth2TokenUrl: env.GOOGLE_OAUTH_TOKEN_URL,
      oauth2RevokeUrl: env.GOOGLE_OAUTH_REVOKE_URL,
    },
    transporterOptions: { timeout: env.GOOGLE_TIMEOUT_MS },
    // Google may stop accepting an access token before its expiry (401): refresh it and try
    // once more, so a live grant keeps working and a dead one says invalid_grant.
    forceRefreshOnFailure: true,
  });
}

const context = (actor: Actor) => `google-connection:${actor.userId}`;

/**
 * Starts "Connect Google": a single-use state and a PKCE verifier (sealed) are stored for ten
 * minutes, and the user is sent to Google's consent screen asking for offline access.
 */
export async function startConnect(
  db: Db,
  actor: Actor,
  input: { redirectUri: string; returnTo?: string },
  ring: KeyRing = envKeyRing(),
): Promise<{ url: string }> {
  const client = createOAuthClient(input.redirectUri);
  const state = randomBytes(24).toString("base64url");
  const verifier = randomBytes(48).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const sealed = seal(ring, verifier, `oauth-state:${actor.userId}:${state}`);
  await db.googleOAuthState.deleteMany({
    where: { OR: [{ userId: actor.userId }, { expiresAt: { lt: new Date() } }] },
  });
  await db.googleOAuthState.create({
    data: {
      state,
      userId: actor.userId,
      codeVerifier: sealed.sealed,
      keyId: sealed.keyId,
      returnTo: safeReturnTo(input.returnTo),
      expiresAt: new Date(Date.now() + STATE_TTL_MS),
    },
  });
  const url = client.generateAuthUrl({
    access_type: "offline",
    prompt: "consent",
    include_granted_scopes: true,
    scope: [...SYNC_SCOPES],
    state,
    code_challenge: challenge,
    // google-auth-library's enum type; the value is the string Google expects.
    code_challenge_method: "S256" as never,
  });
  return { url };
}

/** Only paths inside the app: never an open redirect. */
function safeReturnTo(value: string | undefined): string {
  return value && /^\/(?!\/)[\w\-/?=&%.]*$/.test(value) ? value.slice(0, 200) : "/settings/sync";
}

/**
 * Google sent the user back: checks the state (this user's, unexpired, used once), exchanges
 * the code with the PKCE verifier, checks the scopes, reads the account's address, and stores
 * the tokens sealed. Channels stopped for "reconnect needed" may run again.
 */
export async function finishConnect(
  db: Db,
  actor: Actor,
  input: { redirectUri: string; state: string; code?: string | null; error?: string | null },
  ring: KeyRing = envKeyRing(),
): Promise<{ returnTo: string; googleEmail: string }> {
  const pending = await db.googleOAuthState.findUnique({ where: { state: input.state } });
  if (pending) await db.googleOAuthState.delete({ where: { state: input.state } });
  if (!pending || pending.userId !== actor.userId || pending.expiresAt < new Date()) {
    throw new InvalidInputError(
      "This Google sign-in link expired or was already used. Start “Connect Google” again.",
    );
  }
  if (input.error) {
    throw new InvalidInputError(
      input.error === "access_denied"
        ? "Google access was not granted, so nothing will sync. You can connect again at any time."
        : "Google did not complete the connection. Try again.",
    );
  }
  if (!input.code) throw new InvalidInputError("Google did not send a code back. Try again.");
  const verifier = open(ring, pending.codeVerifier, `oauth-state:${actor.userId}:${input.state}`);

  const client = createOAuthClient(input.redirectUri);
  let tokens: Credentials;
  try {
    ({ tokens } = await client.getToken({ code: input.code, codeVerifier: verifier }));
  } catch (error) {
    const classified = classifyGoogleError(error, "the connection");
    throw new InvalidInputError(
      classified instanceof GoogleReconnectNeededError
        ? "Google refused the connection code (it may have been used already). Start “Connect Google” again."
        : classified.message,
    );
  }
  const granted = (tokens.scope ?? "").split(/\s+/);
  const missing = REQUIRED_SCOPES.filter((scope) => !granted.includes(scope));
  if (missing.length > 0) {
    throw new InvalidInputError(
      "OmniCRM needs read access to both Gmail and Calendar: tick both boxes on Google's screen.",
    );
  }
  if (!tokens.refresh_token) {
    throw new InvalidInputError(
      "Google did not grant offline access. Remove OmniCRM from your Google account's third-party access and connect again.",
    );
  }
  const googleEmail = await accountEmail(tokens.access_token ?? "");
  const stored: StoredTokens = {
    accessToken: tokens.access_token ?? null,
    refreshToken: tokens.refresh_token,
    expiresAt: tokens.expiry_date ?? null,
  };
  const sealed = seal(ring, JSON.stringify(stored), context(actor));
  await db.$transaction([
    db.googleConnection.upsert({
      where: { userId: actor.userId },
      create: {
        userId: actor.userId,
        googleEmail,
        scopes: granted.filter(Boolean),
        status: "connected",
        tokens: sealed.sealed,
        keyId: sealed.keyId,
        accessTokenExpiresAt: stored.expiresAt ? new Date(stored.expiresAt) : null,
      },
      update: {
        googleEmail,
        scopes: granted.filter(Boolean),
        status: "connected",
        statusReason: null,
        tokens: sealed.sealed,
        keyId: sealed.keyId,
        accessTokenExpiresAt: stored.expiresAt ? new Date(stored.expiresAt) : null,
        connectedAt: new Date(),
      },
    }),
    // Back from "reconnect needed": continue from the cursor, or start over without one.
    db.syncChannel.updateMany({
      where: { userId: actor.userId, stage: "reconnect_needed", cursor: { not: null } },
      data: { stage: "incremental", lastError: null },
    }),
    db.syncChannel.updateMany({
      where: { userId: actor.userId, stage: "reconnect_needed" },
      data: { stage: "not_started", lastError: null },
    }),
  ]);
  return { returnTo: pending.returnTo, googleEmail };
}

async function accountEmail(accessToken: string): Promise<string> {
  const env = googleEnv();
  try {
    const response = await fetch(env.GOOGLE_USERINFO_URL, {
      headers: { authorization: `Bearer ${accessToken}` },
      signal: AbortSignal.timeout(env.GOOGLE_TIMEOUT_MS),
    });
    if (response.ok) {
      const body = (await response.json()) as { email?: unknown };
      if (typeof body.email === "string" && body.email.includes("@")) {
        return body.email.toLowerCase();
      }
    }
  } catch {
    // Below.
  }
  throw new InvalidInputError("Google did not say which account was connected. Try again.");
}

/**
 * Disconnects Google: revokes the grant at Google, deletes the tokens, and stops the channels
 * (what was synced stays). Returns whether Google confirmed the revocation.
 */
export async function disconnect(
  db: Db,
  actor: Actor,
  ring: KeyRing = envKeyRing(),
): Promise<{ revoked: boolean }> {
  const row = await db.googleConnection.findUnique({ where: { userId: actor.userId } });
  if (!row) return { revoked: true };
  let revoked = false;
  try {
    const tokens = JSON.parse(open(ring, row.tokens, context(actor))) as StoredTokens;
    const client = createOAuthClient();
    await client.revokeToken(tokens.refreshToken);
    revoked = true;
  } catch {
    // The grant may be gone already (invalid_grant) or Google unreachable: the tokens are
    // deleted all the same, and the user is told to check Google's third-party access page.
  }
  await db.$transaction([
    db.googleConnection.delete({ where: { userId: actor.userId } }),
    db.syncChannel.updateMany({
      where: { userId: actor.userId },
      data: { approvedAt: null, stage: "paused", nextRunAt: null, cursor: null },
    }),
    db.calendarCursor.deleteMany({ where: { userId: actor.userId } }),
  ]);
  return { revoked };
}

export interface GoogleSession {
  auth: OAuth2Client;
  googleEmail: string;
  /** Waits for refreshed tokens to be stored (sealed). Call before the step ends. */
  flush: () => Promise<void>;
}

/**
 * An authorized client for the user's connection, with a fresh access token. Refreshed tokens
 * are sealed and stored again. When Google says the grant is dead (invalid_grant), the
 * connection is marked "reconnect needed", every channel stops, and this throws
 * GoogleReconnectNeededError.
 */
export async function googleSession(
  db: Db,
  actor: Actor,
  ring: KeyRing = envKeyRing(),
): Promise<GoogleSession> {
  const row = await db.googleConnection.findUnique({ where: { userId: actor.userId } });
  if (!row || row.status === "disconnected") {
    throw new GoogleReconnectNeededError("Google is not connected.");
  }
  if (row.status === "reconnect_needed") {
    throw new GoogleReconnectNeededError(
      row.statusReason ?? "Google needs to be reconnected before syncing.",
    );
  }
  const stored = JSON.parse(open(ring, row.tokens, context(actor))) as StoredTokens;
  const auth = createOAuthClient();
  auth.setCredentials({
    access_token: stored.accessToken,
    refresh_token: stored.refreshToken,
    expiry_date: stored.expiresAt,
  });
  let current = stored;
  const writes: Promise<unknown>[] = [];
  const persist = (next: StoredTokens) => {
    current = next;
    const sealed = seal(ring, JSON.stringify(next), context(actor));
    writes.push(
      db.googleConnection.updateMany({
        where: { userId: actor.userId },
        data: {
          tokens: sealed.sealed,
          keyId: sealed.keyId,
          accessTokenExpiresAt: next.expiresAt ? new Date(next.expiresAt) : null,
        },
      }),
    );
  };
  auth.on("tokens", (tokens) => {
    persist({
      accessToken: tokens.access_token ?? current.accessToken,
      // Google sends a new refresh token only sometimes; keep the one we have otherwise.
      refreshToken: tokens.refresh_token ?? current.refreshToken,
      expiresAt: tokens.expiry_date ?? current.expiresAt,
    });
  });
  try {
    await auth.getAccessToken();
  } catch (error) {
    const classified = classifyGoogleError(error, "refreshing the access");
    if (classified instanceof GoogleReconnectNeededError) {
      await sync.markReconnectNeeded(db, actor, classified.message);
    }
    throw classified;
  }
  // A key rotated since the tokens were sealed: seal them again with the current key.
  if (writes.length === 0 && needsRotation(ring, row.tokens)) persist(current);
  const flush = async () => {
    await Promise.all(writes.splice(0));
  };
  await flush();
  return { auth, googleEmail: row.googleEmail, flush };
}
