import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ClinicalWarning } from '../../clinical/clinical-error.js';
import { overrideCovers, overrideNotCovering } from '../../clinical/override-coverage.js';
import { checkMedicationOrder } from '../../clinical/pain-plan.js';
import type { AdmissionEntity } from '../admissions/index.js';
import { PainMedicationEntity } from './pain-medication.entity.js';
import { PainPatient } from './pain-patient.js';

/**
 * The active pain-plan orders checked again against the patient as the record now stands (a
 * kidney function or liver impairment entered by an intake correction): each limit an order is
 * now past is named for the psychiatrist to review, unless the order's override reason covers it
 * (overrideCovers: the finding it was given for, or a milder one; a lower kidney row or a further
 * risk factor is named). The orders stay as they are; duplicates were settled when they were ordered.
 */
@Injectable()
export class PainPlanReview {
  constructor(private readonly painPatient: PainPatient) {}

  async ordersOutsideLimits(manager: EntityManager, admission: AdmissionEntity): Promise<ClinicalWarning[]> {
    const facts = await this.painPatient.of(manager, admission, 'SCHEDULED');
    const medications = await manager.find(PainMedicationEntity, { where: { admissionId: admission.id, status: 'ACTIVE' }, order: { createdAt: 'ASC' } });
    return medications.flatMap((m) => {
      const others = facts.activeDrugs.filter((drug) => drug !== m.drug);
      const check = checkMedicationOrder({ drug: m.drug, dose: m.dose, unit: m.unit, timesPerDay: m.timesPerDay, route: m.route }, facts.patient, others, facts.context);
      return check.refusals
        .filter((r) => !r.code.startsWith('DUPLICATE') && !overrideCovers(m.overridden, { code: r.code, finding: r.finding ?? {}, message: r.message }))
        .map((r) => ({ code: 'PAIN_ORDER_OUTSIDE_LIMITS', message: `The ${m.drug} order (${m.dailyDose} ${m.unit}/day): ${r.message}${overrideNotCovering(m.overridden, r.code, m.unit)}` }));
    });
  }
}
