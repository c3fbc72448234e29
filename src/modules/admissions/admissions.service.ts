import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext, SignedInContext } from '../../common/auth/request-context.js';
import { NotFound } from '../../common/errors/common.errors.js';
import { decodeCursor, toPage, type Page } from '../../common/pagination/cursor.js';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/page-query.dto.js';
import { EnquiriesService } from '../enquiries/enquiries.service.js';
import type { IntakeInput } from '../intake/intake-input.js';
import { IntakeService } from '../intake/intake.service.js';
import { PatientsService } from '../patients/patients.service.js';
import { TriageService } from '../triage/triage.service.js';
import { AdmissionEntity, type ResidentialPathway } from './admission.entity.js';
import { toAdmissionResponse, type AdmissionResponse, type AdmitRequest, type ListAdmissionsQuery } from './dto/admission.dto.js';
import { ADMISSION_ERRORS } from './admissions.errors.js';

const RESOURCE = 'admission';
const RESIDENTIAL: readonly string[] = ['ONSITE_TAPER', 'HOSPITAL_DETOX_FIRST'] satisfies ResidentialPathway[];

/** Admission of a triaged enquiry into the residential programme, and reading admissions. */
@Injectable()
export class AdmissionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly enquiries: EnquiriesService,
    private readonly triage: TriageService,
    private readonly patients: PatientsService,
    private readonly intake: IntakeService,
    private readonly audit: AuditService,
  ) {}

  async admit(enquiryId: string, request: AdmitRequest, context: SignedInContext): Promise<AdmissionResponse> {
    return this.dataSource.transaction(async (manager) => {
      const enquiry = await this.enquiries.lock(manager, enquiryId);
      const decision = await this.triage.currentDecision(manager, enquiryId);
      if (!decision) throw ADMISSION_ERRORS.TRIAGE_REQUIRED('The enquiry has not been triaged yet.');
      if (!RESIDENTIAL.includes(decision.pathway)) {
        throw ADMISSION_ERRORS.PATHWAY_NOT_RESIDENTIAL(`The current pathway is ${decision.pathway}; only ONSITE_TAPER or HOSPITAL_DETOX_FIRST can be admitted.`);
      }
      await this.enquiries.moveTo(manager, enquiry, 'ADMITTED');
      const active = await manager.existsBy(AdmissionEntity, { patientId: decision.patientId, status: 'ACTIVE' });
      if (active) throw ADMISSION_ERRORS.ALREADY_ADMITTED('This patient already has an active admission.');
      const admission = manager.create(AdmissionEntity, {
        patientId: decision.patientId,
        enquiryId,
        triageDecisionId: decision.id,
        pathway: decision.pathway as ResidentialPathway,
        admittedOn: request.admittedOn,
        viaPartnerHospital: request.viaPartnerHospital ?? decision.pathway === 'HOSPITAL_DETOX_FIRST',
        status: 'ACTIVE',
        createdBy: context.actor.id,
      });
      // The partial unique index settles a race between two enquiries of one patient.
      await manager.insert(AdmissionEntity, admission).catch(rethrowActiveAdmission);
      await this.audit.record(context, { action: 'CREATE', resource: RESOURCE, resourceId: admission.id, patientId: admission.patientId, detail: { enquiryId } }, manager);
      const patient = (await this.patients.findMany(manager, [admission.patientId])).get(admission.patientId)!;
      return toAdmissionResponse(admission, patient);
    });
  }

  async get(id: string, context: RequestContext): Promise<AdmissionResponse> {
    const admission = await this.dataSource.manager.findOneBy(AdmissionEntity, { id });
    if (!admission) throw new NotFound('Admission');
    const patient = (await this.patients.findMany(this.dataSource.manager, [admission.patientId])).get(admission.patientId)!;
    await this.audit.record(context, { action: 'READ', resource: RESOURCE, resourceId: id, patientId: admission.patientId });
    return toAdmissionResponse(admission, patient);
  }

  /** An admission, 404 if there is none. */
  async find(manager: EntityManager, id: string): Promise<AdmissionEntity> {
    const admission = await manager.findOneBy(AdmissionEntity, { id });
    if (!admission) throw new NotFound('Admission');
    return admission;
  }

  /** An admission in any state, locked for the rest of the caller's transaction (billing after discharge). */
  async lock(manager: EntityManager, id: string): Promise<AdmissionEntity> {
    const admission = await manager.findOne(AdmissionEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!admission) throw new NotFound('Admission');
    return admission;
  }

  /**
   * An ACTIVE admission, locked for the rest of the caller's transaction: orders written for one
   * patient at the same moment queue behind each other (e.g. two NSAIDs checked for duplicates).
   */
  async lockActive(manager: EntityManager, id: string): Promise<AdmissionEntity> {
    const admission = await this.lock(manager, id);
    if (admission.status !== 'ACTIVE') throw ADMISSION_ERRORS.ADMISSION_NOT_ACTIVE('The patient has been discharged; this admission is closed.');
    return admission;
  }

  /** The intake answers (the assessment triage used; it cannot change after triage). */
  async intakeAnswers(manager: EntityManager, admission: AdmissionEntity): Promise<IntakeInput> {
    const assessment = await this.intake.currentEntity(manager, admission.enquiryId);
    if (!assessment) throw new Error(`Admission ${admission.id} has no assessment`);
    return assessment.input;
  }

  /** Newest first; patients are read in one query for the whole page. */
  async list(query: ListAdmissionsQuery, context: RequestContext): Promise<Page<AdmissionResponse>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const builder = this.dataSource.manager.createQueryBuilder(AdmissionEntity, 'a').orderBy('a.position', 'DESC').limit(limit + 1);
    if (query.status) builder.andWhere('a.status = :status', { status: query.status });
    if (query.cursor) builder.andWhere('a.position < :position', { position: decodeCursor(query.cursor, ['integer'])[0] });
    const rows = await builder.getMany();
    const patients = await this.patients.findMany(this.dataSource.manager, rows.slice(0, limit).map((a) => a.patientId));
    const page = toPage(rows, limit, (a) => [Number(a.position)], (a) => toAdmissionResponse(a, patients.get(a.patientId)!));
    await this.audit.recordListRead(context, RESOURCE, page.items.map((a) => a.patientId), { count: page.items.length });
    return page;
  }
}

function rethrowActiveAdmission(error: unknown): never {
  if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') {
    throw ADMISSION_ERRORS.ALREADY_ADMITTED('This patient already has an active admission.');
  }
  throw error;
}
