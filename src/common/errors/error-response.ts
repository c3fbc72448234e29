import { HttpException } from '@nestjs/common';
import { COMMON_ERRORS as E } from './common.errors.js';
import { isDatabaseTimeout, isDatabaseUnavailable, SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS } from './database-unavailable.js';
import { DomainError, type ErrorDetail } from './domain-error.js';

/** The error body of the API (api.md §Conventions). */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: ErrorDetail[];
  correlationId: string;
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** Unexpected errors are logged with their stack; expected ones are not (an outage is logged apart). */
  unexpected: boolean;
}

const CODES_BY_STATUS: Record<number, string> = {
  400: E.BAD_REQUEST.code,
  401: E.UNAUTHENTICATED.code,
  403: E.FORBIDDEN.code,
  404: E.NOT_FOUND.code,
  405: E.METHOD_NOT_ALLOWED.code,
  406: E.NOT_ACCEPTABLE.code,
  409: E.CONFLICT.code,
  413: E.PAYLOAD_TOO_LARGE.code,
  414: E.URI_TOO_LONG.code,
  415: E.UNSUPPORTED_MEDIA_TYPE.code,
  422: E.RULE_VIOLATION.code,
  429: E.TOO_MANY_REQUESTS.code,
};

const MESSAGES_BY_STATUS: Record<number, string> = {
  401: 'Authentication is required.',
  403: E.FORBIDDEN.description,
  404: 'Not found.',
  413: E.PAYLOAD_TOO_LARGE.description,
  414: E.URI_TOO_LONG.description,
  415: E.UNSUPPORTED_MEDIA_TYPE.description,
};

/** PostgreSQL error classes a client can cause, by SQLSTATE. */
const DATABASE_ERRORS: Record<string, [number, string, string]> = {
  '23505': [409, E.DUPLICATE.code, E.DUPLICATE.description],
  '23503': [409, E.REFERENCE_CONFLICT.code, E.REFERENCE_CONFLICT.description],
  '40001': [409, E.CONCURRENT_UPDATE.code, E.CONCURRENT_UPDATE.description],
  '40P01': [409, E.CONCURRENT_UPDATE.code, E.CONCURRENT_UPDATE.description],
  '22P02': [400, E.VALIDATION_FAILED.code, 'A value has the wrong format.'],
  '22007': [400, E.VALIDATION_FAILED.code, 'A date or time is invalid.'],
  '22008': [400, E.VALIDATION_FAILED.code, 'A date or time is out of range.'],
  '22003': [400, E.VALIDATION_FAILED.code, 'A number is out of range.'],
  '22001': [400, E.VALIDATION_FAILED.code, 'A value is too long.'],
  '23514': [400, E.VALIDATION_FAILED.code, 'A value breaks a rule of the record.'],
  '23502': [400, E.VALIDATION_FAILED.code, 'A required value is missing.'],
  '22021': [400, E.VALIDATION_FAILED.code, 'A text value contains a character that cannot be stored.'],
  '22P05': [400, E.VALIDATION_FAILED.code, 'A text value contains a character that cannot be stored.'],
};

/** Turns anything thrown while handling a request into the API's error response. */
export function toErrorResponse(error: unknown, correlationId: string): ErrorResponse {
  const [status, code, message, details, headers] = classify(error);
  const body: ErrorBody = { statusCode: status, code, message, ...(details ? { details } : {}), correlationId };
  return { status, body, headers: headers ?? {}, unexpected: status >= 500 && status !== 503 };
}

type Classified = [number, string, string, ErrorDetail[]?, Record<string, string>?];

function classify(error: unknown): Classified {
  if (error instanceof DomainError) return [error.status, error.code, error.message, error.details, error.headers];
  if (error instanceof HttpException) return fromHttpStatus(error.getStatus(), error.message);
  const retryAfter = { 'retry-after': String(SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS) };
  if (isDatabaseUnavailable(error)) return [503, E.SERVICE_UNAVAILABLE.code, 'The service cannot reach its database right now; please retry shortly.', undefined, retryAfter];
  // Nothing of the request was saved: its transaction was rolled back (or its connection closed).
  if (isDatabaseTimeout(error)) return [503, E.SERVICE_UNAVAILABLE.code, 'The database did not answer in time; nothing was saved. Please retry shortly.', undefined, retryAfter];
  const sqlState = databaseErrorCode(error);
  if (sqlState && DATABASE_ERRORS[sqlState]) return DATABASE_ERRORS[sqlState];
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Errors from the HTTP layer (malformed JSON, body too large, wrong media type).
    return fromHttpStatus(status, (error as Error).message);
  }
  return [500, E.INTERNAL_ERROR.code, 'An unexpected error occurred.'];
}

function fromHttpStatus(status: number, message: string): Classified {
  if (status >= 500) return [500, E.INTERNAL_ERROR.code, 'An unexpected error occurred.'];
  const code = CODES_BY_STATUS[status] ?? E.BAD_REQUEST.code;
  if (status === 400) return [400, E.MALFORMED_REQUEST.code, cleanMessage(message)];
  return [status, code, MESSAGES_BY_STATUS[status] ?? cleanMessage(message)];
}

/** Fastify prefixes its messages with internal codes; keep only the human part. */
function cleanMessage(message: string): string {
  const text = message.replace(/^FST_[A-Z_]+:?\s*/, '').trim();
  return text.length > 0 && text.length < 300 ? text : 'The request could not be understood.';
}

function databaseErrorCode(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = candidate?.driverError?.code ?? candidate?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
