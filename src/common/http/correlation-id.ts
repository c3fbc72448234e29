import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const CORRELATION_HEADER = 'x-correlation-id';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * The correlation id of a request: the caller's `x-correlation-id` when it is a sane token,
 * otherwise a new UUID. Kept on the raw request too, so the request logger uses the same id.
 */
export function correlationIdOf(request: IncomingMessage & { correlationId?: string }): string {
  if (request.correlationId) return request.correlationId;
  const given = request.headers[CORRELATION_HEADER];
  const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
  request.correlationId = id;
  return id;
}
