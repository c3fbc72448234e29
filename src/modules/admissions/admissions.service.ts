import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext, SignedInContext } from '../../common/auth/request-context.js';
import { toPage, type Page } from '../../common/pagination/cursor.js';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/page-query.dto.js';
import { AppConfig } from '../../config/app-config.js';
import { EnquiriesRepository } from '../enquiries/index.js';
import { assessedOnOf, IntakeRepository } from '../intake/index.js';
import { PatientsRepository } from '../patients/index.js';
import { TriageRepository } from '../triage/index.js';
import { AdmissionEntity, type ResidentialPathway } from './admission.entity.js';
import { ADMISSION_ERRORS } from './admissions.errors.js';
import { AdmissionsRepository } from './admissions.repository.js';
import { type AdmitRequest, type ListAdmissionsQuery } from './dto/admission.requests.js';
import { toAdmissionResponse, type AdmissionResponse } from './dto/admission.responses.js';

const RESOURCE = 'admission';
const RESIDENTIAL: readonly string[] = ['ONSITE_TAPER', 'HOSPITAL_DETOX_FIRST'] satisfies ResidentialPathway[];

/** Admission of a triaged enquiry into the residential programme, and reading admissions. */
@Injectable()
export class AdmissionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admissions: AdmissionsRepository,
    private readonly enquiries: EnquiriesRepository,
    private readonly triage: TriageRepository,
    private readonly patients: PatientsRepository,
    private readonly intake: IntakeRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async admit(enquiryId: string, request: AdmitRequest, context: SignedInContext): Promise<AdmissionResponse> {
    return this.dataSource.transaction(async (manager) => {
      const enquiry = await this.enquiries.lock(manager, enquiryId);
      const decision = await this.triage.currentDecision(manager, enquiryId);
      if (!decision) throw ADMISSION_ERRORS.TRIAGE_REQUIRED();
      if (enquiry.status === 'ASSESSED') throw ADMISSION_ERRORS.TRIAGE_REQUIRED('The assessment changed after the last triage: triage the enquiry again.');
      if (!RESIDENTIAL.includes(decision.pathway)) {
        throw ADMISSION_ERRORS.PATHWAY_NOT_RESIDENTIAL(`The current pathway is ${decision.pathway}; only ONSITE_TAPER or HOSPITAL_DETOX_FIRST can be admitted.`);
      }
      const patient = (await this.patients.findMany(manager, [decision.patientId])).get(decision.patientId)!;
      if (request.admittedOn < patient.dateOfBirth) {
        throw ADMISSION_ERRORS.ADMISSION_BEFORE_BIRTH(`The patient was born on ${patient.dateOfBirth}.`, [{ field: 'admittedOn', reason: `must not be before the date of birth (${patient.dateOfBirth})` }]);
      }
      await this.enquiries.moveTo(manager, enquiry, 'ADMITTED');
      if (await this.admissions.hasActive(manager, decision.patientId)) throw ADMISSION_ERRORS.ALREADY_ADMITTED();
      await this.assertAfterAssessmentAndLastStay(manager, enquiryId, decision.patientId, request.admittedOn);
      const admission = manager.create(AdmissionEntity, {
        patientId: decision.patientId,
        enquiryId,
        triageDecisionId: decision.id,
        pathway: decision.pathway as ResidentialPathway,
        admittedOn: request.admittedOn,
        dischargedOn: null,
        viaPartnerHospital: request.viaPartnerHospital ?? decision.pathway === 'HOSPITAL_DETOX_FIRST',
        status: 'ACTIVE',
        createdBy: context.actor.id,
      });
      await this.admissions.insert(manager, admission);
      await this.audit.record(context, { action: 'CREATE', resource: RESOURCE, resourceId: admission.id, patientId: admission.patientId, detail: { enquiryId } }, manager);
      return toAdmissionResponse(admission, patient);
    });
  }

  /**
   * A stay starts on or after the intake it rests on, and after the patient's previous stay ended:
   * one stay at a time, or the same days would be charged twice (the last stay's discharge day
   * belongs to it).
   */
  private async assertAfterAssessmentAndLastStay(manager: EntityManager, enquiryId: string, patientId: string, admittedOn: string): Promise<void> {
    const assessment = await this.intake.current(manager, enquiryId);
    const assessedOn = assessment ? assessedOnOf(assessment, this.config.clinicTimeZone) : null;
    if (assessedOn && admittedOn < assessedOn) {
      throw ADMISSION_ERRORS.ADMISSION_BEFORE_ASSESSMENT(`The intake this admission rests on was assessed on ${assessedOn}.`, [{ field: 'admittedOn', reason: `must not be before the intake assessment (${assessedOn})` }]);
    }
    const lastDischargedOn = await this.admissions.lastDischargedOn(manager, patientId);
    if (lastDischargedOn && admittedOn <= lastDischargedOn) {
      throw ADMISSION_ERRORS.OVERLAPS_PREVIOUS_STAY(`The patient's previous stay ended on ${lastDischargedOn}.`, [{ field: 'admittedOn', reason: `must be after the previous stay's discharge (${lastDischargedOn})` }]);
    }
  }

  async get(id: string, context: RequestContext): Promise<AdmissionResponse> {
    const manager = this.dataSource.manager;
    const admission = await this.admissions.find(manager, id);
    const patient = (await this.patients.findMany(manager, [admission.patientId])).get(admission.patientId)!;
    await this.audit.record(context, { action: 'READ', resource: RESOURCE, resourceId: id, patientId: admission.patientId });
    return toAdmissionResponse(admission, patient);
  }

  /** Newest first; patients are read in one query for the whole page. */
  async list(query: ListAdmissionsQuery, context: RequestContext): Promise<Page<AdmissionResponse>> {
    const manager = this.dataSource.manager;
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.admissions.page(manager, { ...query, limit });
    const patients = await this.patients.findMany(manager, rows.slice(0, limit).map((a) => a.patientId));
    const page = toPage(rows, limit, (a) => [Number(a.position)], (a) => toAdmissionResponse(a, patients.get(a.patientId)!));
    await this.audit.recordListRead(context, RESOURCE, page.items.map((a) => a.patientId), { count: page.items.length });
    return page;
  }
}
