/** What the baseline's server and handlers share. */
import type pg from 'pg';
import type { Role } from '../../src/common/auth/role.js';
import type { AppConfig } from '../../src/config/app-config.js';

export type { Role };

const INSERT_AUDIT_EVENT =
  'INSERT INTO audit_events (actor_id, action, resource, resource_id, patient_id, outcome, correlation_id, address, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)';

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

