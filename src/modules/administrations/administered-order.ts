import { ClinicalRuleError } from '../../clinical/clinical-error.js';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  checkAchievableDose,
  checkAsNeededDose,
  checkDrugDayTotal,
  checkPainPlanDose,
  checkPatchDose,
  checkSingleDose,
  checkTaperDose,
  checkUnit,
  checkWitness,
  DEFAULT_PRN_COWS_WINDOW_HOURS,
  orderInForceAt,
  patchWearHours,
} from '../../clinical/administration.js';
import { asNeededDailyMaximum, maxSingleDoseOf } from '../../clinical/as-needed.js';
import { drugDailyLimit, painDrugRule, patientDrugLimit, riskFactorsOf, RISK_FACTOR_WORDS, type OverriddenOrder, type PatientDrugLimit } from '../../clinical/pain-plan.js';
import { checkDoseWithinPatientLimit, patientLimitNotice } from '../../clinical/patient-limit-dose.js';
import { sameProduct, type Product } from '../../clinical/product.js';
import type { OverriddenRefusal } from '../../clinical/override-coverage.js';
import type { ParacetamolSource } from '../../clinical/paracetamol.js';
import { checkRollingDay, combinationProducts, combinationsTaken, paracetamolInTaperDoses, ROLLING_DAY_MS, type DrugTaken, type RollingDayLimit } from '../../clinical/rolling-day.js';
import { fromThousandths, thousandthsOrNull } from '../../clinical/taper-doses.js';
import { scheduledDoseOn } from '../../clinical/taper-day.js';
import type { SignedInContext } from '../../common/auth/request-context.js';
import { applyClinicalRules, CLINICAL_ERRORS } from '../../common/errors/clinical-rules.js';
import { NotFound } from '../../common/errors/common.errors.js';
import { IntakeRepository, type IntakeInput } from '../intake/index.js';
import { ObservationsRepository } from '../observations/index.js';
import { PainOrdersRepository } from '../pain-plan/index.js';
import { TaperOrdersRepository } from '../taper-orders/index.js';
import { StaffRepository } from '../users/index.js';
import type { OrderKind } from './administration.entity.js';
import { AdministrationsRepository } from './administrations.repository.js';
import type { RecordAdministrationRequest } from './dto/administration.requests.js';

const HOUR_MS = 3_600_000;

/** An entry as it will be recorded: which order (and taper version) it belongs to, and the drug. */
export interface AdministeredOrder {
  orderKind: OrderKind;
  orderId: string;
  versionId: string | null;
  drug: string;
  formulation: string | null;
  unit: string;
  opioid: boolean;
}

/** What the checks know of the entry beyond the request: the instant and its clinic day. */
interface Entry {
  admissionId: string;
  /** The admission's enquiry: its intake holds the risk factors and combination opioids. */
  enquiryId: string;
  request: RecordAdministrationRequest;
  givenAt: Date;
  givenOn: string;
}

/**
 * Checks one administration against its order and the patient's record (domain.md §8a): the
 * order is in force at that moment, the unit is the order's, the day's total stays within the
 * taper's scheduled dose (for a patch: the patches still on) or the pain-plan order, an as-needed dose keeps its interval, daily
 * maximum and COWS indication, and an opioid given names a second nurse as witness. The caller
 * holds the admission's lock, so the doses read here cannot change until the entry is written.
 * A drug's doses are also counted across its orders: an order discontinued and written again, or a
 * pain-plan and an as-needed order of one drug, never give more in a day than the orders in force allow.
 */
@Injectable()
export class AdministeredOrders {
  constructor(
    private readonly taperOrders: TaperOrdersRepository,
    private readonly painOrders: PainOrdersRepository,
    private readonly observations: ObservationsRepository,
    private readonly staff: StaffRepository,
    private readonly record: AdministrationsRepository,
    private readonly intake: IntakeRepository,
  ) {}

  async check(manager: EntityManager, entry: Entry, context: SignedInContext): Promise<AdministeredOrder> {
    const order = await this.checkAgainstOrder(manager, entry);
    const { request } = entry;
    const witnessIsNurse = request.witnessId ? await this.staff.isActiveWithRole(manager, request.witnessId, 'nurse') : false;
    applyClinicalRules(() =>
      checkWitness({ outcome: request.outcome, opioid: order.opioid, givenBy: context.actor.id, witnessId: request.witnessId ?? null, witnessIsNurse }),
    );
    return order;
  }

  private checkAgainstOrder(manager: EntityManager, entry: Entry): Promise<AdministeredOrder> {
    switch (entry.request.orderKind) {
      case 'TAPER':
        return this.taperDose(manager, entry);
      case 'PAIN_PLAN':
        return this.painPlanDose(manager, entry);
      case 'AS_NEEDED':
        return this.asNeededDose(manager, entry);
    }
  }

