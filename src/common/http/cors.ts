import type { FastifyCorsOptions } from '@fastify/cors';
import { CORRELATION_HEADER } from './correlation-id.js';

/** How long a browser may reuse a preflight answer (seconds). */
export const CORS_MAX_AGE_SECONDS = 600;

/**
 * CORS for the configured origins (CORS_ORIGINS): a listed origin is echoed back with the
 * methods, request headers and max-age of a preflight; any other origin gets no CORS headers,
 * and its preflight the 404 of an unknown route. Tokens travel in the Authorization header,
 * not cookies, so no credentials mode is offered.
 */
export function corsOptions(origins: readonly string[]): FastifyCorsOptions {
  const allowed = new Set(origins);
  return {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'accept', CORRELATION_HEADER],
    // What a browser client may read besides the simple headers: the correlation id to quote,
    // Retry-After on 429/503, the file name of a PDF.
    exposedHeaders: [CORRELATION_HEADER, 'retry-after', 'content-disposition'],
    maxAge: CORS_MAX_AGE_SECONDS,
    credentials: false,
    // A bare OPTIONS from a listed origin is answered like a preflight rather than with a text/plain 400.
    strictPreflight: false,
  };
}
