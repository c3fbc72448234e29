import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import { SEAL_STATEMENT } from '../src/common/audit/audit-sealer.js';
import type { ServerProcess } from './processes.js';
import type { Scenario, ScenarioRequest } from './scenarios.js';

const SETTLE_WINDOW_MS = 300;
const SETTLE_LIMIT_MS = 30_000;

/** Waits until a window passes in which the server sends no statement of its own (the audit sealer's aside). */
async function settled(server: ServerProcess): Promise<void> {
  const until = Date.now() + SETTLE_LIMIT_MS;
  while (Date.now() < until) {
    const { statements } = await server.traceSql(() => new Promise<void>((resolve) => setTimeout(resolve, SETTLE_WINDOW_MS)));
    if (statements.every((sql) => sql === SEAL_STATEMENT)) return;
  }
  throw new Error(`${server.name} was still sending SQL ${SETTLE_LIMIT_MS / 1000} s after the previous scenario: its statements would be counted as this one's`);
}

/** What one request of a scenario looked like on one server. */
export interface Probe {
  status: number;
  body: unknown;
  /** Response headers, transport ones and the correlation id (new on every response) aside. */
  headers: Record<string, string>;
  statements: string[];
  /** The audit rows the request wrote (found by its correlation id), the new row's id masked. */
  audit: unknown[];
}

export interface Comparison {
  scenario: string;
  app: Probe;
  baseline: Probe;
  /** Empty when the two answers agree (volatile fields aside). */
  problems: string[];
}

/** Headers that differ between any two responses, or only describe the transport. */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'x-correlation-id']);

export async function probe(server: ServerProcess, scenario: Scenario, request: ScenarioRequest, database: pg.Pool): Promise<Probe> {
  const { result, statements } = await server.traceSql(async () => {
    const response = await fetch(server.url + request.path, {
      method: request.method,
      headers: { authorization: `Bearer ${scenario.staff.accessToken}`, ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: request.body,
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: compared as text
    }
    const headers = Object.fromEntries([...response.headers.entries()].filter(([name]) => !TRANSPORT_HEADERS.has(name)).sort(([a], [b]) => a.localeCompare(b)));
    const correlationId = response.headers.get('x-correlation-id');
    if (!correlationId) headers['x-correlation-id'] = '(missing)';
    return { status: response.status, body, headers, correlationId };
  });
  const { correlationId, ...answer } = result;
  // The app seals the audit trail every second on its own timer: not a statement of the request.
  return { ...answer, statements: statements.filter((sql) => sql !== SEAL_STATEMENT), audit: correlationId ? await auditRows(database, correlationId, answer.body) : [] };
}

/** What the audit trail says about one request; the id of a row the request created is masked. */
async function auditRows(database: pg.Pool, correlationId: string, body: unknown): Promise<unknown[]> {
  const { rows } = await database.query(
    'SELECT actor_id, action, resource, resource_id, patient_id, outcome, address, detail FROM audit_events WHERE correlation_id = $1 ORDER BY seq',
    [correlationId],
  );
  const newId = body && typeof body === 'object' && 'id' in body ? (body as { id: unknown }).id : undefined;
  return rows.map((row) => (newId !== undefined && row.resource_id === newId ? { ...row, resource_id: '(id of the new row)' } : row));
}

/**
 * The app and the baseline must give the same answer to the same request: same status, same
 * JSON (ids and clocks of new rows aside), the same response headers, the same audit rows, so
 * that only the framework's overhead differs between them.
 */
export async function compare(app: ServerProcess, baseline: ServerProcess, scenario: Scenario, database: pg.Pool): Promise<Comparison> {
  // Requests of the previous scenario's load may still be running: their statements are not this one's.
  await Promise.all([settled(app), settled(baseline)]);
  const { source } = scenario;
  // A write that may not repeat goes to each server as one of two twins.
  const checked = source
    ? Array.from({ length: scenario.checks }, () => source.twins())
    : scenario.requests.slice(0, scenario.checks).map((request) => [request, request] as const);
  const problems: string[] = [];
  let first: { app: Probe; baseline: Probe } | null = null;
  for (const [request, twin] of checked) {
    const appProbe = await probe(app, scenario, request, database);
    const baseProbe = await probe(baseline, scenario, twin, database);
    first ??= { app: appProbe, baseline: baseProbe };
    const where = checked.length > 1 ? `${request.method} ${request.path}${source ? ` ${request.body?.slice(0, 200)}` : ''}: ` : '';
    for (const problem of differences(scenario, appProbe, baseProbe)) problems.push(where + problem);
  }
  return { scenario: scenario.name, app: first!.app, baseline: first!.baseline, problems };
}

function differences(scenario: Scenario, appProbe: Probe, baseProbe: Probe): string[] {
  const problems: string[] = [];
  if (appProbe.status !== scenario.expectStatus) problems.push(`app answered ${appProbe.status}, expected ${scenario.expectStatus}: ${preview(appProbe.body)}`);
  if (baseProbe.status !== appProbe.status) problems.push(`status: app ${appProbe.status}, baseline ${baseProbe.status}: ${preview(baseProbe.body)}`);
  const appBody = withoutKeys(appProbe.body, scenario.volatileKeys);
  const baseBody = withoutKeys(baseProbe.body, scenario.volatileKeys);
  if (!isDeepStrictEqual(appBody, baseBody)) problems.push(`body differs: ${firstDifference(appBody, baseBody, '$')}`);
  if (appProbe.audit.length === 0) problems.push('the app wrote no audit row (or none under the correlation id it answered with)');
  if (!isDeepStrictEqual(appProbe.audit, baseProbe.audit)) problems.push(`audit rows differ: ${firstDifference(appProbe.audit, baseProbe.audit, 'audit')}`);
  for (const name of new Set([...Object.keys(appProbe.headers), ...Object.keys(baseProbe.headers)])) {
    if (appProbe.headers[name] !== baseProbe.headers[name]) problems.push(`header ${name}: app ${JSON.stringify(appProbe.headers[name])}, baseline ${JSON.stringify(baseProbe.headers[name])}`);
  }
  if (appProbe.statements.length === 0 || baseProbe.statements.length === 0) problems.push('no SQL statement was traced (the trace hook is not loaded?)');
  return problems;
}

function withoutKeys(body: unknown, keys: string[]): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body) || keys.length === 0) return body;
  return Object.fromEntries(Object.entries(body).filter(([key]) => !keys.includes(key)));
}

function preview(body: unknown): string {
  return (typeof body === 'string' ? body : String(JSON.stringify(body))).slice(0, 400);
}

/** A JSON path to the first place where the two values differ, with both values. */
export function firstDifference(a: unknown, b: unknown, path: string): string {
  if (isDeepStrictEqual(a, b)) return '';
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) {
      const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], Array.isArray(a) ? `${path}[${key}]` : `${path}.${key}`);
      if (found) return found;
    }
  }
  return `${path}: app ${preview(a)} / baseline ${preview(b)}`;
}
