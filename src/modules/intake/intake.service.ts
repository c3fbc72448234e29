import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { describeClassification } from '../../clinical/dsm5.js';
import type { AuditEntry } from '../../common/audit/audit-event.js';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext, SignedInContext } from '../../common/auth/request-context.js';
import { Clock } from '../../common/clock.js';
import { NotFound, ValidationFailed } from '../../common/errors/common.errors.js';
import { assertNotInFuture } from '../../common/validation/calendar-date.js';
import { AppConfig } from '../../config/app-config.js';
import { assertCanMove, EnquiriesRepository } from '../enquiries/index.js';
import { formatHn, PatientsRepository } from '../patients/index.js';
import { AssessmentEntity } from './assessment.entity.js';
import { resolveAssessedPatient } from './assessment-patient.js';
import type { AssessmentRequest } from './dto/assessment.requests.js';
import { toAssessmentResponse, type AssessmentResponse } from './dto/assessment.responses.js';
import type { IntakeInput } from './intake-input.js';
import { assessIntake, type IntakeFindings } from './intake-rules.js';
import { IntakeRepository, type AssessmentRead } from './intake.repository.js';

const RESOURCE = 'assessment';

/** Intake assessments: each a new version, with the clinical findings computed and frozen. */
@Injectable()
export class IntakeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly enquiries: EnquiriesRepository,
    private readonly patients: PatientsRepository,
    private readonly assessments: IntakeRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async assess(enquiryId: string, request: AssessmentRequest, context: SignedInContext): Promise<AssessmentResponse> {
    const assessed = this.assessed(request);
    const revealed: AuditEntry[] = [];
    try {
      return await this.dataSource.transaction((manager) => this.recordVersion(manager, enquiryId, assessed, context, revealed));
    } catch (error) {
      // A refusal that named another patient rolled its audit rows back with it: they are written now.
      await this.audit.recordMany(context, revealed);
      throw error;
    }
  }

  /**
   * A new version of the intake of an admitted enquiry, in the caller's transaction (which holds
   * the active admission's lock, so no order is checked against the intake meanwhile): an opioid
   * missed at intake, a kidney function measured on the ward. The enquiry stays ADMITTED and the
   * triage stands; the orders checked from now on read this version.
   */
  async correctAdmitted(manager: EntityManager, enquiryId: string, request: AssessmentRequest, correctionReason: string, context: SignedInContext): Promise<AssessmentResponse> {
    // The patient has a stay, so nothing about another patient can be revealed here.
    return this.recordVersion(manager, enquiryId, { ...this.assessed(request), correctionReason }, context, []);
  }

  private assessed(request: AssessmentRequest): Assessed {
    const today = this.clock.today(this.config.clinicTimeZone);
    const input = toIntakeInput(request, today);
    assertNotInFuture('patient.dateOfBirth', input.patient.dateOfBirth, today);
    assertNotInFuture('assessedOn', input.assessedOn!, today);
    if (input.assessedOn! < input.patient.dateOfBirth) throw new ValidationFailed([{ field: 'assessedOn', reason: 'must not be before the date of birth' }]);
    return { request, input, findings: assessIntake(input), correctionReason: null };
  }

  private async recordVersion(manager: EntityManager, enquiryId: string, { request, input, findings, correctionReason }: Assessed, context: SignedInContext, revealed: AuditEntry[]): Promise<AssessmentResponse> {
    const enquiry = await this.enquiries.lock(manager, enquiryId);
    // A triaged, admitted or closed enquiry is refused before its patient is looked at (or another disclosed).
    if (correctionReason === null) assertCanMove(enquiry.status, 'ASSESSED');
    const patientCreated = !enquiry.patientId && !request.patientId;
    const lookups = { patients: this.patients, assessments: this.assessments, timeZone: this.config.clinicTimeZone };
    const patient = await resolveAssessedPatient(lookups, manager, enquiry, request, revealed);
    input.patient.sex = patient.sex;
    const version = await this.assessments.nextVersion(manager, enquiryId);
    if (correctionReason === null) await this.enquiries.moveTo(manager, enquiry, 'ASSESSED', { patientId: patient.id });
    const assessment = manager.create(AssessmentEntity, {
      enquiryId,
      patientId: patient.id,
      version,
      input,
      factorTable: findings.mme.factorTable,
      totalDailyMme: findings.mme.totalDailyMme,
      mmeLines: findings.mme.lines,
      dsm5Result: findings.dsm5,
      classification: findings.dsm5.classification,
      hyperalgesiaSuspected: findings.hyperalgesiaSuspected,
      longActing: findings.mme.longActing,
      warnings: findings.warnings,
      correctionReason,
      assessedBy: context.actor.id,
    });
    await this.assessments.insert(manager, assessment);
    await this.audit.record(
      context,
      { action: 'CREATE', resource: RESOURCE, resourceId: assessment.id, patientId: patient.id, detail: { enquiryId, version, patientCreated, ...(correctionReason === null ? {} : { correction: true }) } },
      manager,
    );
    return this.respond({ assessment, hn: patient.hn });
  }

  /** The current (latest) version. */
  async current(enquiryId: string, context: RequestContext): Promise<AssessmentResponse> {
    const read = await this.assessments.readCurrent(this.dataSource.manager, enquiryId);
    if (!read) throw new NotFound('Assessment');
    await this.audit.record(context, { action: 'READ', resource: RESOURCE, resourceId: read.assessment.id, patientId: read.assessment.patientId });
    return this.respond(read);
  }

  async versions(enquiryId: string, context: RequestContext): Promise<AssessmentResponse[]> {
    const enquiry = await this.enquiries.find(this.dataSource.manager, enquiryId);
    const all = await this.assessments.readVersions(this.dataSource.manager, enquiryId);
    await this.audit.record(context, { action: 'READ', resource: RESOURCE, patientId: enquiry.patientId, detail: { enquiryId, versions: all.length } });
    return all.map((read) => this.respond(read));
  }

  async get(id: string, context: RequestContext): Promise<AssessmentResponse> {
    const read = await this.assessments.readById(this.dataSource.manager, id);
    if (!read) throw new NotFound('Assessment');
    await this.audit.record(context, { action: 'READ', resource: RESOURCE, resourceId: id, patientId: read.assessment.patientId });
    return this.respond(read);
  }

  private respond({ assessment, hn }: AssessmentRead): AssessmentResponse {
    return toAssessmentResponse(assessment, formatHn(hn), describeClassification(assessment.dsm5Result), this.config.clinicTimeZone);
  }
}

/** An assessment as entered, checked and assessed, before it is stored. */
interface Assessed {
  request: AssessmentRequest;
  input: IntakeInput;
  findings: IntakeFindings;
  /** Set for a correction made during the stay. */
  correctionReason: string | null;
}

function toIntakeInput(request: AssessmentRequest, today: string): IntakeInput {
  return {
    assessedOn: request.assessedOn ?? today,
    // The sex actually recorded is filled in once the patient is known (a returning patient keeps theirs).
    patient: { ...request.patient, sex: request.patient.sex ?? 'unknown' },
    opioids: request.opioids.map((o) => ({ ...o })),
    takenAsPrescribed: request.takenAsPrescribed,
    dsm5: { ...request.dsm5 },
    pain: { ...request.pain, diffuse: request.pain.diffuse ?? false, worseAfterDoseIncrease: request.pain.worseAfterDoseIncrease ?? false },
    medical: { ...request.medical, complicatedWithdrawalHistory: request.medical.complicatedWithdrawalHistory ?? false },
    social: { ...request.social },
  };
}
