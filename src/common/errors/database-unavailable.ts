/**
 * Whether an error means "the database cannot be reached right now" rather than "this request is
 * wrong": the server is down, restarting, recovering from a crash, or refusing connections. Such
 * requests get 503 SERVICE_UNAVAILABLE with Retry-After, never a 401 or a 500.
 */
export const SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** Socket errors of a connection that cannot be made or was cut. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/**
 * SQLSTATEs of an unavailable server: class 08 (connection exception), 57P01–57P03 (shut down by
 * an administrator or a crash, cannot connect now: starting up or in recovery), 53300 (too many
 * connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;

/**
 * TypeORM's errors for a connection it no longer has: when the server goes away in the middle of
 * a transaction, TypeORM releases the transaction's query runner and its next statement fails so.
 */
const UNAVAILABLE_ERROR_NAMES = new Set(['CannotExecuteNotConnectedError', 'ConnectionIsNotSetError', 'QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);

/** What node-postgres and TypeORM say when a connection is lost or cannot be had, without a code. */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error',
  'timeout exceeded when trying to connect',
  'Connection is not established',
  'the database system is',
];

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3) return false;
  const candidate = error as { code?: unknown; message?: unknown; name?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  if (typeof candidate.code === 'string' && (NETWORK_CODES.has(candidate.code) || UNAVAILABLE_SQLSTATE.test(candidate.code))) return true;
  if (typeof candidate.name === 'string' && UNAVAILABLE_ERROR_NAMES.has(candidate.name)) return true;
  if (typeof candidate.message === 'string' && UNAVAILABLE_MESSAGES.some((text) => (candidate.message as string).includes(text))) return true;
  // Wrapped: TypeORM's QueryFailedError, an Error's cause, or the attempts of an AggregateError.
  const inner = [candidate.driverError, candidate.cause, ...(Array.isArray(candidate.errors) ? candidate.errors : [])];
  return inner.some((nested) => isDatabaseUnavailable(nested, depth + 1));
}

/**
 * SQLSTATEs of a wait the service gave up on: 57014 (statement_timeout, or a cancel) and 55P03
 * (lock_timeout). The statement was cancelled and its transaction rolled back; a retry may pass.
 */
const TIMEOUT_SQLSTATE = /^(57014|55P03)$/;

/** node-postgres's own: no answer within query_timeout (the server is hung or cut off). */
const TIMEOUT_MESSAGES = ['Query read timeout'];

/** Whether the database did not answer in time: 503 with Retry-After, as for an outage. */
export function isDatabaseTimeout(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3) return false;
  const candidate = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof candidate.code === 'string' && TIMEOUT_SQLSTATE.test(candidate.code)) return true;
  if (typeof candidate.message === 'string' && TIMEOUT_MESSAGES.some((text) => (candidate.message as string).includes(text))) return true;
  return [candidate.driverError, candidate.cause].some((nested) => isDatabaseTimeout(nested, depth + 1));
}
