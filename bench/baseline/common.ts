/** What the baseline's server and handlers share. */
import type pg from 'pg';
import type { Role } from '../../src/common/auth/role.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { openCursor, sealCursor, type ListScope } from '../../src/common/pagination/list-scope.js';

export type { Role };

const AUDIT_PREFIX = 'INSERT INTO audit_events (actor_id, action, resource, resource_id, patient_id, outcome, correlation_id, address, detail) VALUES';
const AUDIT_COLUMNS = 9;
const INSERT_AUDIT_EVENT = `${AUDIT_PREFIX} ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;

/** An instant with its offset, as the app's IsInstant() takes it. */
export const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

export interface User {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
}

/** What a handler needs about the request: who, from where, under which correlation id. */
export interface Context {
  user: User;
  correlationId: string;
  address: string;
}

export interface Answer {
  status: number;
  body: unknown;
  /** Headers of this answer besides those of every answer (the handoff's Vary: Accept). */
  headers?: Record<string, string>;
}

/** An error answer in the app's error body shape. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: { field: string; reason: string }[],
  ) {
    super(message);
  }
}

export interface Services {
  pool: pg.Pool;
  config: AppConfig;
}

export async function recordAudit(
  client: pg.Pool | pg.PoolClient,
  context: Context,
  entry: { action: string; resource: string; resourceId?: string | null; patientId?: string | null; outcome?: 'SUCCESS' | 'DENIED'; detail?: object | null },
): Promise<void> {
  await client.query(INSERT_AUDIT_EVENT, [
    context.user.id,
    entry.action,
    entry.resource,
    entry.resourceId ?? null,
    entry.patientId ?? null,
    entry.outcome ?? 'SUCCESS',
    context.correlationId,
    context.address,
    entry.detail ? JSON.stringify(entry.detail) : null,
  ]);
}


/** One READ per distinct patient of a list (one without a patient if there is none), in one statement, as the app's recordListRead. */
export async function recordListRead(client: pg.Pool | pg.PoolClient, context: Context, resource: string, patientIds: readonly (string | null)[], detail: object): Promise<void> {
  const patients = [...new Set(patientIds.filter((id): id is string => id !== null))];
  const json = JSON.stringify(detail);
  const values: unknown[] = [];
  const tuples: string[] = [];
  for (const patientId of patients.length > 0 ? patients : [null]) {
    const base = values.length;
    tuples.push(`(${Array.from({ length: AUDIT_COLUMNS }, (_, c) => `$${base + c + 1}`).join(', ')})`);
    values.push(context.user.id, 'READ', resource, null, patientId, 'SUCCESS', context.correlationId, context.address, json);
  }
  await client.query(`${AUDIT_PREFIX} ${tuples.join(', ')}`, values);
}

export function invalid(field: string, reason: string): Refusal {
  return new Refusal(400, 'VALIDATION_FAILED', 'The request is invalid.', [{ field, reason }]);
}

export function objectBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalid('(body)', 'must be a JSON object');
  return body as Record<string, unknown>;
}

/** The app's list cursors carry the list they belong to (src/common/pagination/list-scope.ts); the baseline's do the same work. */
export const ENQUIRY_LIST: ListScope = { list: 'EnquiriesController.list', params: {} };
export const PATIENT_SEARCH: ListScope = { list: 'PatientsController.search', params: {} };
export { sealCursor };

/** The list's own cursor inside a sealed one, or null when it is not this list's. */
export function openListCursor(cursor: string, scope: ListScope): string | null {
  try {
    return openCursor(cursor, scope);
  } catch {
    return null;
  }
}
