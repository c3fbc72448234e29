/**
 * The raw baseline: the fastest plain server doing the same work as the app for the benchmark's
 * scenarios. `node:http`, a `pg` pool of the app's size (10), `jsonwebtoken` with a KeyObject
 * secret, the same per-request user and session lookup, the same SQL (audit inserts and their hash-chain
 * trigger included), the same input checks, the same JSON and the same response headers. No
 * framework, no ORM, no logging: what is left between it and the app is the overhead to win back.
 *
 * It reads its settings with the app's own `loadConfig` (same secret, clinic, time zone).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from '../../src/common/auth/token-claims.js';
import { duplicateKeys } from '../../src/common/http/json-body.js';
import { loadConfig } from '../../src/config/app-config.js';
import { recordAudit, Refusal, type Answer, type Context, type Role, type Services, type User } from './common.js';
import { nursesList, recordAdministration } from './administrations.js';
import { createEnquiry, getAssessment, listEnquiries, recordObservation } from './handlers.js';
import { produceHandoff } from './handoff.js';
import { searchPatients } from './patients.js';

// Dates stay 'YYYY-MM-DD' strings (TypeORM's date columns are strings too); no Date round trip.
pg.types.setTypeParser(1082, (value: string) => value);

const MAX_BODY = 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SAFE_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;
// The app's per-request user and session lookup, the same statement (src/common/auth/jwt.strategy.ts).
const LOAD_SESSION_USER = 'SELECT u.id, u.email, u.display_name, u.roles FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND s.user_id = $2 AND s.ended_at IS NULL AND u.active';
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The headers the app's helmet configuration puts on every response, with the same values. */
const SECURITY_HEADERS: [string, string][] = [
  ['cache-control', 'no-store'],
  ['content-security-policy', "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self' 'unsafe-inline';script-src-attr 'none';style-src 'self' 'unsafe-inline';upgrade-insecure-requests"],
  ['cross-origin-opener-policy', 'same-origin'],
  ['cross-origin-resource-policy', 'same-origin'],
  ['origin-agent-cluster', '?1'],
  ['referrer-policy', 'no-referrer'],
  ['strict-transport-security', 'max-age=31536000; includeSubDomains'],
  ['x-content-type-options', 'nosniff'],
  ['x-dns-prefetch-control', 'off'],
  ['x-download-options', 'noopen'],
  ['x-frame-options', 'SAMEORIGIN'],
  ['x-permitted-cross-domain-policies', 'none'],
  ['x-xss-protection', '0'],
];

type Handler = (services: Services, context: Context, id: string | undefined, query: URLSearchParams, body: unknown) => Promise<Answer>;

interface Route {
  method: 'GET' | 'POST';
  /** The path below /api/v1, split on '/'; ':id' matches a UUID. */
  pattern: string[];
  roles: Role[];
  handler: Handler;
  /** The route as the app's audit of a refusal names it. */
  template: string;
}

const ROUTES: Route[] = [
  { method: 'GET', pattern: ['assessments', ':id'], roles: ['admissions', 'psychiatrist'], handler: getAssessment, template: '/api/v1/assessments/:id' },
  { method: 'GET', pattern: ['enquiries'], roles: ['admissions', 'psychiatrist'], handler: listEnquiries, template: '/api/v1/enquiries' },
  { method: 'POST', pattern: ['enquiries'], roles: ['admissions'], handler: createEnquiry, template: '/api/v1/enquiries' },
  { method: 'POST', pattern: ['admissions', ':id', 'observations'], roles: ['nurse', 'psychiatrist'], handler: recordObservation, template: '/api/v1/admissions/:id/observations' },
  { method: 'GET', pattern: ['admissions', ':id', 'handoff'], roles: ['aftercare', 'psychiatrist'], handler: produceHandoff, template: '/api/v1/admissions/:id/handoff' },
  { method: 'GET', pattern: ['patients'], roles: ['admissions', 'psychiatrist', 'nurse', 'aftercare', 'billing'], handler: searchPatients, template: '/api/v1/patients' },
  { method: 'GET', pattern: ['taper-doses'], roles: ['nurse', 'psychiatrist'], handler: nursesList, template: '/api/v1/taper-doses' },
  { method: 'POST', pattern: ['admissions', ':id', 'administrations'], roles: ['nurse'], handler: recordAdministration, template: '/api/v1/admissions/:id/administrations' },
];

function match(method: string, segments: string[]): { route: Route; id: string | undefined } | null {
  for (const route of ROUTES) {
    if (route.method !== method || route.pattern.length !== segments.length) continue;
    let id: string | undefined;
    let ok = true;
    for (let i = 0; i < segments.length; i++) {
      if (route.pattern[i] === ':id') id = segments[i];
      else if (route.pattern[i] !== segments[i]) {
        ok = false;
        break;
      }
    }
    if (ok) return { route, id };
  }
  return null;
}

