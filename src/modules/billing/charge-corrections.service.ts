import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { SignedInContext } from '../../common/auth/request-context.js';
import { Clock } from '../../common/clock.js';
import { COMMON_ERRORS, NotFound } from '../../common/errors/common.errors.js';
import { AdmissionsRepository } from '../admissions/index.js';
import { BILLING_ERRORS } from './billing.errors.js';
import { assertNotInvoiced } from './charge-voids.js';
import { CHARGE_RESOURCE } from './charges.service.js';
import { toChargeResponse, type ChargeResponse } from './dto/charge.responses.js';
import { ChargeEntity } from './entities/charge.entity.js';

/**
 * A manual charge entered by mistake is voided with a reason (domain.md §10: corrections are a void):
 * it stays listed, marked void, is never drafted onto an invoice and does not hold back a discharge.
 * Charges made by a dispensation or a consult belong to that record and are corrected through it.
 */
@Injectable()
export class ChargeCorrectionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admissions: AdmissionsRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async void(id: string, reason: string, context: SignedInContext): Promise<ChargeResponse> {
    return this.dataSource.transaction(async (manager) => {
      // The admission first, share-locked as when a charge is made: a draft (which locks it) either
      // took the charge before this void, which then sees it invoiced, or comes after and leaves it out.
      await this.admissions.share(manager, await admissionOf(manager, id));
      const charge = await manager.findOneOrFail(ChargeEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (charge.voidedAt) throw COMMON_ERRORS.ALREADY_VOID(`This charge was voided at ${charge.voidedAt.toISOString()}.`);
      if (charge.source === 'DISPENSATION') throw BILLING_ERRORS.CHARGED_BY_DISPENSATION('This charge was made by a dispensation; it is corrected through the dispensation, not voided here.');
      if (charge.source === 'CONSULT') throw BILLING_ERRORS.CHARGED_BY_PSYCH_CONSULT('This charge was made by a psychiatric consult; it is corrected through the consult (a psychiatrist voids the consult, and its charge with it), not voided here.');
      await assertNotInvoiced(manager, id, 'This charge', 'void the invoice first, then the charge (and invoice the period again).');
      Object.assign(charge, { voidedAt: this.clock.now(), voidedBy: context.actor.id, voidReason: reason });
      await manager.update(ChargeEntity, { id }, { voidedAt: charge.voidedAt, voidedBy: charge.voidedBy, voidReason: charge.voidReason });
      const detail = { voided: true, itemCode: charge.itemCode, amountMinor: charge.amountMinor };
      await this.audit.record(context, { action: 'VOID', resource: CHARGE_RESOURCE, resourceId: id, patientId: charge.patientId, detail }, manager);
      return toChargeResponse(charge, null);
    });
  }
}

async function admissionOf(manager: EntityManager, chargeId: string): Promise<string> {
  const charge = await manager.findOne(ChargeEntity, { where: { id: chargeId }, select: { id: true, admissionId: true } });
  if (!charge) throw new NotFound('Charge');
  return charge.admissionId;
}
