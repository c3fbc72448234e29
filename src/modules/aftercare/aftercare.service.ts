import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext, SignedInContext } from '../../common/auth/request-context.js';
import { Clock } from '../../common/clock.js';
import { NotFound } from '../../common/errors/common.errors.js';
import { AppConfig } from '../../config/app-config.js';
import { AdmissionsRepository } from '../admissions/index.js';
import { DischargeService } from './discharge.service.js';
import { type CheckInUpdateRequest } from './dto/discharge.requests.js';
import { toCheckInDto, type AftercareResponse, type CheckInDto } from './dto/discharge.responses.js';
import { CheckInEntity } from './entities/check-in.entity.js';
import { AFTERCARE_ERRORS } from './aftercare.errors.js';

const RESOURCE = 'aftercare_check_in';

/** The eight weekly aftercare check-ins after discharge. */
@Injectable()
export class AftercareService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admissions: AdmissionsRepository,
    private readonly discharges: DischargeService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async plan(admissionId: string, context: RequestContext): Promise<AftercareResponse> {
    const manager = this.dataSource.manager;
    const admission = await this.admissions.find(manager, admissionId);
    if (admission.status !== 'DISCHARGED') throw AFTERCARE_ERRORS.NOT_DISCHARGED('The aftercare plan starts at discharge.');
    const checkIns = await this.discharges.checkIns(manager, admissionId);
    await this.audit.record(context, { action: 'READ', resource: RESOURCE, patientId: admission.patientId, detail: { admissionId } });
    return { admissionId, checkIns: checkIns.map(toCheckInDto) };
  }

  async update(id: string, request: CheckInUpdateRequest, context: SignedInContext): Promise<CheckInDto> {
    return this.dataSource.transaction(async (manager) => {
      const checkIn = await manager.findOne(CheckInEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!checkIn) throw new NotFound('Check-in');
      const today = this.clock.today(this.config.clinicTimeZone);
      if (request.status === 'MISSED' && checkIn.dueOn > today) {
        throw AFTERCARE_ERRORS.NOT_DUE_YET(`This check-in is due on ${checkIn.dueOn}; it cannot be missed before then.`, [{ field: 'status', reason: `MISSED only from ${checkIn.dueOn}` }]);
      }
      Object.assign(checkIn, { status: request.status, notes: request.notes ?? checkIn.notes, updatedBy: context.actor.id });
      await manager.save(CheckInEntity, checkIn);
      await this.audit.record(context, { action: 'UPDATE', resource: RESOURCE, resourceId: id, patientId: checkIn.patientId, detail: { status: request.status } }, manager);
      return toCheckInDto(checkIn);
    });
  }
}
