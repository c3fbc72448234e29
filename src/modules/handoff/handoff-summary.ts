import type { TaperAdministrationHistory } from '../../clinical/administration-history.js';
import type { AsNeededOrderInput } from '../../clinical/as-needed.js';
import type { ClinicalWarning } from '../../clinical/clinical-error.js';
import type { CowsBand } from '../../clinical/cows.js';
import type { DependenceClassification, Dsm5Severity } from '../../clinical/dsm5.js';
import type { OpioidFormulation } from '../../clinical/mme.js';
import type { PainDoseTrend } from '../../clinical/pain-trend.js';
import { type Product, sameProduct } from '../../clinical/product.js';
import type { ClinicContact } from '../../config/app-config.js';
import { patchWearHours } from '../../clinical/administration.js';
import { countOf } from '../../common/pdf/display-format.js';

/**
 * The handoff summary for the prescriber who sees the patient after discharge (domain.md §11).
 * Built only from the records, never typed by hand; the JSON, PDF and FHIR forms all render this.
 * Dates are YYYY-MM-DD, instants ISO-8601 UTC, doses in the order's unit per day.
 */
export interface HandoffSummary {
  generatedAt: string;
  /** As configured, the name as printed, and `contact`: how to reach it, or "clinic contact not configured" (domain.md §11). */
  clinic: ClinicContact & { contact: string };
  recipient: { name: string; practice: string | null; phone: string | null; email: string | null };
  consent: { recordedOn: string };
  /** `hn`: the hospital number as printed (HN-000123). */
  patient: { id: string; hn: string; givenName: string; familyName: string; dateOfBirth: string; sex: string };
  stay: { admissionId: string; admittedOn: string; dischargedOn: string; days: number; pathway: string; viaPartnerHospital: boolean };
  /** The last opioid dose given during the stay (the administration record), or null: what the next prescriber needs above all. */
  lastOpioidDose: HandoffLastDose | null;
  intake: HandoffIntake;
  tapers: HandoffTaper[];
  /**
   * Total daily MME over the stay, for the chart and the headline: every order in force, and an intake opioid at its
   * intake dose until an order covers it. An intake opioid never ordered (`stoppedAtAdmission`) counts on the admission
   * day only, the day the patient arrived on it (unless it is also the day of discharge), and nothing after: nothing is
   * given in the clinic without an order. `atDischarge` is the last day's total.
   */
  mme: { atIntake: number; atTaperStart: number | null; atDischarge: number; daily: { date: string; mme: number }[]; notCounted: HandoffNotCounted[] };
  painPlan: HandoffPainPlan;
  cows: { readings: { recordedAt: string; score: number; band: CowsBand }[]; highest: { recordedAt: string; score: number; band: CowsBand } | null; last: { recordedAt: string; score: number; band: CowsBand } | null };
  painScores: { recordedAt: string; score: number }[];
  painTrend: PainDoseTrend;
  /** Plain-words risks for the next prescriber; the first ones are always present. */
  risks: ClinicalWarning[];
  aftercare: { checkIns: { dueOn: string; status: string; notes: string | null }[] };
}

/**
 * An opioid of the stay without an MME factor (buprenorphine), which every MME figure leaves out: its
 * daily dose at intake (null when it was not taken at intake: a rotation to it) and at discharge (0:
 * not taken then). A figure of 0 MME at discharge does not mean opioid-free while one is above 0.
 */
export interface HandoffNotCounted {
  drug: string;
  formulation: string;
  unit: string;
  atIntake: number | null;
  atDischarge: number;
}

/**
 * "buprenorphine IR 6 mg/day at intake, 4 mg/day at discharge": each form names the product and
 * writes the amounts its own way; "started during the stay" where it was not taken at intake.
 */
export function notCountedCourse(o: HandoffNotCounted, name: string, perDay: (amount: number, unit: string) => string): string {
  const from = o.atIntake === null ? 'started during the stay' : `${perDay(o.atIntake, o.unit)} at intake`;
  return `${name} ${from}, ${perDay(o.atDischarge, o.unit)} at discharge`;
}

/** One dose from the administration record: the drug and formulation, the dose in the order's unit, the instant it was given. */
export interface HandoffOpioidDose extends HandoffDoseGiven {
  drug: string;
  formulation: string | null;
  unit: string;
  /** A patch: the next one due when this one comes off, at the dose the schedule gives that day (0: no new patch, the taper stops); null for a dose by mouth. */
  nextPatch: { dueAt: string; dose: number } | null;
}

/**
 * The last opioid dose given, and every other opioid given at that same instant (`alsoGivenThen`,
 * empty when it was the only one): two products taken together are both the last dose. Each is
 * the total of its order's entries at that instant.
 */
