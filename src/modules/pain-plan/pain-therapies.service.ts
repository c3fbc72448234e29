import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { SignedInContext } from '../../common/auth/request-context.js';
import { AdmissionsRepository } from '../admissions/index.js';
import type { AddTherapyRequest } from './dto/pain-plan.requests.js';
import { toPainTherapyResponse, type PainTherapyResponse } from './dto/pain-plan.responses.js';
import { PainTherapyEntity } from './pain-therapy.entity.js';

const RESOURCE = 'pain_therapy';

/** The non-drug parts of the pain plan (physiotherapy, sleep correction, CBT…). */
@Injectable()
export class PainTherapiesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admissions: AdmissionsRepository,
    private readonly audit: AuditService,
  ) {}

  async add(admissionId: string, request: AddTherapyRequest, context: SignedInContext): Promise<PainTherapyResponse> {
    return this.dataSource.transaction(async (manager) => {
      const admission = await this.admissions.lockActive(manager, admissionId);
      const therapy = manager.create(PainTherapyEntity, {
        admissionId,
        patientId: admission.patientId,
        type: request.type,
        frequency: request.frequency,
        notes: request.notes || null,
        orderedBy: context.actor.id,
      });
      await manager.insert(PainTherapyEntity, therapy);
      await this.audit.record(context, { action: 'CREATE', resource: RESOURCE, resourceId: therapy.id, patientId: therapy.patientId, detail: { type: therapy.type } }, manager);
      return toPainTherapyResponse(therapy);
    });
  }
}
