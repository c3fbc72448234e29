import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { SignedInContext } from '../../common/auth/request-context.js';
import { Clock } from '../../common/clock.js';
import { lockOrNotFound } from '../../common/database/rows.js';
import { COMMON_ERRORS, NotFound } from '../../common/errors/common.errors.js';
import { AdmissionsRepository } from '../admissions/index.js';
import { assertNotInvoiced, voidChargeWith } from './charge-voids.js';
import { DISPENSATION_RESOURCE } from './dispensations.service.js';
import type { VoidDispensationRequest } from './dto/dispensation.requests.js';
import { toDispensationResponse, type DispensationResponse } from './dto/dispensation.responses.js';
import { ChargeEntity } from './entities/charge.entity.js';
import { DispensationEntity } from './entities/dispensation.entity.js';

/**
 * A dispensation entered by mistake (a wrong day, a wrong quantity) is voided with a reason: it
 * stays on record and counts toward nothing (the balance, the supply check, the discharge date),
 * and its medication charge is voided with it. A charge already on a live invoice is the
 * invoice's until that invoice is voided, so the dispensation waits for it too (409).
 */
@Injectable()
export class DispensationVoidService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admissions: AdmissionsRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async void(id: string, request: VoidDispensationRequest, context: SignedInContext): Promise<DispensationResponse> {
    return this.dataSource.transaction(async (manager) => {
      const found = await manager.findOne(DispensationEntity, { select: { id: true, admissionId: true }, where: { id } });
      if (!found) throw new NotFound('Dispensation');
      // The admission first, as dispensing and invoice drafting do: none of them crosses a void.
      await this.admissions.lock(manager, found.admissionId);
      const dispensation = await lockOrNotFound(manager, DispensationEntity, id, 'Dispensation');
      if (dispensation.voidedAt) throw COMMON_ERRORS.ALREADY_VOID(`This dispensation was voided at ${dispensation.voidedAt.toISOString()}.`);
      const charge = await lockOrNotFound(manager, ChargeEntity, dispensation.chargeId, 'Charge');
      await assertNotInvoiced(manager, charge.id, 'Its medication charge');
      const voided = { voidedAt: this.clock.now(), voidedBy: context.actor.id, voidReason: request.reason };
      Object.assign(dispensation, voided);
      await manager.update(DispensationEntity, { id }, voided);
      await this.audit.record(context, { action: 'VOID', resource: DISPENSATION_RESOURCE, resourceId: id, patientId: dispensation.patientId, detail: { voided: true, chargeId: charge.id } }, manager);
      await voidChargeWith(manager, this.audit, context, charge, voided, { dispensationId: id });
      return toDispensationResponse(dispensation, charge);
    });
  }

}
