/**
 * Errors the domain raises on purpose. Their messages are written for the user and are safe to
 * show; the API maps each kind to a transport code in one place.
 */
const DOMAIN_ERROR = Symbol.for("omnicrm.domain-error");

export abstract class DomainError extends Error {
  abstract readonly kind: "not_found" | "conflict" | "invalid" | "rate_limited" | "forbidden";
  /** Marks domain errors so they are recognized across copies of this module (see isDomainError). */
  readonly [DOMAIN_ERROR] = true;
  /** Field-level messages, keyed by input field name. */
  readonly fieldErrors: Record<string, string[]>;

  constructor(message: string, fieldErrors: Record<string, string[]> = {}) {
    super(message);
    this.name = new.target.name;
    this.fieldErrors = fieldErrors;
  }
}

export class NotFoundError extends DomainError {
  readonly kind = "not_found";
}

export class ConflictError extends DomainError {
  readonly kind = "conflict";
}

export class InvalidInputError extends DomainError {
  readonly kind = "invalid";
}

export class RateLimitedError extends DomainError {
  readonly kind = "rate_limited";
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  readonly kind = "forbidden";
}

/**
 * Whether a value is a domain error. Unlike `instanceof`, it also recognizes one made by another
 * copy of this module, which a bundler may create (the production build of the web app does).
 */
export function isDomainError(value: unknown): value is DomainError {
  return (
    value instanceof DomainError ||
    (typeof value === "object" && value !== null && DOMAIN_ERROR in value)
  );
}
