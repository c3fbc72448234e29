import { DomainError, type ErrorDetail } from './domain-error.js';
import { defineErrors } from './error-catalogue.js';

/** Errors any route can answer with, raised by the HTTP layer, the guards and the validation pipe. */
export const COMMON_ERRORS = defineErrors({
  VALIDATION_FAILED: { status: 400, description: 'The request is invalid: `details` lists each bad field and why.' },
  MALFORMED_REQUEST: { status: 400, description: 'The request could not be read (malformed JSON, a body where none is allowed).' },
  BAD_REQUEST: { status: 400, description: 'The request could not be understood.' },
  UNAUTHENTICATED: { status: 401, description: 'Authentication is required: the access token is missing, expired or invalid.' },
  FORBIDDEN: { status: 403, description: 'Your role does not allow this action.' },
  NOT_FOUND: { status: 404, description: 'No such record, or not visible to you.' },
  METHOD_NOT_ALLOWED: { status: 405, description: 'This method is not allowed here.' },
  NOT_ACCEPTABLE: { status: 406, description: 'None of the accepted formats can be produced.' },
  CONFLICT: { status: 409, description: 'The record is not in a state that allows this.' },
  DUPLICATE: { status: 409, description: 'A record with these values already exists.' },
  REFERENCE_CONFLICT: { status: 409, description: 'The record refers to, or is referred to by, another record.' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, description: 'The idempotency key was already used for a different request.' },
  ALREADY_VOID: { status: 409, description: 'This record is already void (an invoice, an administration entry); a void is never undone.' },
  CONCURRENT_UPDATE: { status: 409, description: 'Another change happened at the same time; please retry.' },
  PAYLOAD_TOO_LARGE: { status: 413, description: 'The request body is larger than 1 MB.' },
  URI_TOO_LONG: { status: 414, description: 'A path parameter of the URL is too long.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'The request body must be JSON (Content-Type: application/json).' },
  RULE_VIOLATION: { status: 422, description: 'A domain rule refused the request.' },
  TOO_MANY_REQUESTS: { status: 429, description: 'Too many requests; try again later.' },
  INTERNAL_ERROR: { status: 500, description: 'An unexpected error occurred; the body carries only the correlation id.' },
  SERVICE_UNAVAILABLE: { status: 503, description: 'The database cannot be reached right now; try again after Retry-After seconds. Your token is still good.' },
});

/** 400: the request itself is malformed or invalid. */
export class ValidationFailed extends DomainError {
  constructor(details: ErrorDetail[], message = 'The request is invalid.') {
    super(400, COMMON_ERRORS.VALIDATION_FAILED.code, message, details);
  }
}

/** 401: no valid identity. The message never says which part was wrong. */
export class Unauthenticated extends DomainError {
  constructor(message = 'Authentication is required.') {
    super(401, COMMON_ERRORS.UNAUTHENTICATED.code, message);
  }
}

/** 403: authenticated, but this role may not do this. */
export class Forbidden extends DomainError {
  constructor(message: string = COMMON_ERRORS.FORBIDDEN.description) {
    super(403, COMMON_ERRORS.FORBIDDEN.code, message);
  }
}

/** 404: missing, or not visible to the caller. */
export class NotFound extends DomainError {
  constructor(resource: string) {
    super(404, COMMON_ERRORS.NOT_FOUND.code, `${resource} not found.`);
  }
}
