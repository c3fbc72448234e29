import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ClinicalWarning } from '../../clinical/clinical-error.js';
import {
  checkMmeInForce,
  checkOrderAgainstRegimen,
  intakeRegimenOf,
  type DatedDose,
  type IntakeRegimen,
  type OrderInForce,
  type Product,
  type TaperParams,
  type TaperRules,
} from '../../clinical/taper.js';
import { applyClinicalRules } from '../../common/errors/clinical-rules.js';
import type { AdmissionEntity } from '../admissions/index.js';
import { IntakeRepository, type IntakeInput } from '../intake/index.js';
import { TaperOrdersRepository, type ActiveVersion } from './taper-orders.repository.js';

/** What a taper order is checked against: the patient's intake and the orders already in force. */
export interface PatientRegimen {
  intakeOpioids: IntakeInput['opioids'];
  intake: IntakeRegimen;
  active: ActiveVersion[];
  stay: Pick<AdmissionEntity, 'admittedOn' | 'dischargedOn'>;
}

export interface OrderToCheck {
  params: TaperParams;
  steps: readonly DatedDose[];
  replaces: Product | null;
  rotationReason: string | null;
  crossTaper: boolean;
}

/**
 * The checks of domain.md §7 "orders against the patient's regimen", for a new order (at drafting
 * and again at signing, since the orders in force may have changed) and for an amendment (a pause
 * holds a dose longer). Refusals become 422s; the caller keeps the warnings on the order.
 */
@Injectable()
export class TaperRegimenChecks {
  constructor(
    private readonly intake: IntakeRepository,
    private readonly orders: TaperOrdersRepository,
  ) {}

  async regimenOf(manager: EntityManager, admission: AdmissionEntity): Promise<PatientRegimen> {
    const answers = await this.intake.answersOfAdmitted(manager, admission.enquiryId);
    const intake = applyClinicalRules(() => intakeRegimenOf(answers.opioids));
    const active = await this.orders.activeVersions(manager, admission.id);
    return { intakeOpioids: answers.opioids, intake, active, stay: admission };
  }

  checkNewOrder(regimen: PatientRegimen, order: OrderToCheck, rules: TaperRules): ClinicalWarning[] {
    return applyClinicalRules(() =>
      checkOrderAgainstRegimen(
        { order, intake: regimen.intake, ordersInForce: regimen.active.map(inForce), stay: regimen.stay },
        rules,
      ),
    );
  }

  /** The amended version of `orderId` in place of its current one, every day from `from`. */
  checkAmendment(regimen: PatientRegimen, orderId: string, steps: readonly DatedDose[], from: string, overrideReason: string | null, field: string): ClinicalWarning[] {
    const orders = regimen.active.map((v) => (v.orderId === orderId ? { ...inForce(v), steps } : inForce(v)));
    return applyClinicalRules(() => checkMmeInForce({ intake: regimen.intake, orders, from, stay: regimen.stay, overrideReason, field }));
  }
}

function inForce(version: ActiveVersion): OrderInForce {
  return { drug: version.drug, formulation: version.formulation, replaces: version.replaces, crossTaper: version.crossTaper, steps: version.steps, label: `the ${version.drug} ${version.formulation} order` };
}
