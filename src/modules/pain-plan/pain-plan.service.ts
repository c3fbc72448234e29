import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext } from '../../common/auth/request-context.js';
import { AdmissionsRepository } from '../admissions/index.js';
import { toPainMedicationResponse, toPainTherapyResponse, type PainPlanResponse } from './dto/pain-plan.responses.js';
import { AsNeededOrderEntity } from './as-needed-order.entity.js';
import { toAsNeededOrderResponse } from './dto/as-needed.responses.js';
import { PainMedicationEntity } from './pain-medication.entity.js';
import { PainTherapyEntity } from './pain-therapy.entity.js';

/** The whole pain plan of an admission in one call: five statements whatever its size. */
@Injectable()
export class PainPlanService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admissions: AdmissionsRepository,
    private readonly audit: AuditService,
  ) {}

  /** Readable after discharge too (the handoff and aftercare rely on it). */
  async plan(admissionId: string, context: RequestContext): Promise<PainPlanResponse> {
    const manager = this.dataSource.manager;
    const admission = await this.admissions.find(manager, admissionId);
    // 'ACTIVE' sorts before 'DISCONTINUED': active orders first, each group newest first.
    const medications = await manager.find(PainMedicationEntity, { where: { admissionId }, order: { status: 'ASC', createdAt: 'DESC', id: 'ASC' } });
    const asNeeded = await manager.find(AsNeededOrderEntity, { where: { admissionId }, order: { status: 'ASC', createdAt: 'DESC', id: 'ASC' } });
    const therapies = await manager.find(PainTherapyEntity, { where: { admissionId }, order: { createdAt: 'DESC', id: 'ASC' } });
    await this.audit.record(context, { action: 'READ', resource: 'pain_plan', patientId: admission.patientId, detail: { admissionId } });
    return { medications: medications.map(toPainMedicationResponse), asNeeded: asNeeded.map(toAsNeededOrderResponse), therapies: therapies.map(toPainTherapyResponse) };
  }
}