async function authenticate(services: Services, header: string | undefined): Promise<User | null> {
  if (!header || !header.startsWith('Bearer ')) return null;
  let payload: jwt.JwtPayload;
  try {
    payload = jwt.verify(header.slice(7), services.config.jwtSecret, { algorithms: ['HS256'], issuer: ACCESS_TOKEN_ISSUER, audience: ACCESS_TOKEN_AUDIENCE }) as jwt.JwtPayload;
  } catch {
    return null;
  }
  const isId = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
  if (!isId(payload.sub) || !isId(payload.sid) || !isId(payload.jti) || typeof payload.exp !== 'number' || typeof payload.iat !== 'number') return null;
  const { rows } = await services.pool.query(LOAD_SESSION_USER, [payload.sid, payload.sub]);
  const row = rows[0];
  return row ? { id: row.id, email: row.email, displayName: row.display_name, roles: row.roles } : null;
}

function readBody(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new Refusal(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.'));
      else chunks.push(chunk);
    });
    request.on('end', () => {
      if (size === 0) return resolve(undefined);
      // As the app: JSON only, UTF-8 only, each key once.
      if (!/^application\/json\s*(;\s*charset=utf-8\s*)?$/i.test(request.headers['content-type'] ?? '')) return reject(new Refusal(415, 'UNSUPPORTED_MEDIA_TYPE', 'The request body must be JSON.'));
      try {
        const text = UTF8.decode(Buffer.concat(chunks));
        const parsed: unknown = JSON.parse(text);
        if (duplicateKeys(text).length > 0) return reject(new Refusal(400, 'MALFORMED_REQUEST', 'The request body names a key twice.'));
        resolve(parsed);
      } catch {
        reject(new Refusal(400, 'MALFORMED_JSON', 'The request body is not valid JSON.'));
      }
    });
    request.on('error', reject);
  });
}

function send(response: ServerResponse, correlationId: string, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  response.statusCode = status;
  for (const [name, value] of SECURITY_HEADERS) response.setHeader(name, value);
  response.setHeader('x-correlation-id', correlationId);
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('content-length', Buffer.byteLength(json));
  response.end(json);
}

function refusalBody(error: Refusal, correlationId: string): object {
  return { statusCode: error.status, code: error.code, message: error.message, details: error.details ?? [], correlationId };
}

async function handle(services: Services, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const given = request.headers['x-correlation-id'];
  const correlationId = typeof given === 'string' && SAFE_CORRELATION_ID.test(given) ? given : randomUUID();
  try {
    const url = request.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    if (!path.startsWith('/api/v1/')) throw new Refusal(404, 'NOT_FOUND', 'No such route.');
    const found = match(request.method ?? 'GET', path.slice('/api/v1/'.length).split('/'));
    if (!found) throw new Refusal(404, 'NOT_FOUND', 'No such route.');
    const user = await authenticate(services, request.headers.authorization);
    if (!user) throw new Refusal(401, 'UNAUTHENTICATED', 'Sign in first.');
    const context: Context = { user, correlationId, address: request.socket.remoteAddress ?? '' };
    if (!found.route.roles.some((role) => user.roles.includes(role))) {
      await recordAudit(services.pool, context, { action: request.method === 'GET' ? 'READ' : 'CREATE', resource: found.route.template, resourceId: found.id ?? null, outcome: 'DENIED' });
      throw new Refusal(403, 'FORBIDDEN', 'Your roles do not allow this.');
    }
    let id = found.id;
    if (id !== undefined) {
      if (!UUID.test(id)) throw new Refusal(400, 'VALIDATION_FAILED', 'The request is invalid.', [{ field: 'id', reason: 'must be a UUID' }]);
      id = id.toLowerCase();
    }
    const body = request.method === 'POST' ? await readBody(request) : undefined;
    const query = new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1));
    const answer = await found.route.handler(services, context, id, query, body);
    for (const [name, value] of Object.entries(answer.headers ?? {})) response.setHeader(name, value);
    send(response, correlationId, answer.status, answer.body);
  } catch (error) {
    if (error instanceof Refusal) return send(response, correlationId, error.status, refusalBody(error, correlationId));
    process.stderr.write(`baseline: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    send(response, correlationId, 500, { statusCode: 500, code: 'INTERNAL', message: 'Something went wrong.', details: [], correlationId });
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('The baseline needs DATABASE_URL (the harness passes the app’s database).');
  // The app's pool: TypeORM's poolSize 10, 10 s to get a connection.
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10, connectionTimeoutMillis: 10_000, application_name: 'clinic-baseline' });
  const services: Services = { pool, config };
  const server = createServer((request, response) => void handle(services, request, response));
  server.keepAliveTimeout = 72_000;
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  process.stdout.write(`Baseline on http://${config.host}:${config.port}/api/v1\n`);
  const stop = () => {
    server.close(() => void pool.end().then(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`Baseline start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
