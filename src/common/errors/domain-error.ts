/** One bad field of a request, as listed in an error body's `details`. */
export interface ErrorDetail {
  field: string;
  reason: string;
  /** When the details list refusals (422): which rule, and whether an override reason would let it through. */
  code?: string;
  overridable?: boolean;
}

/**
 * An error the domain raises on purpose, with a stable `code` clients can rely on. The global
 * filter turns it into the error body of the API; domain code never builds HTTP responses.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    /** Extra response headers, such as Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the request itself is malformed or invalid. */
export class ValidationFailed extends DomainError {
  constructor(details: ErrorDetail[], message = 'The request is invalid.') {
    super(400, 'VALIDATION_FAILED', message, details);
  }
}

/** 401: no valid identity. The message never says which part was wrong. */
export class Unauthenticated extends DomainError {
  constructor(message = 'Authentication is required.', code = 'UNAUTHENTICATED') {
    super(401, code, message);
  }
}

/** 403: authenticated, but this role may not do this. */
export class Forbidden extends DomainError {
  constructor(message = 'Your role does not allow this action.') {
    super(403, 'FORBIDDEN', message);
  }
}

/** 404: missing, or not visible to the caller. */
export class NotFound extends DomainError {
  constructor(resource: string) {
    super(404, 'NOT_FOUND', `${resource} not found.`);
  }
}

/** 409: the record's state does not allow this now (wrong status, duplicate, stale version). */
export class Conflict extends DomainError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}

/** 422: a domain rule refused an otherwise well-formed request. */
export class RuleViolation extends DomainError {
  constructor(code: string, message: string, details?: ErrorDetail[]) {
    super(422, code, message, details);
  }
}

/** 429: too many attempts; try again after `retryAfterSeconds`. */
export class TooManyAttempts extends DomainError {
  constructor(retryAfterSeconds: number) {
    super(429, 'TOO_MANY_ATTEMPTS', 'Too many failed attempts. Try again later.', undefined, {
      'retry-after': String(retryAfterSeconds),
    });
  }
}
