import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { Bundle } from '@medplum/fhirtypes';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext } from '../../common/auth/request-context.js';
import { Clock } from '../../common/clock.js';
import { NotFound } from '../../common/errors/domain-error.js';
import { AppConfig } from '../../config/app-config.js';
import { AdmissionsService } from '../admissions/admissions.service.js';
import { IntakeService } from '../intake/intake.service.js';
import { ObservationsService } from '../observations/observations.service.js';
import { PainPlanService } from '../pain-plan/pain-plan.service.js';
import { PatientsService } from '../patients/patients.service.js';
import { TaperOrdersService } from '../taper-orders/taper-orders.service.js';
import { DischargeService } from './discharge.service.js';
import { buildHandoffSummary, type HandoffSources } from './handoff-builder.js';
import { buildHandoffBundle } from './handoff-fhir.js';
import { renderHandoffPdf } from './handoff-pdf.js';
import type { HandoffSummary } from './handoff-summary.js';

export type HandoffFormat = 'json' | 'pdf' | 'fhir';
export type HandoffDocument = { format: 'json'; body: HandoffSummary } | { format: 'pdf'; body: Buffer } | { format: 'fhir'; body: Bundle };

/**
 * The handoff summary for the outside prescriber. Only after discharge and only with the
 * patient's consent; every production is an EXPORT on the audit trail naming its recipient.
 * The records are read in one snapshot with a fixed number of statements, whatever the stay's length.
 */
@Injectable()
export class HandoffService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admissions: AdmissionsService,
    private readonly discharges: DischargeService,
    private readonly patients: PatientsService,
    private readonly intake: IntakeService,
    private readonly tapers: TaperOrdersService,
    private readonly observations: ObservationsService,
    private readonly painPlan: PainPlanService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async produce(admissionId: string, format: HandoffFormat, context: RequestContext): Promise<HandoffDocument> {
    const sources = await this.dataSource.transaction('REPEATABLE READ', (manager) => this.load(manager, admissionId));
    const summary = buildHandoffSummary(sources);
    const document = await render(summary, format);
    await this.audit.record(context, {
      action: 'EXPORT',
      resource: 'handoff',
      resourceId: admissionId,
      patientId: sources.patient.id,
      detail: { format, recipient: summary.recipient.name, practice: summary.recipient.practice },
    });
    return document;
  }

  private async load(manager: EntityManager, admissionId: string): Promise<HandoffSources> {
    const admission = await this.admissions.find(manager, admissionId);
    const { discharge, consent } = await this.discharges.handoffPermission(manager, admission);
    const patient = (await this.patients.findMany(manager, [admission.patientId])).get(admission.patientId);
    const assessment = await this.intake.currentEntity(manager, admission.enquiryId);
    if (!patient || !assessment) throw new NotFound('Patient record');
    const { versions, steps } = await this.tapers.entitiesFor(manager, admissionId);
    const { medications, therapies } = await this.painPlan.entitiesFor(manager, admissionId);
    return {
      generatedAt: this.clock.now(),
      timeZone: this.config.clinicTimeZone,
      clinic: this.config.clinic,
      admission: { ...admission, dischargedOn: discharge.dischargedOn },
      patient,
      discharge,
      consent,
      assessment,
      taperVersions: versions,
      taperSteps: steps,
      observations: await this.observations.entitiesFor(manager, admissionId),
      medications,
      therapies,
      checkIns: await this.discharges.checkIns(manager, admissionId),
    };
  }
}

async function render(summary: HandoffSummary, format: HandoffFormat): Promise<HandoffDocument> {
  if (format === 'pdf') return { format, body: await renderHandoffPdf(summary) };
  if (format === 'fhir') return { format, body: buildHandoffBundle(summary, { bundleId: randomUUID(), newId: randomUUID }) };
  return { format, body: summary };
}
