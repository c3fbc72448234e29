import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { SignedInContext } from '../../common/auth/request-context.js';
import { Clock } from '../../common/clock.js';
import { lockOrNotFound } from '../../common/database/rows.js';
import { COMMON_ERRORS, NotFound } from '../../common/errors/common.errors.js';
import { AdmissionsRepository } from '../admissions/index.js';
import { assertNotInvoiced, voidChargeWith } from './charge-voids.js';
import type { VoidConsultRequest } from './dto/consult.requests.js';
import { toConsultResponse, type ConsultResponse } from './dto/consult.responses.js';
import { ChargeEntity } from './entities/charge.entity.js';
import { PsychConsultEntity } from './entities/psych-consult.entity.js';
import { CONSULT_RESOURCE } from './psych-consults.service.js';

/**
 * A consult entered by mistake (a mistyped date, one recorded twice) is voided with a reason: it
 * stays on record and counts toward nothing (the included quota, the discharge date), and its
 * EXTRA_PSYCH_CONSULT charge, if it had one, is voided with it. Consults recorded before keep the
 * billing they had: a charge is never re-priced after the fact; the freed place goes to the next
 * consult recorded. A charge already on a live invoice waits for that invoice's void (409).
 */
@Injectable()
export class PsychConsultVoidService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admissions: AdmissionsRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async void(id: string, request: VoidConsultRequest, context: SignedInContext): Promise<ConsultResponse> {
    return this.dataSource.transaction(async (manager) => {
      const found = await manager.findOne(PsychConsultEntity, { select: { id: true, admissionId: true }, where: { id } });
      if (!found) throw new NotFound('Psychiatric consult');
      // The admission first, as recording a consult and drafting an invoice do: none of them crosses a void.
      await this.admissions.lock(manager, found.admissionId);
      const consult = await lockOrNotFound(manager, PsychConsultEntity, id, 'Psychiatric consult');
      if (consult.voidedAt) throw COMMON_ERRORS.ALREADY_VOID(`This consult was voided at ${consult.voidedAt.toISOString()}.`);
      const charge = consult.chargeId ? await lockOrNotFound(manager, ChargeEntity, consult.chargeId, 'Charge') : null;
      if (charge) await assertNotInvoiced(manager, charge.id, 'Its consult charge');
      const voided = { voidedAt: this.clock.now(), voidedBy: context.actor.id, voidReason: request.reason };
      Object.assign(consult, voided);
      await manager.update(PsychConsultEntity, { id }, voided);
      await this.audit.record(context, { action: 'VOID', resource: CONSULT_RESOURCE, resourceId: id, patientId: consult.patientId, detail: { voided: true, chargeId: consult.chargeId } }, manager);
      if (charge) await voidChargeWith(manager, this.audit, context, charge, voided, { consultId: id });
      return toConsultResponse(consult, charge, true);
    });
  }

}
