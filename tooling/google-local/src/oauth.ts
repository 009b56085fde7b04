import {
  createHash,
  createSign,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";
import type { Account, AccountRegistry } from "./accounts.ts";
import type { Clock } from "./clock.ts";
import { HttpError, invalidCredentials, missingCredentials, oauthError } from "./errors.ts";
import { route, type AuthInfo, type Route, type RouteContext } from "./router.ts";

export const SCOPES = {
  mail: "https://mail.google.com/",
  gmailReadonly: "https://www.googleapis.com/auth/gmail.readonly",
  gmailModify: "https://www.googleapis.com/auth/gmail.modify",
  gmailMetadata: "https://www.googleapis.com/auth/gmail.metadata",
  gmailLabels: "https://www.googleapis.com/auth/gmail.labels",
  calendar: "https://www.googleapis.com/auth/calendar",
  calendarReadonly: "https://www.googleapis.com/auth/calendar.readonly",
  calendarEvents: "https://www.googleapis.com/auth/calendar.events",
  calendarEventsReadonly: "https://www.googleapis.com/auth/calendar.events.readonly",
  calendarListReadonly: "https://www.googleapis.com/auth/calendar.calendarlist.readonly",
  email: "https://www.googleapis.com/auth/userinfo.email",
  profile: "https://www.googleapis.com/auth/userinfo.profile",
  openid: "openid",
} as const;

const KNOWN_SCOPES = new Set<string>([
  ...Object.values(SCOPES),
  "https://www.googleapis.com/auth/gmail.send",
  "https://www.googleapis.com/auth/gmail.compose",
  "https://www.googleapis.com/auth/gmail.insert",
  "https://www.googleapis.com/auth/gmail.settings.basic",
  "https://www.googleapis.com/auth/calendar.settings.readonly",
  "https://www.googleapis.com/auth/calendar.calendarlist",
  "https://www.googleapis.com/auth/calendar.events.owned",
  "https://www.googleapis.com/auth/calendar.events.owned.readonly",
  "https://www.googleapis.com/auth/calendar.app.created",
]);

/** Google expands the short identity scopes to their URLs in token responses. */
function normalizeScope(scope: string): string {
  if (scope === "email") return SCOPES.email;
  if (scope === "profile") return SCOPES.profile;
  return scope;
}

export interface OAuthSettings {
  clientId: string;
  clientSecret: string;
  /** Allowed redirect URIs (exact match). Empty: any http(s) URI is accepted. */
  redirectUris: string[];
  accessTokenTtlSeconds: number;
  codeTtlSeconds: number;
  /** Return a new refresh token on every refresh and invalidate the old one (Google doesn't). */
  rotateRefreshTokens: boolean;
  requirePkce: boolean;
  requireState: boolean;
  /** Reject auth requests without access_type=offline (without it, no refresh token is issued). */
  requireOfflineAccess: boolean;
  /** 403 insufficientPermissions when a token lacks the API's scopes. */
  enforceScopes: boolean;
}

export interface ConsentSettings {
  /** Which account "signs in" (else login_hint if it names an account, else the first account). */
  loginAs?: string;
  /** Simulates the user clicking Cancel: redirect with error=access_denied. */
  deny?: boolean;
  /** Simulates granular consent: only these of the requested scopes are granted. */
  grantScopes?: string[];
}

/** What the token endpoint returns (and issueTokens hands to tests). */
export interface TokenResponse {
  access_token: string;
  expires_in: number;
  scope: string;
  token_type: "Bearer";
  refresh_token?: string;
  id_token?: string;
}

interface Grant {
  id: string;
  email: string;
  clientId: string;
  scopes: string[];
  revoked: boolean;
}

interface AccessTokenRecord {
  grant: Grant;
  expiresAt: number;
}

interface RefreshTokenRecord {
  grant: Grant;
  revoked: boolean;
}

interface AuthCodeRecord {
  email: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  challenge?: string;
  challengeMethod?: string;
  offline: boolean;
  expiresAt: number;
  used: boolean;
  nonce?: string;
}

const token = (prefix: string, bytes = 32): string =>
  `${prefix}${randomBytes(bytes).toString("base64url")}`;

const sameString = (a: string, b: string): boolean => {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
};

/** OAuth 2.0 as Google runs it: auth code + PKCE, refresh, revoke, userinfo, tokeninfo, id tokens. */
export class OAuthService {
  consent: ConsentSettings = {};
  private readonly grants = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private readonly codes = new Map<string, AuthCodeRecord>();
  private signingKey:
    | { kid: string; privateKey: KeyObject; publicPem: string; jwk: Record<string, unknown> }
    | undefined;

  constructor(
    readonly settings: OAuthSettings,
    private readonly accounts: AccountRegistry,
    private readonly clock: Clock,
  ) {}

  setConsent(consent: ConsentSettings): void {
    if (consent.loginAs && !this.accounts.get(consent.loginAs))
      throw new Error(`No account ${consent.loginAs}; add it with accounts.add() first`);
    this.consent = { ...consent };
  }

  /** Mints tokens for an account directly, skipping the browser dance (for tests and benches). */
  issueTokens(
    email: string,
    scopes: readonly string[] = DEFAULT_TEST_SCOPES,
    clientId = this.settings.clientId,
  ): TokenResponse {
    const account = this.accounts.require(email);
    const grant = this.newGrant(account.email, clientId, scopes.map(normalizeScope));
    return this.tokenResponse(grant, true);
  }

  /** Revokes every grant (or an account's), as if the user removed the app's access. */
  revokeAll(email?: string): void {
    for (const grant of this.grants.values())
      if (!email || grant.email.toLowerCase() === email.toLowerCase()) grant.revoked = true;
  }

  /** Makes every current access token (or an account's) expired; refresh tokens stay valid. */
  expireAccessTokens(email?: string): void {
    const now = this.clock();
    for (const record of this.accessTokens.values())
      if (!email || record.grant.email.toLowerCase() === email.toLowerCase())
        record.expiresAt = Math.min(record.expiresAt, now);
  }

  /** The account and scopes behind a bearer token, or the 401 Google returns. */
  authenticate(ctx: RouteContext): AuthInfo {
    const header = ctx.req.headers.authorization;
    const bearer = header && /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    const presented = bearer || ctx.query.get("access_token");
    if (!presented) throw missingCredentials();
    const record = this.accessTokens.get(presented);
    if (!record || record.grant.revoked || this.clock() >= record.expiresAt)
      throw invalidCredentials();
    const account = this.accounts.get(record.grant.email);
    if (!account) throw invalidCredentials();
    return { account, scopes: record.grant.scopes, clientId: record.grant.clientId };
  }

  routes(): Route[] {
    return [
      route({
        method: "GET",
        path: "/o/oauth2/v2/auth",
        endpoint: "oauth.authorize",
        bearer: false,
        handle: (ctx) => this.authorize(ctx),
      }),
      route({
        method: "GET",
        path: "/o/oauth2/auth",
        endpoint: "oauth.authorize",
        bearer: false,
        handle: (ctx) => this.authorize(ctx),
      }),
      route({
        method: "POST",
        path: "/token",
        endpoint: (ctx) =>
          ctx.fields.grant_type === "refresh_token"
            ? "oauth.token.refresh"
            : ctx.fields.grant_type === "authorization_code"
              ? "oauth.token.code"
              : "oauth.token",
        bearer: false,
        handle: (ctx) => ({ body: this.token(ctx) }),
      }),
      route({
        method: "POST",
        path: "/revoke",
        endpoint: "oauth.revoke",
        bearer: false,
        handle: (ctx) => this.revoke(ctx),
      }),
      route({
        method: "POST",
        path: "/o/oauth2/revoke",
        endpoint: "oauth.revoke",
        bearer: false,
        handle: (ctx) => this.revoke(ctx),
      }),
      route({
        method: "GET",
        path: "/o/oauth2/revoke",
        endpoint: "oauth.revoke",
        bearer: false,
        handle: (ctx) => this.revoke(ctx),
      }),
      ...[
        "/oauth2/v3/userinfo",
        "/oauth2/v2/userinfo",
        "/oauth2/v1/userinfo",
        "/userinfo/v2/me",
      ].map((path) =>
        route({
          method: "GET",
          path,
          endpoint: "oauth.userinfo",
          bearer: false,
          handle: (ctx) => this.userinfo(ctx, path.includes("v3") ? 3 : 2),
        }),
      ),
      route({
        method: "GET",
        path: "/tokeninfo",
        endpoint: "oauth.tokeninfo",
        bearer: false,
        handle: (ctx) => this.tokeninfo(ctx),
      }),
      route({
        method: "POST",
        path: "/tokeninfo",
        endpoint: "oauth.tokeninfo",
        bearer: false,
        handle: (ctx) => this.tokeninfo(ctx),
      }),
      route({
        method: "GET",
        path: "/oauth2/v1/certs",
        endpoint: "oauth.certs",
        bearer: false,
        handle: () => ({
          body: { [this.key().kid]: this.key().publicPem },
          headers: { "cache-control": "public, max-age=3600" },
        }),
      }),
      route({
        method: "GET",
        path: "/oauth2/v3/certs",
        endpoint: "oauth.certs",
        bearer: false,
        handle: () => ({
          body: { keys: [this.key().jwk] },
          headers: { "cache-control": "public, max-age=3600" },
        }),
      }),
    ];
  }

  private authorize(ctx: RouteContext): { status: number; headers: Record<string, string> } {
    // an empty parameter counts as a missing one
    const q = new URLSearchParams([...ctx.query].filter(([, value]) => value !== ""));
    const s = this.settings;
    const clientId = q.get("client_id");
    if (!clientId)
      throw oauthError(400, "invalid_request", "Missing required parameter: client_id");
    if (clientId !== s.clientId)
      throw oauthError(401, "invalid_client", "The OAuth client was not found.");
    const redirectUri = q.get("redirect_uri");
    if (!redirectUri)
      throw oauthError(400, "invalid_request", "Missing required parameter: redirect_uri");
    let redirect: URL;
    try {
      redirect = new URL(redirectUri);
    } catch {
      throw oauthError(
        400,
        "invalid_request",
        `Invalid parameter value for redirect_uri: ${redirectUri}`,
      );
    }
    const allowed = s.redirectUris.length
      ? s.redirectUris.includes(redirectUri)
      : /^https?:$/.test(redirect.protocol);
    if (!allowed)
      throw oauthError(
        400,
        "redirect_uri_mismatch",
        `The redirect URI in the request, ${redirectUri}, does not match the ones authorized for the OAuth client.`,
      );
    const responseType = q.get("response_type");
    if (!responseType)
      throw oauthError(400, "invalid_request", "Required parameter is missing: response_type");
    if (responseType !== "code")
      throw oauthError(400, "unsupported_response_type", `Invalid response_type: ${responseType}`);
    const scopeParam = q.get("scope")?.trim();
    if (!scopeParam) throw oauthError(400, "invalid_request", "Missing required parameter: scope");
    const requested = [...new Set(scopeParam.split(/\s+/).map(normalizeScope))];
    const unknown = requested.filter((sc) => !KNOWN_SCOPES.has(sc));
    if (unknown.length)
      throw oauthError(
        400,
        "invalid_scope",
        `Some requested scopes were invalid. {invalid=[${unknown.join(", ")}]}`,
      );
    const state = q.get("state");
    if (s.requireState && !state)
      throw oauthError(
        400,
        "invalid_request",
        "Missing required parameter: state (required by this local server)",
      );
    const challenge = q.get("code_challenge") ?? undefined;
    const method = q.get("code_challenge_method") ?? (challenge ? "plain" : undefined);
    if (challenge !== undefined) {
      if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(challenge))
        throw oauthError(400, "invalid_request", "Invalid code_challenge.");
      if (method !== "S256" && method !== "plain")
        throw oauthError(400, "invalid_request", `Invalid code_challenge_method: ${method}`);
    }
    if (s.requirePkce && (challenge === undefined || method !== "S256"))
      throw oauthError(
        400,
        "invalid_request",
        "code_challenge with code_challenge_method=S256 is required by this local server",
      );
    const accessType = q.get("access_type") ?? "online";
    if (accessType !== "online" && accessType !== "offline")
      throw oauthError(400, "invalid_request", `Invalid access_type: ${accessType}`);
    if (s.requireOfflineAccess && accessType !== "offline")
      throw oauthError(
        400,
        "invalid_request",
        "access_type=offline is required by this local server",
      );

    const withParams = (params: Record<string, string>): string => {
      const target = new URL(redirectUri);
      for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
      return target.toString();
    };
    if (this.consent.deny)
      return {
        status: 302,
        headers: { location: withParams({ error: "access_denied", ...(state ? { state } : {}) }) },
      };

    const hint = q.get("login_hint");
    const account: Account | undefined =
      (this.consent.loginAs ? this.accounts.get(this.consent.loginAs) : undefined) ??
      (hint ? this.accounts.get(hint) : undefined) ??
      this.accounts.first;
    if (!account) throw oauthError(400, "access_denied", "No accounts on this server");
    const granted = this.consent.grantScopes
      ? requested.filter((sc) => this.consent.grantScopes?.map(normalizeScope).includes(sc))
      : requested;
    const code = token("4/0Local", 24);
    this.codes.set(code, {
      email: account.email,
      clientId,
      redirectUri,
      scopes: granted,
      ...(challenge !== undefined ? { challenge, challengeMethod: method } : {}),
      offline: accessType === "offline",
      expiresAt: this.clock() + s.codeTtlSeconds * 1000,
      used: false,
      ...(q.get("nonce") ? { nonce: q.get("nonce") ?? "" } : {}),
    });
    return {
      status: 302,
      headers: {
        location: withParams({
          ...(state ? { state } : {}),
          code,
          scope: granted.join(" "),
          authuser: "0",
          prompt: "consent",
        }),
      },
    };
  }

  private clientFrom(ctx: RouteContext): string {
    let clientId = ctx.fields.client_id;
    let secret = ctx.fields.client_secret;
    const basic =
      ctx.req.headers.authorization && /^Basic\s+(.+)$/i.exec(ctx.req.headers.authorization)?.[1];
    if (basic) {
      const [id, sec] = Buffer.from(basic, "base64").toString("utf8").split(":");
      clientId = decodeURIComponent(id ?? "");
      secret = decodeURIComponent(sec ?? "");
    }
    if (!clientId)
      throw oauthError(400, "invalid_request", "Could not determine client ID from request.");
    if (clientId !== this.settings.clientId)
      throw oauthError(401, "invalid_client", "The OAuth client was not found.");
    if (!secret || !sameString(secret, this.settings.clientSecret))
      throw oauthError(401, "invalid_client", "Unauthorized");
    return clientId;
  }

  private token(ctx: RouteContext): TokenResponse {
    const f = ctx.fields;
    const grantType = f.grant_type;
    if (!grantType) throw oauthError(400, "unsupported_grant_type", "Invalid grant_type: ");
    if (grantType !== "authorization_code" && grantType !== "refresh_token")
      throw oauthError(400, "unsupported_grant_type", `Invalid grant_type: ${grantType}`);
    const clientId = this.clientFrom(ctx);
    if (grantType === "authorization_code") {
      if (!f.code) throw oauthError(400, "invalid_request", "Missing required parameter: code");
      const record = this.codes.get(f.code);
      if (
        !record ||
        record.used ||
        record.clientId !== clientId ||
        this.clock() >= record.expiresAt
      )
        throw oauthError(400, "invalid_grant", "Bad Request");
      if (!f.redirect_uri)
        throw oauthError(400, "invalid_request", "Missing parameter: redirect_uri");
      if (f.redirect_uri !== record.redirectUri)
        throw oauthError(400, "redirect_uri_mismatch", "Bad Request");
      if (record.challenge !== undefined) {
        const verifier = f.code_verifier;
        if (!verifier) throw oauthError(400, "invalid_grant", "Missing code verifier.");
        const computed =
          record.challengeMethod === "S256"
            ? createHash("sha256").update(verifier).digest("base64url")
            : verifier;
        if (!sameString(computed, record.challenge))
          throw oauthError(400, "invalid_grant", "Invalid code verifier.");
      } else if (f.code_verifier) {
        throw oauthError(
          400,
          "invalid_grant",
          "code_verifier given but the authorization request had no code_challenge.",
        );
      }
      record.used = true;
      const grant = this.newGrant(record.email, clientId, record.scopes);
      return this.tokenResponse(grant, record.offline, record.nonce);
    }
    if (!f.refresh_token)
      throw oauthError(400, "invalid_request", "Missing required parameter: refresh_token");
    const refresh = this.refreshTokens.get(f.refresh_token);
    if (!refresh || refresh.revoked || refresh.grant.revoked || refresh.grant.clientId !== clientId)
      throw oauthError(400, "invalid_grant", "Token has been expired or revoked.");
    if (this.settings.rotateRefreshTokens) {
      refresh.revoked = true;
      return this.tokenResponse(refresh.grant, true);
    }
    return this.tokenResponse(refresh.grant, false);
  }

  private revoke(ctx: RouteContext): { body: unknown } {
    const presented = ctx.query.get("token") ?? ctx.fields.token;
    if (!presented) throw oauthError(400, "invalid_request", "Missing required parameter: token");
    const grant =
      this.accessTokens.get(presented)?.grant ?? this.refreshTokens.get(presented)?.grant;
    if (!grant || grant.revoked) throw oauthError(400, "invalid_token", "Token expired or revoked");
    grant.revoked = true;
    return { body: {} };
  }

  private bearerFor(ctx: RouteContext): AuthInfo {
    try {
      return this.authenticate(ctx);
    } catch (error) {
      if (error instanceof HttpError)
        throw oauthError(401, "invalid_request", "Invalid Credentials");
      throw error;
    }
  }

  private userinfo(ctx: RouteContext, version: 2 | 3): { body: unknown } {
    const auth = version === 3 ? this.bearerFor(ctx) : this.authenticate(ctx);
    const { account, scopes } = auth;
    const email = scopes.includes(SCOPES.email) || scopes.includes(SCOPES.mail);
    const profile = scopes.includes(SCOPES.profile);
    const [given, ...rest] = account.name.split(" ");
    const picture = `https://lh3.googleusercontent.com/a/local-${account.sub}=s96-c`;
    if (version === 3)
      return {
        body: {
          sub: account.sub,
          ...(profile
            ? {
                name: account.name,
                given_name: given,
                ...(rest.length ? { family_name: rest.join(" ") } : {}),
                picture,
              }
            : {}),
          ...(email ? { email: account.email, email_verified: true } : {}),
        },
      };
    return {
      body: {
        id: account.sub,
        ...(email ? { email: account.email, verified_email: true } : {}),
        ...(profile
          ? {
              name: account.name,
              given_name: given,
              ...(rest.length ? { family_name: rest.join(" ") } : {}),
              picture,
            }
          : {}),
      },
    };
  }

  private tokeninfo(ctx: RouteContext): { body: unknown } {
    const header = ctx.req.headers.authorization;
    const presented =
      ctx.query.get("access_token") ??
      ctx.fields.access_token ??
      (header ? /^Bearer\s+(.+)$/i.exec(header)?.[1] : undefined);
    const record = presented ? this.accessTokens.get(presented) : undefined;
    const now = this.clock();
    if (!record || record.grant.revoked || now >= record.expiresAt)
      throw oauthError(400, "invalid_token", "Invalid Value");
    const account = this.accounts.get(record.grant.email);
    const email = record.grant.scopes.includes(SCOPES.email);
    return {
      body: {
        azp: record.grant.clientId,
        aud: record.grant.clientId,
        sub: account?.sub,
        scope: record.grant.scopes.join(" "),
        exp: String(Math.floor(record.expiresAt / 1000)),
        expires_in: Math.floor((record.expiresAt - now) / 1000),
        ...(email ? { email: record.grant.email, email_verified: "true" } : {}),
        access_type: "offline",
      },
    };
  }

  private newGrant(email: string, clientId: string, scopes: string[]): Grant {
    const grant: Grant = { id: token("g", 9), email, clientId, scopes, revoked: false };
    this.grants.set(grant.id, grant);
    return grant;
  }

  private tokenResponse(grant: Grant, withRefreshToken: boolean, nonce?: string): TokenResponse {
    const accessToken = token("ya29.local-");
    const ttl = this.settings.accessTokenTtlSeconds;
    this.accessTokens.set(accessToken, { grant, expiresAt: this.clock() + ttl * 1000 });
    const response: TokenResponse = {
      access_token: accessToken,
      expires_in: ttl,
      scope: grant.scopes.join(" "),
      token_type: "Bearer",
    };
    if (withRefreshToken) {
      const refreshToken = token("1//local-");
      this.refreshTokens.set(refreshToken, { grant, revoked: false });
      response.refresh_token = refreshToken;
    }
    if (grant.scopes.includes(SCOPES.openid)) response.id_token = this.idToken(grant, nonce);
    return response;
  }

  private key(): NonNullable<OAuthService["signingKey"]> {
    if (!this.signingKey) {
      const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const kid = randomBytes(20).toString("hex");
      this.signingKey = {
        kid,
        privateKey,
        publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
        jwk: { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" },
      };
    }
    return this.signingKey;
  }

  private idToken(grant: Grant, nonce?: string): string {
    const key = this.key();
    const account = this.accounts.get(grant.email);
    const iat = Math.floor(this.clock() / 1000);
    const claims = {
      iss: "https://accounts.google.com",
      azp: grant.clientId,
      aud: grant.clientId,
      sub: account?.sub,
      ...(grant.scopes.includes(SCOPES.email) ? { email: grant.email, email_verified: true } : {}),
      ...(grant.scopes.includes(SCOPES.profile) && account ? { name: account.name } : {}),
      ...(nonce ? { nonce } : {}),
      iat,
      exp: iat + 3600,
    };
    const encode = (value: unknown): string =>
      Buffer.from(JSON.stringify(value)).toString("base64url");
    const signed = `${encode({ alg: "RS256", kid: key.kid, typ: "JWT" })}.${encode(claims)}`;
    const signature = createSign("RSA-SHA256").update(signed).sign(key.privateKey, "base64url");
    return `${signed}.${signature}`;
  }
}

/** What issueTokens grants when a test names no scopes: read access to Gmail and Calendar, email and profile. */
export const DEFAULT_TEST_SCOPES: readonly string[] = [
  SCOPES.gmailReadonly,
  SCOPES.calendarReadonly,
  SCOPES.email,
  SCOPES.profile,
];
