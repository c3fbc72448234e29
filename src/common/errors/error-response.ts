import { HttpException } from '@nestjs/common';
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
  /** Unexpected errors are logged; expected ones are not. */
  unexpected: boolean;
}

const CODES_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'RULE_VIOLATION',
  429: 'TOO_MANY_REQUESTS',
};

const MESSAGES_BY_STATUS: Record<number, string> = {
  401: 'Authentication is required.',
  403: 'Your role does not allow this action.',
  404: 'Not found.',
  413: 'The request body is larger than 1 MB.',
  414: 'A path parameter of the URL is too long.',
  415: 'The request body must be JSON (Content-Type: application/json).',
};

/** PostgreSQL error classes a client can cause, by SQLSTATE. */
const DATABASE_ERRORS: Record<string, [number, string, string]> = {
  '23505': [409, 'DUPLICATE', 'A record with these values already exists.'],
  '23503': [409, 'REFERENCE_CONFLICT', 'The record refers to, or is referred to by, another record.'],
  '40001': [409, 'CONCURRENT_UPDATE', 'Another change happened at the same time; please retry.'],
  '40P01': [409, 'CONCURRENT_UPDATE', 'Another change happened at the same time; please retry.'],
  '22P02': [400, 'VALIDATION_FAILED', 'A value has the wrong format.'],
  '22007': [400, 'VALIDATION_FAILED', 'A date or time is invalid.'],
  '22008': [400, 'VALIDATION_FAILED', 'A date or time is out of range.'],
  '22003': [400, 'VALIDATION_FAILED', 'A number is out of range.'],
  '22001': [400, 'VALIDATION_FAILED', 'A value is too long.'],
  '23514': [400, 'VALIDATION_FAILED', 'A value breaks a rule of the record.'],
  '23502': [400, 'VALIDATION_FAILED', 'A required value is missing.'],
  '22021': [400, 'VALIDATION_FAILED', 'A text value contains a character that cannot be stored.'],
  '22P05': [400, 'VALIDATION_FAILED', 'A text value contains a character that cannot be stored.'],
};

/** Turns anything thrown while handling a request into the API's error response. */
export function toErrorResponse(error: unknown, correlationId: string): ErrorResponse {
  const [status, code, message, details, headers] = classify(error);
  const body: ErrorBody = { statusCode: status, code, message, ...(details ? { details } : {}), correlationId };
  return { status, body, headers: headers ?? {}, unexpected: status >= 500 };
}

type Classified = [number, string, string, ErrorDetail[]?, Record<string, string>?];

function classify(error: unknown): Classified {
  if (error instanceof DomainError) return [error.status, error.code, error.message, error.details, error.headers];
  if (error instanceof HttpException) return fromHttpStatus(error.getStatus(), error.message);
  const sqlState = databaseErrorCode(error);
  if (sqlState && DATABASE_ERRORS[sqlState]) return DATABASE_ERRORS[sqlState];
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Errors from the HTTP layer (malformed JSON, body too large, wrong media type).
    return fromHttpStatus(status, (error as Error).message);
  }
  return [500, 'INTERNAL_ERROR', 'An unexpected error occurred.'];
}

function fromHttpStatus(status: number, message: string): Classified {
  if (status >= 500) return [500, 'INTERNAL_ERROR', 'An unexpected error occurred.'];
  const code = CODES_BY_STATUS[status] ?? 'BAD_REQUEST';
  if (status === 400) return [400, 'MALFORMED_REQUEST', cleanMessage(message)];
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
