/** An error answered with OpenAI's body: `{ error: { message, type, param, code } }`. */
export class OpenAIHttpError extends Error {
  readonly body: {
    error: { message: string; type: string; param: string | null; code: string | null };
  };
  constructor(
    readonly status: number,
    message: string,
    type: string,
    code: string | null = null,
    param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.body = { error: { message, type, param, code } };
  }
}

export const invalidRequest = (message: string, param: string | null = null): OpenAIHttpError =>
  new OpenAIHttpError(400, message, "invalid_request_error", null, param);

export const notFound = (message: string, code: string | null = null): OpenAIHttpError =>
  new OpenAIHttpError(404, message, "invalid_request_error", code);

export function unauthorized(given: string | undefined): OpenAIHttpError {
  if (!given)
    return new OpenAIHttpError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      "invalid_request_error",
    );
  const shown = given.length > 8 ? `${given.slice(0, 3)}*****${given.slice(-4)}` : "*****";
  return new OpenAIHttpError(
    401,
    `Incorrect API key provided: ${shown}.`,
    "invalid_request_error",
    "invalid_api_key",
  );
}

export function rateLimited(retryAfterMs: number): OpenAIHttpError {
  return new OpenAIHttpError(
    429,
    `Rate limit reached for requests. Please try again in ${retryAfterMs}ms.`,
    "requests",
    "rate_limit_exceeded",
    null,
    {
      "retry-after": String(Math.max(0, Math.ceil(retryAfterMs / 1000))),
      "retry-after-ms": String(retryAfterMs),
    },
  );
}

export function serverError(status: number, message?: string): OpenAIHttpError {
  return new OpenAIHttpError(
    status,
    message ?? "The server had an error while processing your request. Sorry about that!",
    "server_error",
    status >= 500 ? "server_error" : null,
  );
}