export interface HandoffLastDose extends HandoffOpioidDose {
  alsoGivenThen: HandoffOpioidDose[];
}

/** A dose given (a patch applied): how much, when, and for a patch when it comes off (`patchWearHours` later; null for a dose by mouth). */
export interface HandoffDoseGiven {
  dose: number;
  givenAt: string;
  onUntil: string | null;
}

export interface HandoffIntake {
  assessedOn: string;
  /** The intake was corrected during the stay (an opioid missed, a kidney function measured): why; null otherwise. */
  correctionReason: string | null;
  opioids: HandoffIntakeOpioid[];
  totalDailyMme: number;
  factorTable: string;
  longActing: boolean;
  classification: DependenceClassification;
  /** The careful wording of domain.md §4 (dependence is not addiction). */
  classificationText: string;
  dsm5: { criteriaMet: number; criteriaCounted: number; excluded: string[]; severity: Dsm5Severity };
  pain: { condition: string; score: number };
  hyperalgesiaSuspected: boolean;
}

/** An opioid as taken at intake; `dailyDose` and `dailyMme` count the most a day when it was taken as needed (domain.md §3). */
export interface HandoffIntakeOpioid {
  drug: string;
  formulation: string;
  dose: number;
  unit: string;
  /** Scheduled: times a day; as needed: the most times a day. */
  timesPerDay: number;
  asNeeded: boolean;
  dailyDose: number;
  dailyMme: number | null;
  /** A combination product: the paracetamol in each unit (one unit a dose), and so in a day (at most, as needed); null otherwise. */
  paracetamolPerUnitMg: number | null;
  paracetamolDailyMg: number | null;
  monthsOnTherapy: number;
  prescribed: boolean;
  /**
   * An order of the stay covered it (its taper, or a rotation replacing it, from a first dose on); false: none was given by
   * the clinic, as it was never ordered or its only order was stopped before its first dose (see stoppedAtAdmission).
   */
  orderedDuringStay: boolean;
  /**
   * No order of the stay covered it: stopped at admission (`on`, the admission day), and `text`, in plain words, that none
   * was given by the clinic since, that tolerance to it is lost and not to restart it at the intake dose; null when ordered.
   * `orderStoppedBeforeFirstDose`: a taper order of it was written but stopped before its first dose (from when, and why);
   * null when it was never ordered at all.
   */
  stoppedAtAdmission: { on: string; text: string; orderStoppedBeforeFirstDose: OrderStopped | null } | null;
}

/** A taper order stopped before its first dose: the first day without it (its stop) and the discontinue reason. */
export interface OrderStopped {
  from: string;
  reason: string;
}

export interface HandoffTaperStep {
  step: number;
  startsOn: string;
  dailyDose: number;
  /** null where MME does not apply (buprenorphine). */
  dailyMme: number | null;
}

/**
 * A taper followed: the order's plan (steps scheduled during the stay, remaining) and, from the administration record
 * (TaperAdministrationHistory), the doses actually given, the days held or refused, and adherence.
 */
export interface HandoffTaper extends TaperAdministrationHistory {
  orderId: string;
  drug: string;
  formulation: string;
  unit: string;
  start: { date: string; dailyDose: number; dailyMme: number | null };
  /** The dose in force at discharge: the last step reached (a step due on the discharge day the patient left before is among `remainingSteps`). */
  atDischarge: { since: string; dailyDose: number; dailyMme: number | null };
  /** True when the schedule reached its target dose by discharge; false for an order stopped before its plan ended. */
  completed: boolean;
  /** The order was stopped (a discontinue, or replaced by a rotation): from when and why; null while it follows its plan. */
  discontinued: { from: string; reason: string } | null;
  targetDailyDose: number;
  basis: string;
  reductionPercent: number;
  intervalDays: number;
  versions: { version: number; signedOn: string | null; effectiveFrom: string | null; reason: string | null; reductionPercent: number; intervalDays: number }[];
  pauses: { from: string; days: number; reason: string }[];
  /** An opioid rotation: the intake product this order replaced, and why. */
  rotation: { replaces: { drug: string; formulation: string }; reason: string } | null;
  /** Reasons on record for what the rules refuse without one (a faster rate, a large cut, a stop), and the warnings they let through. */
  overrideReason: string | null;
  lifeThreateningReason: string | null;
  warnings: ClinicalWarning[];
  /** The steps reached during the stay (stepsReachedBy); what was given is `dosesGiven`. */
  stepsTaken: HandoffTaperStep[];
  /** Steps still due, for the prescriber who continues the taper: those after discharge, and one due on the discharge day the patient left before. */
  remainingSteps: HandoffTaperStep[];
  /** The last dose of this taper given (patch applied), or null: with two products, the time of each. */
  lastGiven: HandoffDoseGiven | null;
}

