/**
 * What can go wrong talking to Google, sorted by what the sync does about it: wait and retry
 * (rate limited, transient), start over (history expired, sync token gone), or stop and tell
 * the user (the grant died, the request is refused).
 */

export class GoogleError extends Error {
  override name = "GoogleError";
  /** Whether retrying the same call later can succeed. */
  readonly retriable: boolean = false;
}

/** 429, or 403 rateLimitExceeded / userRateLimitExceeded. */
export class GoogleRateLimitError extends GoogleError {
  override name = "GoogleRateLimitError";
  override readonly retriable = true;
  constructor(
    message: string,
    /** How long Google asked us to wait, when it said. */
    readonly retryAfterMs: number | null,
  ) {
    super(message);
  }
}

/** 5xx, timeouts, connection failures. */
export class GoogleTransientError extends GoogleError {
  override name = "GoogleTransientError";
  override readonly retriable = true;
}

/** The refresh token no longer works (invalid_grant), or Google keeps answering 401. */
export class GoogleReconnectNeededError extends GoogleError {
  override name = "GoogleReconnectNeededError";
}

/** Gmail history.list: the start history id is too old (404). A full sync is needed. */
export class HistoryExpiredError extends GoogleError {
  override name = "HistoryExpiredError";
}

/** Calendar events.list: the sync token is gone (410). Wipe the calendar and sync it fully. */
export class SyncTokenGoneError extends GoogleError {
  override name = "SyncTokenGoneError";
}

/** Any other refusal (400, 403 without a rate limit, 404 of a message...): not retried. */
export class GoogleRequestError extends GoogleError {
  override name = "GoogleRequestError";
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

interface GaxiosLike {
  status?: number;
  code?: string | number;
  message?: string;
  response?: {
    status?: number;
    headers?: Record<string, string> | Headers;
    data?: unknown;
  };
}

function header(headers: Record<string, string> | Headers | undefined, name: string) {
  if (!headers) return null;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name);
  const record = headers as Record<string, string>;
  return record[name] ?? record[name.toLowerCase()] ?? null;
}

function reasons(data: unknown): string[] {
  const error = (data as { error?: unknown } | undefined)?.error;
  if (typeof error === "string") return [error];
  const list = (error as { errors?: { reason?: string }[] } | undefined)?.errors ?? [];
  const status = (error as { status?: string } | undefined)?.status;
  return [...list.map((e) => e.reason ?? ""), status ?? ""].filter(Boolean);
}

const networkCodes = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "ABORT_ERR",
]);

/**
 * Sorts an error thrown by googleapis / google-auth-library. `what` names the call for the
 * message (messages shown to the user never carry tokens or response bodies).
 */
export function classifyGoogleError(
  error: unknown,
  what: string,
  context: { historyList?: boolean; syncToken?: boolean } = {},
): GoogleError {
  if (error instanceof GoogleError) return error;
  const e = (error ?? {}) as GaxiosLike;
  const status = e.response?.status ?? (typeof e.status === "number" ? e.status : undefined);
  const why = reasons(e.response?.data);
  const message = e.message ?? "";
  if (why.includes("invalid_grant") || /invalid_grant/.test(message)) {
    return new GoogleReconnectNeededError(
      "Google no longer accepts OmniCRM's access to this account (the permission was withdrawn or expired). Reconnect Google to sync again.",
    );
  }
  if (status === 401) {
    return new GoogleReconnectNeededError(
      "Google refused OmniCRM's credentials for this account. Reconnect Google to sync again.",
    );
  }
  if (
    status === 429 ||
    (status === 403 &&
      why.some((r) => ["rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"].includes(r)))
  ) {
    const retryAfter = Number(header(e.response?.headers, "retry-after"));
    return new GoogleRateLimitError(
      `Google's rate limit was reached during ${what}; the sync waits and goes on.`,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
    );
  }
  if (status === 404 && context.historyList) {
    return new HistoryExpiredError(
      "Gmail no longer has the changes since the last sync; a full sync runs instead.",
    );
  }
  if (status === 410 && context.syncToken) {
    return new SyncTokenGoneError(
      "Google Calendar asked for a full sync of this calendar; it runs now.",
    );
  }
  if (status !== undefined && status >= 500) {
    return new GoogleTransientError(`Google answered ${status} during ${what}; retrying.`);
  }
  const code = typeof e.code === "string" ? e.code : "";
  if (
    status === undefined &&
    (networkCodes.has(code) ||
      /timeout|timed out|socket hang up|network|fetch failed|aborted/i.test(message))
  ) {
    return new GoogleTransientError(`Google did not answer during ${what}; retrying.`);
  }
  return new GoogleRequestError(
    `Google refused ${what}${status ? ` (${status}${why[0] ? ` ${why[0]}` : ""})` : ""}.`,
    status ?? null,
  );
}
