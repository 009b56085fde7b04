import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Account, AccountRegistry, type AccountSpec } from "./accounts.ts";
import { calendarRoutes, fullSyncRequired } from "./calendar.ts";
import type { CalendarStore } from "./calendar-store.ts";
import { type Clock, DAY_MS } from "./clock.ts";
import {
  googleError,
  HttpError,
  notFound,
  oauthError,
  rateLimited,
  serverError,
} from "./errors.ts";
import { type Fault, FaultInjector } from "./faults.ts";
import { GMAIL_COSTS, gmailRoutes } from "./gmail.ts";
import { parseFields, readBody } from "./http.ts";
import type { Mailbox } from "./mailbox.ts";
import { OAuthService, type ConsentSettings, type TokenResponse } from "./oauth.ts";
import {
  AccountSpecSchema,
  DEFAULT_ACCOUNT,
  type LocalGoogleOptions,
  LocalGoogleOptionsSchema,
  OAuthSettingsSchema,
  type OAuthSettingsInput,
} from "./options.ts";
import { QuotaTracker } from "./quota.ts";
import { type EndpointName, matchRoute, type Route, type RouteContext } from "./router.ts";
import { Stats } from "./stats.ts";

/** What to give OAuth2Client's `endpoints` option. */
export interface OAuthClientEndpoints {
  oauth2AuthBaseUrl: string;
  oauth2TokenUrl: string;
  oauth2RevokeUrl: string;
  tokenInfoUrl: string;
  oauth2FederatedSignonPemCertsUrl: string;
  oauth2FederatedSignonJwkCertsUrl: string;
}

export interface LocalOAuth {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly authUrl: string;
  readonly tokenUrl: string;
  readonly revokeUrl: string;
  readonly userinfoUrl: string;
  readonly tokenInfoUrl: string;
  readonly endpoints: OAuthClientEndpoints;
  /** Who signs in and what they click at the consent screen (persists until changed). */
  setConsent(consent: ConsentSettings): void;
  /** Changes OAuth settings at runtime (e.g. accessTokenTtlSeconds, rotateRefreshTokens). */
  configure(settings: Partial<OAuthSettingsInput>): void;
  /** Mints tokens for an account without the browser flow. Default: the first account, read scopes. */
  issueTokens(email?: string, scopes?: readonly string[]): TokenResponse;
  /** Revokes all grants (or one account's): refreshes then fail with invalid_grant. */
  revokeAll(email?: string): void;
  /** Expires all access tokens (or one account's): API calls then get 401. */
  expireAccessTokens(email?: string): void;
}

export interface LocalAccounts {
  /** Adds an account with its own generated mailbox and calendars. */
  add(spec: AccountSpec): Account;
  get(email: string): Account | undefined;
  /** Like get, but throws for an unknown email. */
  require(email: string): Account;
  list(): Account[];
  /** The first account (the one that signs in by default). */
  readonly default: Account;
}

