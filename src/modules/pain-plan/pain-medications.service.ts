import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { OverriddenRefusal } from '../../clinical/override-coverage.js';
import {
  appliedDailyLimit,
  checkMedicationOrder,
  needsOverride,
  type MedicationCheck,
  type MedicationOrderInput,
  type MedicationRefusal,
} from '../../clinical/pain-plan.js';
import { AuditService } from '../../common/audit/audit.service.js';
import type { SignedInContext } from '../../common/auth/request-context.js';
import { Clock } from '../../common/clock.js';
import { applyClinicalRules, CLINICAL_ERRORS } from '../../common/errors/clinical-rules.js';
import type { ErrorDetail } from '../../common/errors/domain-error.js';
import { AppConfig } from '../../config/app-config.js';
import { AdmissionsRepository } from '../admissions/index.js';
import { discontinueOrder } from './discontinue-order.js';
import type { DiscontinueMedicationRequest, OrderMedicationRequest } from './dto/pain-plan.requests.js';
import { toPainMedicationResponse, type PainMedicationResponse } from './dto/pain-plan.responses.js';
import { PainMedicationEntity } from './pain-medication.entity.js';
import { PainPatient } from './pain-patient.js';
import { PAIN_PLAN_ERRORS } from './pain-plan.errors.js';

const RESOURCE = 'pain_medication';

/** One refusal in a 422's `details`: the field it concerns, why, its code and whether a reason could override it. */
export interface RefusalDetail extends ErrorDetail {
  code: string;
  overridable: boolean;
}

/** Medication orders of the pain plan: ordering (with the checks of domain.md §9) and discontinuing. */
@Injectable()
export class PainMedicationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admissions: AdmissionsRepository,
    private readonly painPatient: PainPatient,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Checks and records an order. The admission row is locked first, so two orders for one patient
   * queue and the second sees the first (two NSAIDs at once cannot both pass the duplicate check).
   */
  async order(admissionId: string, request: OrderMedicationRequest, context: SignedInContext): Promise<PainMedicationResponse> {
    return this.dataSource.transaction(async (manager) => {
      const admission = await this.admissions.lockActive(manager, admissionId);
      const facts = await this.painPatient.of(manager, admission, 'SCHEDULED');
      const check = applyClinicalRules(() => checkMedicationOrder(toOrderInput(request), facts.patient, facts.activeDrugs, facts.context));
      if (facts.scheduledDrugs.includes(check.drug)) {
        throw PAIN_PLAN_ERRORS.DUPLICATE_MEDICATION(`An active ${check.drug} order already exists for this admission; discontinue it before ordering a new one.`);
      }
      const overrideReason = request.overrideReason ?? null;
      const overridden = overriddenRefusals(check, overrideReason);
      const medication = manager.create(PainMedicationEntity, {
        admissionId,
        patientId: admission.patientId,
        drug: check.drug,
        dose: request.dose,
        unit: request.unit,
        timesPerDay: request.timesPerDay,
        route: request.route,
        indication: request.indication || null,
        dailyDose: check.dailyDose,
        maxDailyDose: appliedDailyLimit(check),
        status: 'ACTIVE',
        warnings: check.warnings,
        overridden,
        overrideReason,
        orderedBy: context.actor.id,
        discontinuedAt: null,
        discontinuedBy: null,
        discontinueReason: null,
      });
      await manager.insert(PainMedicationEntity, medication);
      const detail = { drug: medication.drug, overridden: overridden.map((o) => o.code), warnings: check.warnings.map((w) => w.code) };
      await this.audit.record(context, { action: 'CREATE', resource: RESOURCE, resourceId: medication.id, patientId: medication.patientId, detail }, manager);
      return toPainMedicationResponse(medication);
    });
  }

  /** ACTIVE → DISCONTINUED, once (see discontinueOrder). */
  async discontinue(id: string, request: DiscontinueMedicationRequest, context: SignedInContext): Promise<PainMedicationResponse> {
    return this.dataSource.transaction(async (manager) => {
      const medication = await discontinueOrder(
        manager,
        this.admissions,
        PainMedicationEntity,
        id,
        { notFound: 'Pain medication', order: (m) => `This ${m.drug} order` },
        { at: this.clock.now(), by: context.actor.id, reason: request.reason },
      );
      await this.audit.record(
        context,
        { action: 'UPDATE', resource: RESOURCE, resourceId: id, patientId: medication.patientId, detail: { drug: medication.drug, status: 'DISCONTINUED' } },
        manager,
      );
      return toPainMedicationResponse(medication);
    });
  }
}

function toOrderInput(request: OrderMedicationRequest): MedicationOrderInput {
  return { drug: request.drug, dose: request.dose, unit: request.unit, timesPerDay: request.timesPerDay, route: request.route };
}

/**
 * The refusals an order is accepted despite, or the 422 that refuses it. A refusal that cannot be
 * overridden wins (its code is the answer); otherwise, without a reason, the first refusal's code.
 * `details` always list every refusal so the prescriber sees all of them at once. Each override
 * keeps its finding: the reason covers that finding or a milder one, never a worse one found later.
 */
export function overriddenRefusals(check: MedicationCheck, overrideReason: string | null): OverriddenRefusal[] {
  if (check.refusals.length === 0) return [];
  const refuse = (refusal: MedicationRefusal): never => {
    throw CLINICAL_ERRORS[refusal.code](refusal.message, check.refusals.map(toRefusalDetail));
  };
  if (!needsOverride(check)) refuse(check.refusals.find((r) => !r.overridable)!);
  if (!overrideReason) refuse(check.refusals[0]!);
  return check.refusals.map(({ code, message, finding }) => ({ code, message, finding: finding ?? {} }));
}

function toRefusalDetail(refusal: MedicationRefusal): RefusalDetail {
  return { field: refusal.field ?? 'drug', reason: refusal.message, code: refusal.code, overridable: refusal.overridable };
}