  private async taperDose(manager: EntityManager, dose: Entry): Promise<AdministeredOrder> {
    const { admissionId, request, givenAt, givenOn } = dose;
    const version = await this.taperOrders.activeVersionOf(manager, admissionId, request.orderId);
    if (!version) {
      if (!(await this.taperOrders.isOrderOf(manager, admissionId, request.orderId))) throw new NotFound('Taper order');
      throw notInForce('The taper order is a draft or a superseded version; record against the signed order in force.');
    }
    const entry = { ...request, date: givenOn };
    // A patch is worn for days: what counts is what is still on, not what was applied that day.
    const wearHours = patchWearHours(version);
    const worn = wearHours ? await this.record.givenNear(manager, version.orderId, givenAt, wearHours * HOUR_MS) : null;
    const given = worn ? [] : await this.record.dosesGivenOn(manager, version.orderId, givenOn);
    const paracetamol = await this.paracetamolInDose(manager, dose, version);
    applyClinicalRules(() => {
      checkUnit(request.unit, version);
      checkAchievableDose(request, version);
      const scheduled = scheduledDoseOn(version, givenOn)?.dailyDose ?? null;
      if (worn) checkPatchDose(entry, scheduled, worn, wearHours!);
      else checkTaperDose(entry, scheduled, given);
      if (paracetamol) {
        const carries = `${request.dose} ${version.unit} of ${version.drug} ${version.formulation} carries ${paracetamol.amount} mg of paracetamol: `;
        naming(carries, () => checkRollingDay({ outcome: request.outcome, dose: paracetamol.amount, givenAt }, paracetamol.limit, paracetamol.taken));
      }
    });
    return { orderKind: 'TAPER', orderId: version.orderId, versionId: version.id, drug: version.drug, formulation: version.formulation, unit: version.unit, opioid: true };
  }

  /**
   * A taper dose of a combination opioid given (hydrocodone 5 mg + paracetamol 325 mg) carries
   * paracetamol: it counts against the patient's paracetamol limit over any 24 hours with every
   * other source, as a paracetamol tablet does. Null for any other dose, and nothing more is read.
   */
  private async paracetamolInDose(manager: EntityManager, entry: Entry, product: { drug: string; formulation: string }): Promise<{ amount: number; limit: RollingDayLimit; taken: DrugTaken[] } | null> {
    if (entry.request.outcome !== 'GIVEN') return null;
    const intake = await this.intake.answersOfAdmitted(manager, entry.enquiryId);
    const [carried] = paracetamolInTaperDoses([{ givenAt: entry.givenAt, drug: product.drug, formulation: product.formulation, dose: entry.request.dose }], intake.opioids);
    if (!carried) return null;
    const rolling = await this.rollingDay(manager, { ...entry, request: { ...entry.request, unit: 'mg' } }, 'paracetamol', intake);
    return rolling ? { amount: carried.amount, ...rolling } : null;
  }

  private async painPlanDose(manager: EntityManager, entry: Entry): Promise<AdministeredOrder> {
    const { admissionId, request, givenAt, givenOn } = entry;
    const medication = await this.painOrders.medication(manager, admissionId, request.orderId);
    if (!medication) throw new NotFound('Pain-plan medication');
    if (!orderInForceAt(medication, givenAt)) throw notInForce(`The ${medication.drug} order was not in force at ${givenAt.toISOString()} (ordered ${medication.createdAt.toISOString()}${discontinued(medication.discontinuedAt)}).`);
    // One pain-plan order of a drug at a time, but one discontinued earlier that day still counts.
    const given = await this.record.drugDosesGivenOn(manager, admissionId, ['PAIN_PLAN'], medication.drug, givenOn);
    const drugDay = await this.drugDay(manager, admissionId, medication.drug, request.outcome, givenAt, givenOn);
    const { patient, rolling } = await this.patientLimits(manager, entry, { drug: medication.drug, dailyDose: medication.dailyDose, overridden: medication.overridden });
    const maxSingleDose = maxSingleDoseOf(medication.drug);
    applyClinicalRules(() => {
      checkUnit(request.unit, medication);
      checkPainPlanDose({ ...request, date: givenOn }, medication, given);
      checkSingleDose({ ...request, drug: medication.drug }, maxSingleDose);
      // Inside applyClinicalRules: a refusal of the rules becomes a 422.
      const limit = patient ? currentLimit(patient) : undefined;
      if (limit) checkDoseWithinPatientLimit({ ...request, date: givenOn }, limit, totalOf(drugDay.allowed), drugDay.given, rolling?.combinations);
      checkDrugDayTotal({ ...request, date: givenOn, drug: medication.drug }, drugDay.allowed, drugDay.given);
      if (rolling) reviewing(limit, totalOf(drugDay.allowed), rolling.combinations, () => checkRollingDay({ ...request, givenAt }, rolling.limit, rolling.taken));
    });
    return { orderKind: 'PAIN_PLAN', orderId: medication.id, versionId: null, drug: medication.drug, formulation: null, unit: medication.unit, opioid: false };
  }

