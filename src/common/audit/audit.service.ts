import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { RequestContext } from '../auth/request-context.js';
import type { AuditEntry } from './audit-event.js';

// Sequence, timestamp and hash chain are filled in by the database trigger (see the migration).
const INSERT_AUDIT_EVENT = `
  INSERT INTO audit_events (actor_id, action, resource, resource_id, patient_id, outcome, correlation_id, address, detail)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;

/**
 * Writes the audit trail. Writes pass the `EntityManager` of their transaction so the audit row
 * commits or rolls back with the change; reads are recorded before the data is returned.
 */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  async record(context: RequestContext, entry: AuditEntry, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(INSERT_AUDIT_EVENT, [
      entry.actorId !== undefined ? entry.actorId : (context.actor?.id ?? null),
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
}
