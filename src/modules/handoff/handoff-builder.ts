import { asNeededDailyMaximum } from '../../clinical/as-needed.js';
import type { CowsBand } from '../../clinical/cows.js';
import { describeClassification } from '../../clinical/dsm5.js';
import { painDoseTrend } from '../../clinical/pain-trend.js';
import { combinationParacetamol } from '../../clinical/paracetamol.js';
import { sameProduct, type Product } from '../../clinical/product.js';
import { intakeRegimenOf, mmeInForceOn, type IntakeRegimen, type OrderInForce } from '../../clinical/regimen-mme.js';
import { clinicName, clinicReach } from '../../common/clinic/clinic-contact.js';
import { calendarDate } from '../../common/clock.js';
import type { ClinicContact } from '../../config/app-config.js';
import type { AdmissionEntity } from '../admissions/index.js';
import { assessedOnOf, type AssessmentEntity } from '../intake/index.js';
import type { ObservationEntity } from '../observations/index.js';
import type { AsNeededOrderEntity, PainMedicationEntity, PainTherapyEntity } from '../pain-plan/index.js';
import { formatHn, type PatientEntity } from '../patients/index.js';
import type { TaperOrderEntity, TaperStepEntity } from '../taper-orders/index.js';
import type { TaperAdministration } from '../administrations/index.js';
import type { CheckInEntity, DischargeEntity, ShareConsentEntity } from '../aftercare/index.js';
import { lastOpioidDoseOf } from './handoff-record.js';
import { handoffRisks } from './handoff-risks.js';
import { mmeApplies, stoppedAtAdmissionText, type HandoffIntake, type HandoffIntakeOpioid, type HandoffNotCounted, type HandoffOverride, type HandoffPainPlan, type HandoffSummary, type HandoffTaper, type OrderStopped } from './handoff-summary.js';
import { dailyMmeSeries, ordersForMme, ordersStoppedBeforeFirstDose, regimenGiven, taperHistories } from './handoff-tapers.js';
import { daysInclusive } from '../../clinical/calendar-dates.js';

/** Everything the summary is built from, loaded in a fixed number of statements. */
export interface HandoffSources {
  generatedAt: Date;
  timeZone: string;
  clinic: ClinicContact;
  admission: AdmissionEntity & { dischargedOn: string };
  patient: PatientEntity;
  discharge: DischargeEntity;
  consent: ShareConsentEntity;
  assessment: AssessmentEntity;
  taperVersions: TaperOrderEntity[];
  taperSteps: TaperStepEntity[];
  /** The non-void entries under the taper orders, in the order given. */
  administrations: TaperAdministration[];
  observations: ObservationEntity[];
  medications: PainMedicationEntity[];
  asNeededOrders: Pick<AsNeededOrderEntity, 'drug' | 'dose' | 'unit' | 'route' | 'minIntervalHours' | 'maxDosesPerDay' | 'indication' | 'cowsThreshold' | 'createdAt' | 'discontinuedAt' | 'discontinueReason' | 'overrideReason' | 'overridden'>[];
  therapies: PainTherapyEntity[];
  checkIns: CheckInEntity[];
}

const NO_MME_TREND =
  'MME does not apply to buprenorphine (no conversion factor), so pain is not read against the dose in MME here; ' +
  'see the pain scores and the doses given in the detail.';

