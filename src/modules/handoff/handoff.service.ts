import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Bundle } from '@medplum/fhirtypes';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext } from '../../common/auth/request-context.js';
import { Clock } from '../../common/clock.js';
import { AppConfig } from '../../config/app-config.js';
import { AdministrationHistoryRepository } from '../administrations/index.js';
import { readSnapshot } from '../../common/database/read-snapshot.js';
import { buildHandoffSummary } from './handoff-builder.js';
import { buildHandoffBundle } from './fhir/handoff-fhir.js';
import { renderHandoffPdf } from './pdf/handoff-pdf.js';
import { readHandoffRecords } from './handoff-reader.js';
import type { HandoffSummary } from './handoff-summary.js';

export type HandoffFormat = 'json' | 'pdf' | 'fhir';
export type HandoffDocument = { format: 'json'; body: HandoffSummary } | { format: 'pdf'; body: Buffer } | { format: 'fhir'; body: Bundle };

/**
 * The handoff summary for the outside prescriber. Only after discharge and only with the
 * patient's consent; every production is an EXPORT on the audit trail naming its recipient.
 * The records are read in one snapshot with a fixed number of statements, whatever the stay's length
 * (handoff-reader.ts).
 */
@Injectable()
export class HandoffService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly record: AdministrationHistoryRepository,
  ) {}

  async produce(admissionId: string, format: HandoffFormat, context: RequestContext): Promise<HandoffDocument> {
    const records = await readSnapshot(this.dataSource, (query) => readHandoffRecords(query, admissionId, this.record));
    const summary = buildHandoffSummary({ ...records, generatedAt: this.clock.now(), timeZone: this.config.clinicTimeZone, clinic: this.config.clinic });
    const document = await render(summary, format, this.config.clinicTimeZone);
    await this.audit.record(context, {
      action: 'EXPORT',
      resource: 'handoff',
      resourceId: admissionId,
      patientId: records.patient.id,
      detail: { format, recipient: summary.recipient.name, practice: summary.recipient.practice },
    });
    return document;
  }
}

async function render(summary: HandoffSummary, format: HandoffFormat, timeZone: string): Promise<HandoffDocument> {
  if (format === 'pdf') return { format, body: await renderHandoffPdf(summary, { timeZone }) };
  if (format === 'fhir') return { format, body: buildHandoffBundle(summary, { bundleId: randomUUID(), newId: randomUUID }, { timeZone }) };
  return { format, body: summary };
}
