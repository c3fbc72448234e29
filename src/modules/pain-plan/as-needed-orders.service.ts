import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { checkAsNeededOrder } from '../../clinical/as-needed.js';
import type { ClinicalWarning } from '../../clinical/clinical-error.js';
import type { OverriddenRefusal } from '../../clinical/override-coverage.js';
import { canonicalDrugCode } from '../../clinical/mme.js';
import { checkMedicationOrder } from '../../clinical/pain-plan.js';
import { AuditService } from '../../common/audit/audit.service.js';
import type { SignedInContext } from '../../common/auth/request-context.js';
import { Clock } from '../../common/clock.js';
import { applyClinicalRules } from '../../common/errors/clinical-rules.js';
import { AdmissionsRepository } from '../admissions/index.js';
import { AsNeededOrderEntity } from './as-needed-order.entity.js';
import { discontinueOrder } from './discontinue-order.js';
import type { OrderAsNeededRequest } from './dto/as-needed.requests.js';
import { toAsNeededOrderResponse, type AsNeededOrderResponse } from './dto/as-needed.responses.js';
import type { DiscontinueMedicationRequest } from './dto/pain-plan.requests.js';
import { overriddenRefusals } from './pain-medications.service.js';
import { PAIN_PLAN_ERRORS } from './pain-plan.errors.js';
import { PainPatient, type PainPatientFacts } from './pain-patient.js';

const RESOURCE = 'as_needed_order';

/**
 * As-needed (PRN) orders (domain.md §8a): comfort medicines for withdrawal within their label
 * maximum, paracetamol and ibuprofen under the pain-plan rules at the most doses a day. One
 * active order per drug; ordering and discontinuing lock the admission like the pain plan does.
 */
@Injectable()
export class AsNeededOrdersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admissions: AdmissionsRepository,
    private readonly painPatient: PainPatient,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async order(admissionId: string, request: OrderAsNeededRequest, context: SignedInContext): Promise<AsNeededOrderResponse> {
    return this.dataSource.transaction(async (manager) => {
      const admission = await this.admissions.lockActive(manager, admissionId);
      const facts = await this.painPatient.of(manager, admission, 'AS_NEEDED');
      const drug = canonicalDrugCode(request.drug);
      const { warnings, overridden } = checked(request, facts);
      const active = await manager.existsBy(AsNeededOrderEntity, { admissionId, drug, status: 'ACTIVE' });
      if (active) throw PAIN_PLAN_ERRORS.DUPLICATE_MEDICATION(`An active as-needed ${drug} order already exists; discontinue it before ordering a new one.`);
      const order = manager.create(AsNeededOrderEntity, {
        admissionId,
        patientId: admission.patientId,
        drug,
        dose: request.dose,
        unit: request.unit,
        route: request.route,
        minIntervalHours: request.minIntervalHours,
        maxDosesPerDay: request.maxDosesPerDay,
        indication: request.indication,
        cowsThreshold: request.cowsThreshold ?? null,
        status: 'ACTIVE',
        warnings,
        overridden,
        overrideReason: request.overrideReason ?? null,
        orderedBy: context.actor.id,
        discontinuedAt: null,
        discontinuedBy: null,
        discontinueReason: null,
      });
      await manager.insert(AsNeededOrderEntity, order);
      const detail = { drug, overridden: overridden.map((o) => o.code), warnings: warnings.map((w) => w.code) };
      await this.audit.record(context, { action: 'CREATE', resource: RESOURCE, resourceId: order.id, patientId: order.patientId, detail }, manager);
      return toAsNeededOrderResponse(order);
    });
  }

  /** ACTIVE → DISCONTINUED, once (see discontinueOrder). */
  async discontinue(id: string, request: DiscontinueMedicationRequest, context: SignedInContext): Promise<AsNeededOrderResponse> {
    return this.dataSource.transaction(async (manager) => {
      const order = await discontinueOrder(
        manager,
        this.admissions,
        AsNeededOrderEntity,
        id,
        { notFound: 'As-needed order', order: (o) => `This as-needed ${o.drug} order` },
        { at: this.clock.now(), by: context.actor.id, reason: request.reason },
      );
      await this.audit.record(context, { action: 'UPDATE', resource: RESOURCE, resourceId: id, patientId: order.patientId, detail: { drug: order.drug, status: 'DISCONTINUED' } }, manager);
      return toAsNeededOrderResponse(order);
    });
  }
}

/** A comfort medicine by its own table; paracetamol and ibuprofen by the pain-plan rules, taken the most times a day. */
function checked(request: OrderAsNeededRequest, facts: PainPatientFacts): { warnings: ClinicalWarning[]; overridden: OverriddenRefusal[] } {
  const kind = applyClinicalRules(() => checkAsNeededOrder(request));
  if (kind === 'COMFORT') return { warnings: [], overridden: [] };
  const order = { drug: request.drug, dose: request.dose, unit: request.unit, timesPerDay: request.maxDosesPerDay, route: request.route };
  const check = applyClinicalRules(() => checkMedicationOrder(order, facts.patient, facts.activeDrugs, facts.context));
  return { warnings: check.warnings, overridden: overriddenRefusals(check, request.overrideReason ?? null) };
}