/** The handoff summary from the records (pure: the same sources give the same summary). */
export function buildHandoffSummary(sources: HandoffSources): HandoffSummary {
  const { admission, patient, discharge, timeZone } = sources;
  const tapers = taperHistories(sources.taperVersions, sources.taperSteps, sources.administrations, { admittedOn: admission.admittedOn, dischargedOn: admission.dischargedOn, timeZone });
  const orders = ordersForMme(sources.taperVersions, sources.taperSteps, tapers);
  // An intake product no order of the stay covered was stopped at admission: nothing is given in the clinic without an
  // order, so it adds nothing after the admission day (the order checks still count it while ordering: opioid-in-use.ts).
  const ordered = (product: Product): boolean => orders.some((o) => sameProduct(o, product) || (!!o.replaces && sameProduct(o.replaces, product)));
  const intakeRegimen = intakeRegimenOf(sources.assessment.input.opioids);
  const notOrdered = intakeRegimen.products.filter((p) => !ordered(p));
  const daily = dailyMmeSeries(intakeRegimen, orders, admission.admittedOn, admission.dischargedOn, notOrdered);
  const painScores = sources.observations.filter((o) => o.type === 'PAIN').map((o) => ({ recordedAt: o.recordedAt.toISOString(), score: o.score }));
  const scoredDays = painScores.map((p) => ({ date: calendarDate(new Date(p.recordedAt), timeZone), score: p.score }));
  // Scores entered for days outside the stay say nothing about the taper.
  const trend = painDoseTrend(daily, scoredDays.filter((p) => p.date >= admission.admittedOn && p.date <= admission.dischargedOn));
  const painPlan = painPlanOf(sources, timeZone);
  // An order stopped before its first dose gave nothing: its product reads as stopped at admission, with that order's stop and why.
  const unstarted = ordersStoppedBeforeFirstDose(sources.taperVersions, tapers);
  const stoppedOrder = (product: Product): OrderStopped | null => {
    const order = unstarted.filter((o) => sameProduct(o, product)).at(-1);
    return order === undefined ? null : { from: order.from, reason: order.reason };
  };
  const intake = intakeOf(sources.assessment, timeZone, { ordered, stoppedOrder }, admission.admittedOn);
  // Buprenorphine alone: its MME is not 0 but not known, so pain is not read against it.
  const painTrend = mmeApplies(intake, tapers) ? trend : { ...trend, finding: 'INSUFFICIENT_DATA' as const, rankCorrelation: null, text: NO_MME_TREND };
  const summary: Omit<HandoffSummary, 'risks'> = {
    generatedAt: sources.generatedAt.toISOString(),
    clinic: { ...sources.clinic, name: clinicName(sources.clinic), contact: clinicReach(sources.clinic) },
    recipient: { name: discharge.prescriberName, practice: discharge.prescriberPractice, phone: discharge.prescriberPhone, email: discharge.prescriberEmail },
    consent: { recordedOn: sources.consent.recordedOn },
    patient: { id: patient.id, hn: formatHn(patient.hn), givenName: patient.givenName, familyName: patient.familyName, dateOfBirth: patient.dateOfBirth, sex: patient.sex },
    stay: { admissionId: admission.id, admittedOn: admission.admittedOn, dischargedOn: admission.dischargedOn, days: daysInclusive(admission.admittedOn, admission.dischargedOn), pathway: admission.pathway, viaPartnerHospital: admission.viaPartnerHospital },
    lastOpioidDose: lastOpioidDoseOf(sources.administrations, tapers, timeZone),
    intake,
    tapers,
    mme: { atIntake: intake.totalDailyMme, atTaperStart: mmeAtFirstStart(tapers, regimenGiven(intakeRegimen, notOrdered), orders), atDischarge: daily.at(-1)?.mme ?? 0, daily, notCounted: notCountedOf(intake, tapers) },
    painPlan,
    cows: cowsCourse(sources.observations),
    painScores,
    painTrend,
    aftercare: { checkIns: sources.checkIns.map((c) => ({ dueOn: c.dueOn, status: c.status, notes: c.notes })) },
  };
  return { ...summary, risks: handoffRisks(summary, sources.assessment.input.medical) };
}

function intakeOf(assessment: AssessmentEntity, timeZone: string, { ordered, stoppedOrder }: { ordered: (product: Product) => boolean; stoppedOrder: (product: Product) => OrderStopped | null }, admittedOn: string): HandoffIntake {
  const { input } = assessment;
  return {
    assessedOn: assessedOnOf(assessment, timeZone),
    correctionReason: assessment.correctionReason,
    opioids: input.opioids.map((o, i) => {
      const opioid = intakeOpioidOf(o, assessment.mmeLines[i]);
      const order = ordered(o) ? undefined : stoppedOrder(o);
      const stopped = order === undefined ? null : { on: admittedOn, text: stoppedAtAdmissionText(opioid, admittedOn, order, JSON_DOSES), orderStoppedBeforeFirstDose: order };
      return { ...opioid, orderedDuringStay: stopped === null, stoppedAtAdmission: stopped };
    }),
    totalDailyMme: assessment.totalDailyMme,
    factorTable: assessment.factorTable,
    longActing: assessment.longActing,
    classification: assessment.classification,
    classificationText: describeClassification(assessment.dsm5Result),
    dsm5: { criteriaMet: assessment.dsm5Result.criteriaMet, criteriaCounted: assessment.dsm5Result.criteriaCounted, excluded: assessment.dsm5Result.excluded, severity: assessment.dsm5Result.severity },
    pain: { condition: input.pain.condition, score: input.pain.score },
    hyperalgesiaSuspected: assessment.hyperalgesiaSuspected,
  };
}

/** How the JSON's sentences write dates and amounts: as its fields do (2027-01-04), "20 mg/day", "12 mcg/h". */
const JSON_DOSES = { date: (iso: string) => iso, perDay: (amount: number, unit: string) => (unit.includes('/') ? `${amount} ${unit}` : `${amount} ${unit}/day`) };

