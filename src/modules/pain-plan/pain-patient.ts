import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { asNeededDailyMaximum } from '../../clinical/as-needed.js';
import { opioidInUse, stoppedProducts, tapersOn } from '../../clinical/opioid-in-use.js';
import { riskFactorsOf, type PatientContext, type PatientRiskFactors } from '../../clinical/pain-plan.js';
import { combinationParacetamol, type ParacetamolSource } from '../../clinical/paracetamol.js';
import { Clock } from '../../common/clock.js';
import { AppConfig } from '../../config/app-config.js';
import type { AdmissionEntity } from '../admissions/index.js';
import { IntakeRepository } from '../intake/index.js';
import { TaperOrdersRepository } from '../taper-orders/index.js';
import { AsNeededOrderEntity } from './as-needed-order.entity.js';
import { PainMedicationEntity } from './pain-medication.entity.js';

/** The patient as a new pain-plan or as-needed order is checked against. */
export interface PainPatientFacts {
  patient: PatientRiskFactors;
  context: PatientContext;
  /** The drugs of the active scheduled and as-needed orders. */
  activeDrugs: string[];
  /** The drugs of the active scheduled orders alone (a second scheduled order of one is a duplicate). */
  scheduledDrugs: string[];
}

/**
 * What the checks need of the patient today: the intake's medical answers and kidney clearance,
 * whether an opioid is taken (an intake product not yet tapered to zero, per product), the other
 * active orders, and the paracetamol from every other source: combination opioids still taken,
 * and the paracetamol orders of the other kind (scheduled for an as-needed order, and back).
 */
@Injectable()
export class PainPatient {
  constructor(
    private readonly intake: IntakeRepository,
    private readonly taperOrders: TaperOrdersRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async of(manager: EntityManager, admission: AdmissionEntity, ordering: 'SCHEDULED' | 'AS_NEEDED'): Promise<PainPatientFacts> {
    const intake = await this.intake.answersOfAdmitted(manager, admission.enquiryId);
    const history = intake.medical;
    const tapers = tapersOn(await this.taperOrders.activeVersions(manager, admission.id), this.clock.today(this.config.clinicTimeZone));
    const scheduled = await manager.find(PainMedicationEntity, { where: { admissionId: admission.id, status: 'ACTIVE' } });
    const asNeeded = await manager.find(AsNeededOrderEntity, { where: { admissionId: admission.id, status: 'ACTIVE' } });
    const otherKind: ParacetamolSource[] =
      ordering === 'SCHEDULED'
        ? asNeeded.filter((o) => o.drug === 'paracetamol').map((o) => ({ source: 'paracetamol as needed (the most a day)', dailyMg: asNeededDailyMaximum(o) }))
        : scheduled.filter((m) => m.drug === 'paracetamol').map((m) => ({ source: 'paracetamol of the pain plan', dailyMg: m.dailyDose }));
    const context: PatientContext = {
      creatinineClearance: history.creatinineClearance ?? null,
      otherParacetamol: [...combinationParacetamol(intake.opioids, stoppedProducts(tapers)), ...otherKind],
    };
    const patient = riskFactorsOf(history, opioidInUse(intake.opioids, tapers));
    const scheduledDrugs = scheduled.map((m) => m.drug);
    return { patient, context, scheduledDrugs, activeDrugs: [...scheduledDrugs, ...asNeeded.map((o) => o.drug)] };
  }
}
