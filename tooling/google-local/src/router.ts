import type { IncomingMessage } from "node:http";
import type { Account } from "./accounts.ts";

/** Every endpoint the server speaks; stats, faults and quota are keyed by these names. */
export const ENDPOINTS = [
  "oauth.authorize",
  "oauth.token.code",
  "oauth.token.refresh",
  "oauth.token",
  "oauth.revoke",
  "oauth.userinfo",
  "oauth.tokeninfo",
  "oauth.certs",
  "gmail.getProfile",
  "gmail.labels.list",
  "gmail.labels.get",
  "gmail.messages.list",
  "gmail.messages.get",
  "gmail.messages.attachments.get",
  "gmail.history.list",
  "calendar.calendarList.list",
  "calendar.calendarList.get",
  "calendar.calendars.get",
  "calendar.events.list",
  "calendar.events.get",
] as const;

export type EndpointName = (typeof ENDPOINTS)[number];

export type Api = "gmail" | "calendar";

export interface AuthInfo {
  account: Account;
  scopes: readonly string[];
  clientId: string;
}

export interface RouteContext {
  req: IncomingMessage;
  url: URL;
  query: URLSearchParams;
  params: Record<string, string>;
  /** The parsed form/JSON body of a POST. */
  fields: Record<string, string>;
  now: number;
  /** Whether tokens must carry the API's scopes (OAuth setting). */
  enforceScopes: boolean;
  /** Set for routes that need a bearer token. */
  auth?: AuthInfo;
}

export interface RouteResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: "GET" | "POST";
  pattern: RegExp;
  keys: string[];
  endpoint: EndpointName | ((ctx: RouteContext) => EndpointName);
  /** Needs `Authorization: Bearer`; 401 otherwise. */
  bearer: boolean;
  /** Which per-user quota the call is charged to. */
  api?: Api;
  handle(ctx: RouteContext): RouteResult;
}

export type RouteSpec = Omit<Route, "pattern" | "keys"> & { path: string };

/** `"/gmail/v1/users/:userId/messages/:id"` -> a route matching it. */
export function route(spec: RouteSpec): Route {
  const keys: string[] = [];
  const source = spec.path
    .split("/")
    .map((segment) => {
      if (segment.startsWith(":")) {
        keys.push(segment.slice(1));
        return "([^/]+)";
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  const { path: _path, ...rest } = spec;
  return { ...rest, pattern: new RegExp(`^${source}/?$`), keys };
}

export function matchRoute(
  routes: readonly Route[],
  method: string,
  pathname: string,
): { route: Route; params: Record<string, string> } | { methodNotAllowed: true } | undefined {
  let pathMatched = false;
  for (const candidate of routes) {
    const m = candidate.pattern.exec(pathname);
    if (!m) continue;
    pathMatched = true;
    if (candidate.method !== method) continue;
    const params: Record<string, string> = {};
    candidate.keys.forEach((key, i) => {
      params[key] = decodeURIComponent(m[i + 1] ?? "");
    });
    return { route: candidate, params };
  }
  return pathMatched ? { methodNotAllowed: true } : undefined;
}