/** A pain-plan or as-needed order let through past refusals by a recorded reason (a dose above the kidney limit, a contraindication). */
export interface HandoffOverride {
  reason: string;
  /** The refusals the reason let through, each in words (the clearance or finding it rests on included). */
  overridden: { code: string; message: string }[];
}

export interface HandoffPainPlan {
  active: { drug: string; dose: number; unit: string; timesPerDay: number; route: string; dailyDose: number; indication: string | null; startedOn: string; override: HandoffOverride | null }[];
  stopped: { drug: string; dailyDose: number; unit: string; startedOn: string; stoppedOn: string; reason: string }[];
  /** As-needed orders of the stay (withdrawal comfort medicines, paracetamol or ibuprofen as needed), in order written; `stoppedOn` null while in force. */
  asNeeded: HandoffAsNeeded[];
  therapies: { type: string; frequency: string; notes: string | null }[];
}

export interface HandoffAsNeeded extends Pick<AsNeededOrderInput, 'drug' | 'dose' | 'unit' | 'route' | 'minIntervalHours' | 'maxDosesPerDay'> {
  maxDailyDose: number;
  indication: string;
  /** Given only at a COWS score of at least this, or null. */
  cowsThreshold: number | null;
  startedOn: string;
  stoppedOn: string | null;
  stopReason: string | null;
  override: HandoffOverride | null;
}

/** "ordered despite the kidney limit … (RENAL_DOSE_EXCEEDED). Reason on record: …", for the printed and FHIR forms alike. */
export function overrideText(override: HandoffOverride): string {
  const refusals = override.overridden.map((o) => `${o.message.replace(/\.$/, '')} (${o.code})`).join('; ');
  return `Ordered despite: ${refusals}. Reason on record: ${override.reason}`;
}

/**
 * How an as-needed order reads, in the PDF and the FHIR text alike: "0.1 mg oral as needed, at
 * least 6 h apart, at most 3 a day (0.3 mg/day), only at a COWS of 8 or more". Each form writes
 * its numbers and daily amounts its own way.
 */
export function asNeededInstruction(o: HandoffAsNeeded, write: { number: (value: number) => string; perDay: (amount: number, unit: string) => string }): string {
  const cows = o.cowsThreshold === null ? '' : `, only at a COWS of ${o.cowsThreshold} or more`;
  return `${write.number(o.dose)} ${o.unit} ${o.route.toLowerCase()} as needed, at least ${write.number(o.minIntervalHours)} h apart, at most ${o.maxDosesPerDay} a day (${write.perDay(o.maxDailyDose, o.unit)})${cows}`;
}

/** How each form writes numbers, daily amounts, MME and a schedule ("x 2/day", "twice a day"). */
export interface DoseWriter {
  number: (value: number) => string;
  perDay: (amount: number, unit: string) => string;
  mme: (value: number | null) => string;
  timesPerDay: (times: number) => string;
}

/**
 * How an intake opioid was taken, in the PDF and the FHIR text alike. Scheduled: "20 mg x 2/day
 * (40 mg/day, 60 MME)"; as needed, the most a day and never a schedule: "5 mg as needed, up to 4
 * a day (at most 20 mg/day, 20 MME)"; a patch as a patch: "12 mcg/h patch, changed every 3 days
 * (28.8 MME)". A combination product adds its paracetamol (combinationText).
 */
export function intakeInstruction(o: HandoffIntakeOpioid, write: DoseWriter): string {
  const dose = `${write.number(o.dose)} ${o.unit}`;
  const daily = `${write.perDay(o.dailyDose, o.unit)}, ${write.mme(o.dailyMme)}`;
  const patch = patchChange(o);
  // A patch is a strength worn for days, not a dose a day: "12 mcg/h patch, changed every 3 days (28.8 MME)".
  if (patch !== null && !o.asNeeded) return `${dose} patch, ${patch} (${write.mme(o.dailyMme)})`;
  const taken = o.asNeeded ? `${dose} as needed, up to ${o.timesPerDay} a day (at most ${daily})` : `${dose} ${write.timesPerDay(o.timesPerDay)} (${daily})`;
  const combination = combinationText(o, write);
  return combination === '' ? taken : `${taken}, ${combination}`;
}

/**
 * The paracetamol of a combination product, which counts toward the patient's daily paracetamol
 * limit (domain.md §3, §9): "with paracetamol 325 mg in each unit (at most 1,300 mg/day of
 * paracetamol)"; empty for a product without.
 */