/** Named fields only: as needed and the paracetamol of a combination product always said, never left to the stored input's shape. */
function intakeOpioidOf(o: AssessmentEntity['input']['opioids'][number], line: AssessmentEntity['mmeLines'][number] | undefined): Omit<HandoffIntakeOpioid, 'orderedDuringStay' | 'stoppedAtAdmission'> {
  const perUnit = o.paracetamolPerUnitMg ?? null;
  return {
    drug: o.drug,
    formulation: o.formulation,
    dose: o.dose,
    unit: o.unit,
    timesPerDay: o.timesPerDay,
    asNeeded: o.asNeeded ?? false,
    dailyDose: line?.dailyDose ?? o.dose * o.timesPerDay,
    dailyMme: line?.dailyMme ?? null,
    paracetamolPerUnitMg: perUnit,
    paracetamolDailyMg: perUnit === null ? null : (combinationParacetamol([o])[0]?.dailyMg ?? null),
    monthsOnTherapy: o.monthsOnTherapy,
    prescribed: o.prescribed,
  };
}

function painPlanOf({ medications, asNeededOrders, therapies }: Pick<HandoffSources, 'medications' | 'asNeededOrders' | 'therapies'>, timeZone: string): HandoffPainPlan {
  const day = (instant: Date) => calendarDate(instant, timeZone);
  return {
    active: medications
      .filter((m) => m.status === 'ACTIVE')
      .map((m) => ({ drug: m.drug, dose: m.dose, unit: m.unit, timesPerDay: m.timesPerDay, route: m.route, dailyDose: m.dailyDose, indication: m.indication, startedOn: day(m.createdAt), override: overrideOf(m) })),
    stopped: medications
      .filter((m) => m.status === 'DISCONTINUED')
      .map((m) => ({ drug: m.drug, dailyDose: m.dailyDose, unit: m.unit, startedOn: day(m.createdAt), stoppedOn: day(m.discontinuedAt!), reason: m.discontinueReason! })),
    asNeeded: asNeededOrders.map((o) => ({
      drug: o.drug,
      dose: o.dose,
      unit: o.unit,
      route: o.route,
      minIntervalHours: o.minIntervalHours,
      maxDosesPerDay: o.maxDosesPerDay,
      maxDailyDose: asNeededDailyMaximum(o),
      indication: o.indication,
      cowsThreshold: o.cowsThreshold,
      startedOn: day(o.createdAt),
      stoppedOn: o.discontinuedAt ? day(o.discontinuedAt) : null,
      stopReason: o.discontinueReason,
      override: overrideOf(o),
    })),
    therapies: therapies.map((t) => ({ type: t.type, frequency: t.frequency, notes: t.notes })),
  };
}

function overrideOf(order: Pick<PainMedicationEntity, 'overrideReason' | 'overridden'>): HandoffOverride | null {
  if (order.overrideReason === null || order.overridden.length === 0) return null;
  return { reason: order.overrideReason, overridden: order.overridden.map(({ code, message }) => ({ code, message })) };
}

function cowsCourse(observations: ObservationEntity[]): HandoffSummary['cows'] {
  const readings = observations.filter((o) => o.type === 'COWS').map((o) => ({ recordedAt: o.recordedAt.toISOString(), score: o.score, band: o.band as CowsBand }));
  const highest = readings.reduce<(typeof readings)[number] | null>((top, r) => (!top || r.score > top.score ? r : top), null);
  return { readings, highest, last: readings.at(-1) ?? null };
}

/**
 * The total ordered on the day the first taper started (a later order, a rotation, adds nothing
 * yet; an intake product never ordered adds nothing, even on the admission day); null without a taper.
 */
function mmeAtFirstStart(tapers: HandoffTaper[], given: IntakeRegimen, orders: OrderInForce[]): number | null {
  const first = tapers.map((t) => t.start.date).sort()[0];
  return first === undefined ? null : mmeInForceOn(first, given, orders).totalDailyMme;
}

/**
 * The opioids without an MME factor (buprenorphine), one per product: at intake (its lines summed)
 * and at discharge (its tapers' doses then; 0 when stopped, replaced or never ordered).
 */
function notCountedOf(intake: HandoffIntake, tapers: HandoffTaper[]): HandoffNotCounted[] {
  const products = [...intake.opioids.filter((o) => o.dailyMme === null), ...tapers.filter((t) => t.start.dailyMme === null)];
  const key = (p: { drug: string; formulation: string }): Product => ({ drug: p.drug, formulation: p.formulation as Product['formulation'] });
  const sum = (doses: number[]): number => doses.reduce((total, dose) => total + Math.round(dose * 1000), 0) / 1000;
  return products
    .filter((p, i) => products.findIndex((other) => sameProduct(key(other), key(p))) === i)
    .map((p) => {
      const taken = intake.opioids.filter((o) => sameProduct(key(o), key(p)));
      const atDischarge = sum(tapers.filter((t) => sameProduct(key(t), key(p))).map((t) => t.atDischarge.dailyDose));
      return { drug: p.drug, formulation: p.formulation, unit: p.unit, atIntake: taken.length === 0 ? null : sum(taken.map((o) => o.dailyDose)), atDischarge };
    });
}
