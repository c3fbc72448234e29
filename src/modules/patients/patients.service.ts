import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext } from '../../common/auth/request-context.js';
import { decodeCursor, toPage, type Page } from '../../common/pagination/cursor.js';
import { ValidationFailed } from '../../common/errors/common.errors.js';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/page-query.dto.js';
import { finderSearchProblem, worksTheRegister } from '../../common/search/finder-query.js';
import { searchAuditDetail, searchTerms } from '../../common/search/search-terms.js';
import type { SearchPatientsQuery } from './dto/patient.requests.js';
import { toPatientResponse, toPatientSummary, type PatientResponse, type PatientSummaryResponse } from './dto/patient.responses.js';
import { patientSearchKey, type PatientSearchKey } from './patient-search.js';
import { PatientsRepository } from './patients.repository.js';

export const PATIENT_RESOURCE = 'patient';

/** Finding patients and reading a patient's record; both are reads of patient data, audited. */
@Injectable()
export class PatientsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly patients: PatientsRepository,
    private readonly audit: AuditService,
  ) {}

  /**
   * Best matches first. The audit trail gets one READ per patient listed (or one without a
   * patient when none is), with how the text was searched and its length, never the text.
   */
  async search(query: SearchPatientsQuery, context: RequestContext): Promise<Page<PatientSummaryResponse>> {
    // Nurse, billing and aftercare find one patient; a letter or two would list the register.
    const tooShort = worksTheRegister(context.actor) ? null : finderSearchProblem(query.q);
    if (tooShort) throw new ValidationFailed([{ field: 'q', reason: tooShort }]);
    const terms = searchTerms(query.q);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = query.cursor ? (decodeCursor(query.cursor, ['int4', 'int4', 'integer']) as PatientSearchKey) : null;
    const rows = await this.patients.search(this.dataSource.manager, terms, { after, limit });
    const page = toPage(rows, limit, patientSearchKey, toPatientSummary);
    await this.audit.recordListRead(context, PATIENT_RESOURCE, page.items.map((p) => p.id), { count: page.items.length, ...searchAuditDetail(terms) });
    return page;
  }

  async get(id: string, context: RequestContext): Promise<PatientResponse> {
    const manager = this.dataSource.manager;
    const patient = await this.patients.find(manager, id);
    const admissions = await this.patients.admissionsOf(manager, id);
    await this.audit.record(context, { action: 'READ', resource: PATIENT_RESOURCE, resourceId: id, patientId: id });
    return toPatientResponse(patient, admissions);
  }
}