export function combinationText(o: Pick<HandoffIntakeOpioid, 'asNeeded' | 'paracetamolPerUnitMg' | 'paracetamolDailyMg'>, write: Pick<DoseWriter, 'number' | 'perDay'>): string {
  if (o.paracetamolPerUnitMg === null || o.paracetamolDailyMg === null) return '';
  const daily = `${o.asNeeded ? 'at most ' : ''}${write.perDay(o.paracetamolDailyMg, 'mg')} of paracetamol`;
  return `with paracetamol ${write.number(o.paracetamolPerUnitMg)} mg in each unit (${daily})`;
}

/**
 * A taper of a combination product still carries its paracetamol: "a combination product with
 * paracetamol 325 mg in each unit", from the intake opioid of the same product; empty otherwise.
 */
export function taperCombinationText(intake: HandoffIntake, taper: Pick<HandoffTaper, 'drug' | 'formulation'>, write: Pick<DoseWriter, 'number'>): string {
  const product = (p: { drug: string; formulation: string }): Product => ({ drug: p.drug, formulation: p.formulation as OpioidFormulation });
  const combination = intake.opioids.find((o) => o.paracetamolPerUnitMg !== null && sameProduct(product(o), product(taper)));
  return combination?.paracetamolPerUnitMg == null ? '' : `a combination product with paracetamol ${write.number(combination.paracetamolPerUnitMg)} mg in each unit`;
}

/**
 * How often a patch of this product is changed, from how long the taper side wears one
 * (patchWearHours: fentanyl 72 h, buprenorphine 168 h): "changed every 3 days"; null when it is
 * not a patch.
 */
export function patchChange(product: { drug: string; formulation: string }): string | null {
  const hours = patchWearHours(product);
  if (hours === null) return null;
  return hours % 24 === 0 ? `changed every ${countOf(hours / 24, 'day')}` : `changed every ${hours} hours`;
}

/**
 * An intake opioid no order of the stay covered (domain.md §11: tolerance is now lower): "Stopped
 * at admission: not ordered during the stay, so none was given by the clinic since 2027-01-04.
 * Tolerance to it is lost: …". With `subject` ("Oxycodone IR") it reads "Oxycodone IR was stopped
 * at admission: …". An order stopped before its first dose is said, with its stop and why. Each
 * form writes the date its own way.
 */
export function stoppedAtAdmissionText(
  o: Pick<HandoffIntakeOpioid, 'dailyDose' | 'unit'>,
  admittedOn: string,
  order: OrderStopped | null,
  write: { date: (iso: string) => string; perDay: (amount: number, unit: string) => string },
  subject?: string,
): string {
  const stopped = subject === undefined ? 'Stopped at admission' : `${subject} was stopped at admission`;
  return (
    `${stopped}: ${notGivenBecause(order, write)}, so none was given by the clinic since ${write.date(admittedOn)}. ` +
    `Tolerance to it is lost: do not restart it at the intake dose (${write.perDay(o.dailyDose, o.unit)}); ` +
    'if it is needed again, start low, as for a patient who has not taken opioids, and increase slowly.'
  );
}

/**
 * Why the clinic gave none of an intake opioid: "not ordered during the stay", or "its taper order
 * was stopped before its first dose (from 2027-01-08: Oversedation)"; without `write`, the short
 * form ("its taper order was stopped before its first dose").
 */
export function notGivenBecause(order: OrderStopped | null, write?: { date: (iso: string) => string }): string {
  if (order === null) return 'not ordered during the stay';
  const why = write === undefined ? '' : ` (from ${write.date(order.from)}: ${order.reason.replace(/\.$/, '')})`;
  return `its taper order was stopped before its first dose${why}`;
}

/** The intake's pain condition in words, for the printed and FHIR forms (the JSON keeps the code). */
const PAIN_CONDITION_WORDS: Record<string, string> = {
  POST_SURGICAL: 'Pain after surgery',
  CANCER: 'Cancer pain',
  MOTOR_VEHICLE_ACCIDENT: 'Pain after a motor vehicle accident',
  FIBROMYALGIA: 'Fibromyalgia',
  CHRONIC_BACK: 'Chronic back pain',
  OTHER: 'Other pain condition',
};

export function painConditionText(condition: string): string {
  return PAIN_CONDITION_WORDS[condition] ?? condition;
}

/** Whether any opioid of the stay has an MME factor: for buprenorphine alone MME does not apply, and is never shown as 0. */
export function mmeApplies(intake: Pick<HandoffIntake, 'opioids'>, tapers: readonly Pick<HandoffTaper, 'start'>[]): boolean {
  return intake.opioids.some((o) => o.dailyMme !== null) || tapers.some((t) => t.start.dailyMme !== null) || (intake.opioids.length === 0 && tapers.length === 0);
}
