import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { describeClassification } from '../../clinical/dsm5.js';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext, SignedInContext } from '../../common/auth/request-context.js';
import { Clock } from '../../common/clock.js';
import { NotFound } from '../../common/errors/common.errors.js';
import { assertNotInFuture } from '../../common/validation/calendar-date.js';
import { AppConfig } from '../../config/app-config.js';
import { EnquiriesService } from '../enquiries/enquiries.service.js';
import type { PatientEntity } from '../patients/patient.entity.js';
import { PatientsService } from '../patients/patients.service.js';
import { AssessmentEntity } from './assessment.entity.js';
import type { AssessmentRequest } from './dto/assessment.request.js';
import { toAssessmentResponse, type AssessmentResponse } from './dto/assessment.response.js';
import type { IntakeInput } from './intake-input.js';
import { assessIntake } from './intake-rules.js';
import { INTAKE_ERRORS } from './intake.errors.js';

const RESOURCE = 'assessment';

/** Intake assessments: each a new version, with the clinical findings computed and frozen. */
@Injectable()
export class IntakeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly enquiries: EnquiriesService,
    private readonly patients: PatientsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async assess(enquiryId: string, request: AssessmentRequest, context: SignedInContext): Promise<AssessmentResponse> {
    const input = toIntakeInput(request);
    assertNotInFuture('patient.dateOfBirth', input.patient.dateOfBirth, this.clock.today(this.config.clinicTimeZone));
    const findings = assessIntake(input);
    return this.dataSource.transaction(async (manager) => {
      const enquiry = await this.enquiries.lock(manager, enquiryId);
      const patientCreated = !enquiry.patientId && !request.patientId;
      const patient = await this.resolvePatient(manager, enquiry.patientId, request);
      input.patient.sex = patient.sex;
      const version = await nextVersion(manager, enquiryId);
      await this.enquiries.moveTo(manager, enquiry, 'ASSESSED', { patientId: patient.id });
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
        assessedBy: context.actor.id,
      });
      await manager.insert(AssessmentEntity, assessment);
      await this.audit.record(
        context,
        { action: 'CREATE', resource: RESOURCE, resourceId: assessment.id, patientId: patient.id, detail: { enquiryId, version, patientCreated } },
        manager,
      );
      return respond(assessment);
    });
  }

  /**
   * The enquiry's patient, with details corrected by this version; or, on the first assessment, a
   * returning patient named by `patientId` (checked, not rewritten), or a new patient.
   */
  private async resolvePatient(manager: EntityManager, enquiryPatientId: string | null, request: AssessmentRequest): Promise<PatientEntity> {
    // UUIDs are compared as PostgreSQL stores them (lower case); the client may send upper case.
    const requestedId = request.patientId?.toLowerCase() ?? null;
    if (enquiryPatientId && requestedId && enquiryPatientId !== requestedId) {
      throw INTAKE_ERRORS.PATIENT_MISMATCH('This enquiry is already about another patient.');
    }
    if (!enquiryPatientId && requestedId) return this.patients.attach(manager, requestedId, request.patient);
    return this.patients.createOrUpdate(manager, enquiryPatientId, request.patient);
  }

  /** The current (latest) version. */
  async current(enquiryId: string, context: RequestContext): Promise<AssessmentResponse> {
    const assessment = await this.currentEntity(this.dataSource.manager, enquiryId);
    if (!assessment) throw new NotFound('Assessment');
    await this.audit.record(context, { action: 'READ', resource: RESOURCE, resourceId: assessment.id, patientId: assessment.patientId });
    return respond(assessment);
  }

  async versions(enquiryId: string, context: RequestContext): Promise<AssessmentResponse[]> {
    const enquiry = await this.enquiries.find(this.dataSource.manager, enquiryId);
    const all = await this.dataSource.manager.find(AssessmentEntity, { where: { enquiryId }, order: { version: 'ASC' } });
    await this.audit.record(context, { action: 'READ', resource: RESOURCE, patientId: enquiry.patientId, detail: { enquiryId, versions: all.length } });
    return all.map(respond);
  }

  async get(id: string, context: RequestContext): Promise<AssessmentResponse> {
    const assessment = await this.dataSource.manager.findOneBy(AssessmentEntity, { id });
    if (!assessment) throw new NotFound('Assessment');
    await this.audit.record(context, { action: 'READ', resource: RESOURCE, resourceId: id, patientId: assessment.patientId });
    return respond(assessment);
  }

  /** For triage: the latest version, inside the caller's transaction. */
  currentEntity(manager: EntityManager, enquiryId: string): Promise<AssessmentEntity | null> {
    return manager.findOne(AssessmentEntity, { where: { enquiryId }, order: { version: 'DESC' } });
  }
}

function respond(assessment: AssessmentEntity): AssessmentResponse {
  return toAssessmentResponse(assessment, describeClassification(assessment.dsm5Result));
}

/** The enquiry row is locked by the caller, so two assessments cannot take the same number. */
async function nextVersion(manager: EntityManager, enquiryId: string): Promise<number> {
  const [row]: { max: number | null }[] = await manager.query('SELECT max(version) AS max FROM assessments WHERE enquiry_id = $1', [enquiryId]);
  return (row?.max ?? 0) + 1;
}

function toIntakeInput(request: AssessmentRequest): IntakeInput {
  return {
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
