import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { RequestContext } from '../auth/request-context.js';
import type { AuditEntry } from './audit-event.js';

// The database stamps the sequence and time; audit_seal() links each row into the hash chain a moment
// after it commits (AuditSealer; see the foundation migration).
const INSERT_AUDIT_EVENTS_PREFIX =
  'INSERT INTO audit_events (actor_id, action, resource, resource_id, patient_id, outcome, correlation_id, address, detail) VALUES';
const INSERT_AUDIT_EVENT = `${INSERT_AUDIT_EVENTS_PREFIX} ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;

/**
 * Writes the audit trail. Writes pass the `EntityManager` of their transaction so the audit row
 * commits or rolls back with the change; reads are recorded before the data is returned.
 */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  async record(context: RequestContext, entry: AuditEntry, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(INSERT_AUDIT_EVENT, columnsOf(context, entry));
  }

  /**
   * Several entries in one statement, e.g. one per patient on a page of a list, so that every
   * patient whose data was read is on the trail under their own id.
   */
  async recordMany(context: RequestContext, entries: readonly AuditEntry[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (entries.length === 0) return;
    if (entries.length === 1) return this.record(context, entries[0]!, manager);
    const params = entries.flatMap((entry) => columnsOf(context, entry));
    const rows = entries.map((_, row) => `(${Array.from({ length: COLUMN_COUNT }, (__, column) => `$${row * COLUMN_COUNT + column + 1}`).join(', ')})`);
    await manager.query(`${INSERT_AUDIT_EVENTS_PREFIX} ${rows.join(', ')}`, params);
  }

  /** One READ entry per distinct patient on a page (one without a patient if there is none). */
  async recordListRead(context: RequestContext, resource: string, patientIds: readonly (string | null)[], detail?: AuditEntry['detail']): Promise<void> {
    const distinct = [...new Set(patientIds.filter((id): id is string => id !== null))];
    const entries = distinct.length > 0 ? distinct.map((patientId) => ({ action: 'READ' as const, resource, patientId, detail })) : [{ action: 'READ' as const, resource, detail }];
    await this.recordMany(context, entries);
  }
}

const COLUMN_COUNT = 9;

function columnsOf(context: RequestContext, entry: AuditEntry): unknown[] {
  return [
    entry.actorId !== undefined ? entry.actorId : (context.actor?.id ?? null),
    entry.action,
    entry.resource,
    entry.resourceId ?? null,
    entry.patientId ?? null,
    entry.outcome ?? 'SUCCESS',
    context.correlationId,
    context.address,
    entry.detail ? JSON.stringify(entry.detail) : null,
  ];
}