  /**
   * A drug's day across its pain-plan and as-needed orders: what the orders in force at the dose
   * allow a day together, and what every order of it gave that day. Only a dose given counts, so
   * nothing is read for one held, refused or omitted.
   */
  private async drugDay(manager: EntityManager, admissionId: string, drug: string, outcome: string, givenAt: Date, givenOn: string): Promise<{ allowed: number[]; given: number[] }> {
    if (outcome !== 'GIVEN') return { allowed: [], given: [] };
    const orders = await this.painOrders.ordersOfDrug(manager, admissionId, drug);
    const allowed = [
      ...orders.medications.filter((m) => orderInForceAt(m, givenAt)).map((m) => m.dailyDose),
      ...orders.asNeeded.filter((o) => orderInForceAt(o, givenAt)).map(asNeededDailyMaximum),
    ];
    return { allowed, given: await this.record.drugDosesGivenOn(manager, admissionId, ['PAIN_PLAN', 'AS_NEEDED'], drug, givenOn) };
  }

  /**
   * A pain-plan drug given: the patient's limits by the latest intake (an intake corrected after
   * the order was written counts), less what an override reason on the order still covers; and, for a
   * drug held over any 24 hours, what every source gave around the dose. The intake is read once;
   * nothing is read for a dose not given or a comfort medicine.
   */
  private async patientLimits(
    manager: EntityManager,
    entry: Entry,
    order: { drug: string; dailyDose: number; overridden: readonly OverriddenRefusal[] },
  ): Promise<{ patient: CurrentPatient | null; rolling: RollingDay | null }> {
    if (entry.request.outcome !== 'GIVEN' || !painDrugRule(order.drug)) return { patient: null, rolling: null };
    const intake = await this.intake.answersOfAdmitted(manager, entry.enquiryId);
    const patient = { drug: order.drug, medical: intake.medical, order: { dailyDose: order.dailyDose, overridden: order.overridden } };
    return { patient, rolling: await this.rollingDay(manager, entry, order.drug, intake) };
  }

  /**
   * For a drug held to its limit over any 24 hours (paracetamol), a dose given: the patient's
   * limit as its orders are checked (the intake's risk factors), and what every source gave from
   * 24 hours before to 48 hours after the dose (pain-plan and as-needed doses, and the paracetamol
   * of combination opioids given under a taper). Null otherwise, and nothing is read.
   */
  private async rollingDay(manager: EntityManager, { enquiryId, admissionId, request, givenAt }: Entry, drug: string, read?: IntakeInput): Promise<RollingDay | null> {
    if (request.outcome !== 'GIVEN' || !painDrugRule(drug)?.rollingDay) return null;
    const intake = read ?? (await this.intake.answersOfAdmitted(manager, enquiryId));
    const applied = drugDailyLimit(drug, intake.medical)!;
    const combinations = drug === 'paracetamol' ? intake.opioids : [];
    const from = new Date(givenAt.getTime() - ROLLING_DAY_MS);
    const to = new Date(givenAt.getTime() + 2 * ROLLING_DAY_MS);
    const doses = await this.record.drugAndTaperDosesBetween(manager, admissionId, drug, from, to, combinationProducts(combinations).length > 0);
    const tapers = doses.filter((d) => d.orderKind === 'TAPER');
    const taken = [...doses.filter((d) => d.orderKind !== 'TAPER').map((d) => ({ givenAt: d.givenAt, amount: d.dose })), ...paracetamolInTaperDoses(tapers, combinations)];
    const carriers = combinationProducts(combinations);
    const carriedIn = tapers
      .filter((d) => carriers.some((c) => d.formulation !== null && sameProduct(c, { drug: d.drug, formulation: d.formulation as Product['formulation'] })))
      .map((d) => ({ givenAt: d.givenAt, source: `${d.drug} ${d.formulation} ${d.dose} ${request.unit}` }));
    const limit = { drug, unit: request.unit, maxDaily: applied.maxDaily, because: applied.because.map((f) => RISK_FACTOR_WORDS[f]) };
    return { limit, taken, carriedIn, combinations: combinationsTaken(combinations, tapers) };
  }