export interface LocalGoogle {
  /** e.g. http://127.0.0.1:8890 (no trailing slash) */
  readonly url: string;
  readonly port: number;
  /** Pass as `rootUrl` to `gmail({ version: "v1", rootUrl })`. */
  readonly gmailRootUrl: string;
  /** Pass as `rootUrl` to `calendar({ version: "v3", rootUrl })`. */
  readonly calendarRootUrl: string;
  readonly oauth: LocalOAuth;
  readonly accounts: LocalAccounts;
  /** An account's mailbox (default: the first account) — mutation helpers for tests. */
  mailbox(email?: string): Mailbox;
  /** An account's calendars (default: the first account) — mutation helpers for tests. */
  calendar(email?: string): CalendarStore;
  readonly faults: FaultInjector;
  readonly quota: QuotaTracker;
  readonly stats: Stats;
  readonly clock: Clock;
  /** Stops listening, drops open connections and pending timers. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

function anchorFrom(value: number | Date | string | undefined, clock: Clock): number {
  if (value === undefined) return Math.floor(clock() / DAY_MS) * DAY_MS;
  if (typeof value === "number") return value;
  if (value instanceof Date) return value.getTime();
  return Date.parse(value);
}

function faultError(fault: Fault, endpoint: EndpointName, now: number): HttpError {
  const oauth = endpoint.startsWith("oauth.");
  switch (fault.type) {
    case "error":
      if (fault.status === 429)
        return rateLimited(endpoint.startsWith("calendar.") ? "calendar" : "gmail", 1000, now);
      if (oauth)
        return oauthError(
          fault.status,
          fault.status >= 500 ? "internal_failure" : "invalid_request",
          "Injected failure",
        );
      return fault.status >= 500
        ? serverError(fault.status)
        : googleError(fault.status, "badRequest", "Injected failure");
    case "rateLimit":
      return rateLimited(
        endpoint.startsWith("calendar.") ? "calendar" : "gmail",
        fault.retryAfterSeconds * 1000,
        now,
      );
    case "historyExpired":
      return notFound();
    case "syncTokenExpired":
      return fullSyncRequired();
    case "invalidGrant":
      return oauthError(400, "invalid_grant", "Token has been expired or revoked.");
    default:
      return serverError(500);
  }
}

/** Starts a local Google on 127.0.0.1. Close it with `await google.close()`. */
export async function startLocalGoogle(input: LocalGoogleOptions = {}): Promise<LocalGoogle> {
  const options = LocalGoogleOptionsSchema.parse(input);
  const clock: Clock = options.clock ?? Date.now;
  const log = options.log;
  const anchor = anchorFrom(options.anchor, clock);
  const registry = new AccountRegistry({
    seed: options.seed,
    clock,
    anchor,
    messages: options.messages,
    events: options.events,
  });
  for (const spec of options.accounts ?? [DEFAULT_ACCOUNT]) registry.add(spec);
  const oauthService = new OAuthService(
    OAuthSettingsSchema.parse(options.oauth ?? {}),
    registry,
    clock,
  );
  const faults = new FaultInjector({
    seed: options.faults?.seed ?? options.seed,
    rules: options.faults?.rules ?? [],
  });
  const quota = new QuotaTracker(options.quota ?? {}, clock);
  const stats = new Stats();
  const routes: Route[] = [...oauthService.routes(), ...gmailRoutes(), ...calendarRoutes()];

  const timers = new Set<NodeJS.Timeout>();
  const held = new Set<ServerResponse>();
  let closing: Promise<void> | undefined;

  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    timers.add(timer);
  };
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => later(ms, resolve));

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    if (res.headersSent || res.destroyed) return;
    const payload = body === undefined ? "" : JSON.stringify(body);
    res.writeHead(status, {
      ...(payload ? { "content-type": "application/json; charset=UTF-8" } : {}),
      "content-length": String(Buffer.byteLength(payload)),
      ...headers,
    });
    res.end(payload);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const match = matchRoute(routes, method, url.pathname);
    if (!match) {
      log?.(`${method} ${url.pathname} -> 404 (no route)`);
      return send(
        res,
        404,
        googleError(404, "notFound", `Not Found: ${url.pathname} is not served by google-local`)
          .body,
      );
    }
    if ("methodNotAllowed" in match)
      return send(res, 405, googleError(405, "httpMethodNotAllowed", "Method Not Allowed").body);
    const { route: matched, params } = match;
    let endpoint: EndpointName =
      typeof matched.endpoint === "string" ? matched.endpoint : "oauth.token";
    let status: number;
    try {
      const fields =
        method === "POST" ? parseFields(await readBody(req), req.headers["content-type"]) : {};
      const ctx: RouteContext = {
        req,
        url,
        query: url.searchParams,
        params,
        fields,
        now: clock(),
        enforceScopes: oauthService.settings.enforceScopes,
      };
      if (typeof matched.endpoint === "function") endpoint = matched.endpoint(ctx);
      stats.call(endpoint);
      if (matched.bearer) ctx.auth = oauthService.authenticate(ctx);
      const fault = faults.pick(endpoint, ctx.auth?.account.email);
      if (fault) {
        stats.fault();
        if (fault.type === "timeout") {
          held.add(res);
          res.on("close", () => held.delete(res));
          if (fault.ms !== undefined) later(fault.ms, () => req.socket.destroy());
          log?.(`${method} ${url.pathname} -> held (${endpoint}, injected timeout)`);
          return;
        }
        if (fault.type === "reset") {
          log?.(`${method} ${url.pathname} -> reset (${endpoint}, injected)`);
          req.socket.destroy();
          return;
        }
        if (fault.type === "delay") {
          await sleep(fault.ms);
          if (closing) return;
        } else throw faultError(fault, endpoint, clock());
      }
      ctx.now = clock();
      if (matched.api && ctx.auth) {
        const cost = matched.api === "gmail" ? (GMAIL_COSTS[endpoint] ?? 1) : 1;
        const decision = quota.consume(ctx.auth.account.email, matched.api, cost, ctx.now);
        if (!decision.ok) {
          stats.quotaRejection();
          throw rateLimited(matched.api, decision.retryAfterMs, ctx.now);
        }
      }
      const result = matched.handle(ctx);
      status = result.status ?? 200;
      send(res, status, result.body, result.headers);
    } catch (error) {
      if (error instanceof HttpError) {
        status = error.status;
        send(res, error.status, error.body, error.headers);
      } else {
        status = 500;
        log?.(
          `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        send(res, 500, googleError(500, "backendError", "Backend Error").body);
      }
    }
    stats.response(endpoint, status);
    log?.(`${method} ${url.pathname}${url.search} -> ${status} (${endpoint})`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, googleError(500, "backendError", "Backend Error").body);
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.close(() => resolve());
      for (const res of held) res.socket?.destroy();
      held.clear();
      server.closeAllConnections();
    });
    return closing;
  };

  const accountFor = (email?: string): Account =>
    email ? registry.require(email) : (registry.first as Account);
  const endpoints: OAuthClientEndpoints = {
    oauth2AuthBaseUrl: `${url}/o/oauth2/v2/auth`,
    oauth2TokenUrl: `${url}/token`,
    oauth2RevokeUrl: `${url}/revoke`,
    tokenInfoUrl: `${url}/tokeninfo`,
    oauth2FederatedSignonPemCertsUrl: `${url}/oauth2/v1/certs`,
    oauth2FederatedSignonJwkCertsUrl: `${url}/oauth2/v3/certs`,
  };
  const oauth: LocalOAuth = {
    get clientId() {
      return oauthService.settings.clientId;
    },
    get clientSecret() {
      return oauthService.settings.clientSecret;
    },
    authUrl: endpoints.oauth2AuthBaseUrl,
    tokenUrl: endpoints.oauth2TokenUrl,
    revokeUrl: endpoints.oauth2RevokeUrl,
    userinfoUrl: `${url}/oauth2/v3/userinfo`,
    tokenInfoUrl: endpoints.tokenInfoUrl,
    endpoints,
    setConsent: (consent) => oauthService.setConsent(consent),
    configure: (settings) => {
      Object.assign(
        oauthService.settings,
        OAuthSettingsSchema.parse({ ...oauthService.settings, ...settings }),
      );
    },
    issueTokens: (email, scopes) => oauthService.issueTokens(accountFor(email).email, scopes),
    revokeAll: (email) => oauthService.revokeAll(email),
    expireAccessTokens: (email) => oauthService.expireAccessTokens(email),
  };
  const accounts: LocalAccounts = {
    add: (spec) => registry.add(AccountSpecSchema.parse(spec)),
    get: (email) => registry.get(email),
    require: (email) => registry.require(email),
    list: () => registry.list(),
    get default() {
      return registry.first as Account;
    },
  };
  return {
    url,
    port,
    gmailRootUrl: `${url}/`,
    calendarRootUrl: `${url}/`,
    oauth,
    accounts,
    mailbox: (email) => accountFor(email).mailbox,
    calendar: (email) => accountFor(email).calendar,
    faults,
    quota,
    stats,
    clock,
    close,
    [Symbol.asyncDispose]: close,
  };
}
