/**
 * Error responses shaped like Google's. API errors use the JSON error envelope
 * `{ error: { code, message, status?, errors: [{ message, domain, reason }] } }`; the OAuth
 * endpoints use the RFC 6749 shape `{ error, error_description }`.
 */

export interface GoogleErrorItem {
  message: string;
  domain: string;
  reason: string;
  location?: string;
  locationType?: string;
}

export interface GoogleErrorBody {
  error: {
    code: number;
    message: string;
    status?: string;
    errors: GoogleErrorItem[];
  };
}

export interface OAuthErrorBody {
  error: string;
  error_description?: string;
}

/** Thrown by handlers; the server turns it into the response as is. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

const CANONICAL_STATUS: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ABORTED",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  501: "UNIMPLEMENTED",
  502: "UNAVAILABLE",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

export interface GoogleErrorOptions {
  domain?: string;
  /** The canonical status string; `null` leaves it out (Calendar's 410 has none). */
  status?: string | null;
  location?: string;
  locationType?: string;
  headers?: Record<string, string>;
}

export function googleErrorBody(
  code: number,
  reason: string,
  message: string,
  options: GoogleErrorOptions = {},
): GoogleErrorBody {
  const item: GoogleErrorItem = { message, domain: options.domain ?? "global", reason };
  if (options.location) item.location = options.location;
  if (options.locationType) item.locationType = options.locationType;
  const status = options.status === undefined ? CANONICAL_STATUS[code] : options.status;
  return {
    error: { code, message, ...(status ? { status } : {}), errors: [item] },
  };
}

export function googleError(
  code: number,
  reason: string,
  message: string,
  options: GoogleErrorOptions = {},
): HttpError {
  return new HttpError(code, googleErrorBody(code, reason, message, options), options.headers);
}

export function oauthError(status: number, error: string, description?: string): HttpError {
  const body: OAuthErrorBody = { error };
  if (description !== undefined) body.error_description = description;
  return new HttpError(status, body);
}

export const notFound = (message = "Requested entity was not found."): HttpError =>
  googleError(404, "notFound", message);

export const badRequest = (message: string, reason = "invalidArgument"): HttpError =>
  googleError(400, reason, message);

const AUTH_HELP =
  "Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";

export const missingCredentials = (): HttpError =>
  googleError(
    401,
    "required",
    `Request is missing required authentication credential. ${AUTH_HELP}`,
    {
      location: "Authorization",
      locationType: "header",
      headers: { "www-authenticate": 'Bearer realm="https://accounts.google.com/"' },
    },
  );

export const invalidCredentials = (): HttpError => {
  const error = googleError(
    401,
    "authError",
    `Request had invalid authentication credentials. ${AUTH_HELP}`,
    {
      location: "Authorization",
      locationType: "header",
      headers: {
        "www-authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
      },
    },
  );
  const body = error.body as GoogleErrorBody;
  const first = body.error.errors[0];
  if (first) first.message = "Invalid Credentials";
  return error;
};

export const insufficientScopes = (): HttpError => {
  const error = googleError(
    403,
    "insufficientPermissions",
    "Request had insufficient authentication scopes.",
    {
      headers: {
        "www-authenticate":
          'Bearer realm="https://accounts.google.com/", error="insufficient_scope"',
      },
    },
  );
  const first = (error.body as GoogleErrorBody).error.errors[0];
  if (first) first.message = "Insufficient Permission";
  return error;
};

/** The generic server-side failures Google returns (and the fault injector imitates). */
export function serverError(status: number): HttpError {
  switch (status) {
    case 500:
      return googleError(500, "backendError", "Backend Error");
    case 502:
      return googleError(502, "backendError", "Bad Gateway");
    case 503:
      return googleError(503, "backendError", "The service is currently unavailable.");
    case 504:
      return googleError(504, "backendError", "Deadline exceeded.");
    default:
      return googleError(status, "backendError", `Error ${status}`);
  }
}

export type RateLimitedApi = "gmail" | "calendar";

/** Gmail's and Calendar's per-user rate limit error, with a Retry-After header. */
export function rateLimited(api: RateLimitedApi, retryAfterMs: number, now: number): HttpError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const retryAt = new Date(now + seconds * 1000).toISOString();
  const message =
    api === "gmail" ? `User-rate limit exceeded.  Retry after ${retryAt}` : "Rate Limit Exceeded";
  return googleError(429, "rateLimitExceeded", message, {
    domain: "usageLimits",
    headers: { "retry-after": String(seconds) },
  });
}