  private async asNeededDose(manager: EntityManager, entry: Entry): Promise<AdministeredOrder> {
    const { admissionId, request, givenAt, givenOn } = entry;
    const order = await this.painOrders.asNeededOrder(manager, admissionId, request.orderId);
    if (!order) throw new NotFound('As-needed order');
    if (!orderInForceAt(order, givenAt)) throw notInForce(`The as-needed ${order.drug} order was not in force at ${givenAt.toISOString()} (ordered ${order.createdAt.toISOString()}${discontinued(order.discontinuedAt)}).`);
    const drugDay = await this.drugDay(manager, admissionId, order.drug, request.outcome, givenAt, givenOn);
    const { patient, rolling } = await this.patientLimits(manager, entry, { drug: order.drug, dailyDose: asNeededDailyMaximum(order), overridden: order.overridden });
    // The interval runs from the drug's last dose under any order (scheduled paracetamol counts as
    // much as an as-needed one), and from a combination opioid's dose that carried it; the doses a
    // day run on from an earlier as-needed order of it.
    const history = {
      givenAt: await this.record.drugGivenNear(manager, admissionId, ['PAIN_PLAN', 'AS_NEEDED'], order.drug, givenAt, order.minIntervalHours * HOUR_MS),
      carriedIn: rolling?.carriedIn ?? [],
      givenThatDay: (await this.record.drugDosesGivenOn(manager, admissionId, ['AS_NEEDED'], order.drug, givenOn)).length,
      cowsScores: order.cowsThreshold === null ? [] : await this.observations.cowsScoresBetween(manager, admissionId, new Date(givenAt.getTime() - DEFAULT_PRN_COWS_WINDOW_HOURS * HOUR_MS), givenAt),
    };
    const maxSingleDose = maxSingleDoseOf(order.drug);
    applyClinicalRules(() => {
      checkUnit(request.unit, order);
      checkAsNeededDose({ ...request, givenAt }, order, history);
      checkSingleDose({ ...request, drug: order.drug }, maxSingleDose);
      // Inside applyClinicalRules: a refusal of the rules becomes a 422.
      const limit = patient ? currentLimit(patient) : undefined;
      if (limit) checkDoseWithinPatientLimit({ ...request, date: givenOn }, limit, totalOf(drugDay.allowed), drugDay.given, rolling?.combinations);
      checkDrugDayTotal({ ...request, date: givenOn, drug: order.drug }, drugDay.allowed, drugDay.given);
      if (rolling) reviewing(limit, totalOf(drugDay.allowed), rolling.combinations, () => checkRollingDay({ ...request, givenAt }, rolling.limit, rolling.taken));
    });
    return { orderKind: 'AS_NEEDED', orderId: order.id, versionId: null, drug: order.drug, formulation: null, unit: order.unit, opioid: false };
  }
}

/** A drug held over any 24 hours: its limit, every dose around the one given, and the taper doses that carried it. */
interface RollingDay {
  limit: RollingDayLimit;
  taken: DrugTaken[];
  carriedIn: { givenAt: Date; source: string }[];
  /** The combination opioids given around the dose, at the paracetamol a day their orders count. */
  combinations: ParacetamolSource[];
}

/** The drug's order and the patient's latest intake, for the limits a dose given is held to. */
interface CurrentPatient {
  drug: string;
  medical: IntakeInput['medical'];
  order: OverriddenOrder;
}

function currentLimit({ drug, medical, order }: CurrentPatient): PatientDrugLimit | undefined {
  return patientDrugLimit(drug, riskFactorsOf(medical), { creatinineClearance: medical.creatinineClearance ?? null }, order);
}

/** What the drug's orders in force allow a day together, exact to the thousandth. */
function totalOf(allowed: readonly number[]): number {
  return fromThousandths(allowed.reduce((total, daily) => total + (thousandthsOrNull(daily) ?? 0), 0));
}

function notInForce(message: string): Error {
  return CLINICAL_ERRORS.ORDER_NOT_IN_FORCE(message, [{ field: 'orderId', reason: message }]);
}

function discontinued(at: Date | null): string {
  return at ? `, discontinued ${at.toISOString()}` : '';
}

/** A refusal over any 24 hours, told with why the order needs review when the patient's limit is now below it. */
function reviewing(limit: PatientDrugLimit | undefined, orderedDaily: number, otherSources: readonly ParacetamolSource[], check: () => void): void {
  const notice = limit ? patientLimitNotice(limit, orderedDaily, otherSources) : null;
  if (!notice) return check();
  try {
    check();
  } catch (error) {
    if (error instanceof ClinicalRuleError) throw new ClinicalRuleError(error.code, `${error.message} ${notice.reason}`, error.field);
    throw error;
  }
}

/** A refusal of the paracetamol a combination dose carries, told as that dose's. */
function naming(prefix: string, check: () => void): void {
  try {
    check();
  } catch (error) {
    if (error instanceof ClinicalRuleError) throw new ClinicalRuleError(error.code, prefix + error.message, error.field);
    throw error;
  }
}
