/**
 * One entry of the medication administration record (domain.md §8a), checked against its order
 * and the doses already recorded. Only `GIVEN` entries count toward a limit; a held, refused or
 * omitted dose records that the dose was not taken. Quantities are compared in integer
 * thousandths, exactly. Throws ClinicalRuleError (a 422) for a refusal.
 */
import { ClinicalRuleError } from './clinical-error.js';
import { fromThousandths, quantumThousandths, thousandthsOrNull } from './taper-doses.js';

export const ADMINISTRATION_OUTCOMES = ['GIVEN', 'HELD', 'REFUSED', 'OMITTED'] as const;
export type AdministrationOutcome = (typeof ADMINISTRATION_OUTCOMES)[number];

/** How recent a COWS score must be to indicate an as-needed dose (domain.md §8a default). */
export const DEFAULT_PRN_COWS_WINDOW_HOURS = 2;

const HOUR_MS = 3_600_000;

function thousandths(value: number, field: string): number {
  const t = thousandthsOrNull(value);
  if (t === null || t <= 0) throw new ClinicalRuleError('INVALID_DOSE', 'A dose is more than 0, with at most 3 decimals.', field);
  return t;
}

const sum = (doses: readonly number[]): number => doses.reduce((total, dose) => total + thousandths(dose, 'dose'), 0);

/**
 * A controlled drug given needs a second nurse as witness, who is not the nurse giving it. A
 * witness named on any other entry is checked alike: a wrong name on the record is an error too.
 */
export function checkWitness(entry: { outcome: AdministrationOutcome; opioid: boolean; givenBy: string; witnessId: string | null; witnessIsNurse: boolean }): void {
  if (!entry.witnessId) {
    if (entry.opioid && entry.outcome === 'GIVEN') throw new ClinicalRuleError('WITNESS_REQUIRED', 'An opioid given is witnessed by a second nurse: name the witness.', 'witnessId');
    return;
  }
  if (entry.witnessId === entry.givenBy) throw new ClinicalRuleError('WITNESS_REQUIRED', 'The witness is a second nurse, not the nurse giving the dose.', 'witnessId');
  if (!entry.witnessIsNurse) throw new ClinicalRuleError('WITNESS_REQUIRED', 'The witness must be an active member of the nursing staff.', 'witnessId');
}

/**
 * A taper dose: the order gives a dose that day (`scheduledDailyDose`, null when it is not in
 * force: not started, stopped before that day), and the doses given that day may not add up to
 * more than it.
 */
export function checkTaperDose(entry: { outcome: AdministrationOutcome; dose: number; date: string; unit: string }, scheduledDailyDose: number | null, givenThatDay: readonly number[]): void {
  if (scheduledDailyDose === null) throw new ClinicalRuleError('ORDER_NOT_IN_FORCE', `The taper gives no dose on ${entry.date}.`, 'orderId');
  const dose = thousandths(entry.dose, 'dose');
  const scheduled = thousandthsOrNull(scheduledDailyDose) ?? 0;
  // A dose held, refused or omitted is a dose the schedule gave: never more than the day's.
  if (entry.outcome !== 'GIVEN') {
    if (dose > scheduled) throw new ClinicalRuleError('ABOVE_SCHEDULED_DOSE', `${entry.date}: ${scheduledDailyDose} ${entry.unit} is scheduled; a dose of ${entry.dose} ${entry.unit} was never due.`, 'dose');
    return;
  }
  const given = sum(givenThatDay);
  if (given + dose > scheduled) {
    const left = fromThousandths(Math.max(0, scheduled - given));
    throw new ClinicalRuleError(
      'ABOVE_SCHEDULED_DOSE',
      `${entry.date}: ${fromThousandths(given)} of the ${scheduledDailyDose} ${entry.unit} scheduled is already given; at most ${left} ${entry.unit} more.`,
      'dose',
    );
  }
}

/**
 * A taper dose is one the nurse can give from the order's strengths: a whole multiple of the
 * smallest strength, or of half of it where the order allows halves (domain.md §7's achievable
 * doses, held on the record as on the schedule). A dose held or refused is a dose that was due,
 * so it is made of the same tablets or patches.
 */
export function checkAchievableDose(entry: { dose: number; unit: string }, order: { unitStrengths: number[]; allowHalfTablets: boolean }): void {
  const quantum = quantumThousandths(order);
  if (thousandths(entry.dose, 'dose') % quantum === 0) return;
  const made = `${order.unitStrengths.join(', ')} ${entry.unit}${order.allowHalfTablets ? ' (halves allowed)' : ''}`;
  throw new ClinicalRuleError('DOSE_NOT_ACHIEVABLE', `${entry.dose} ${entry.unit} cannot be given from ${made}: a dose is a whole multiple of ${fromThousandths(quantum)} ${entry.unit}.`, 'dose');
}

/** How long a patch of each drug is worn (domain.md §7: patch changes take effect slowly). */
export const PATCH_WEAR_HOURS: Readonly<Record<string, number>> = Object.freeze({ fentanyl: 72, buprenorphine: 168 });

/** The hours a patch of this product is worn, or null when it is not a patch (a dose a day). */
export function patchWearHours(product: { drug: string; formulation: string | null }): number | null {
  if (product.formulation !== 'TRANSDERMAL' || !Object.hasOwn(PATCH_WEAR_HOURS, product.drug)) return null;
  return PATCH_WEAR_HOURS[product.drug]!;
}

/** A dose given: when, and how much (a patch: its mcg/h). */
export interface DoseGivenAt {
  givenAt: Date;
  dose: number;
}

/**
 * A patch (a fentanyl or buprenorphine TRANSDERMAL taper) stays on for `wearHours`, so the patches
 * applied less than that before or after this one (`worn`) are on with it, and together they may
 * not come to more than the day's scheduled mcg/h. A patch is not a daily dose: the next one is
 * due when the last comes off. Held, refused and omitted patches are checked as taper doses.
 */
export function checkPatchDose(
  entry: { outcome: AdministrationOutcome; dose: number; date: string; unit: string },
  scheduledDailyDose: number | null,
  worn: readonly DoseGivenAt[],
  wearHours: number,
): void {
  if (entry.outcome !== 'GIVEN' || scheduledDailyDose === null || worn.length === 0) {
    checkTaperDose(entry, scheduledDailyDose, []);
    return;
  }
  const dose = thousandths(entry.dose, 'dose');
  const on = worn.reduce((total, patch) => total + thousandths(patch.dose, 'dose'), 0);
  const scheduled = thousandthsOrNull(scheduledDailyDose) ?? 0;
  if (on + dose <= scheduled) return;
  const patches = worn.map((p) => `${p.dose} ${entry.unit} applied ${p.givenAt.toISOString()}`).join(', ');
  throw new ClinicalRuleError(
    'ABOVE_SCHEDULED_DOSE',
    `${entry.date}: ${scheduledDailyDose} ${entry.unit} is ordered and ${fromThousandths(on)} ${entry.unit} would still be on (${patches}; a patch is worn ${wearHours} hours); ` +
      `at most ${fromThousandths(Math.max(0, scheduled - on))} ${entry.unit} more.`,
    'dose',
  );
}

/** A pain-plan dose: no more than the ordered dose each time, nor than the ordered daily dose that day. */
export function checkPainPlanDose(entry: { outcome: AdministrationOutcome; dose: number; date: string; unit: string }, order: { dose: number; dailyDose: number }, givenThatDay: readonly number[]): void {
  const dose = thousandths(entry.dose, 'dose');
  checkOrderedDose(entry, order);
  if (entry.outcome !== 'GIVEN') return;
  const given = sum(givenThatDay);
  if (given + dose > thousandths(order.dailyDose, 'dailyDose')) {
    throw new ClinicalRuleError(
      'MAX_DAILY_DOSE_EXCEEDED',
      `${entry.date}: ${fromThousandths(given)} ${entry.unit} already given of the ${order.dailyDose} ${entry.unit} ordered a day; ${entry.dose} more is too much.`,
      'dose',
    );
  }
}

/**
 * A pain-plan or as-needed drug's total on one clinic day, over every order of it (pain plan and
 * as needed, those discontinued since included), may not exceed what the orders of it in force at
 * the dose allow a day together (`allowedDaily`, each order's daily dose or most a day).
 * Discontinuing an order and writing it again does not start the day's count again.
 */
export function checkDrugDayTotal(
  entry: { outcome: AdministrationOutcome; dose: number; date: string; unit: string; drug: string },
  allowedDaily: readonly number[],
  givenThatDay: readonly number[],
): void {
  if (entry.outcome !== 'GIVEN') return;
  const dose = thousandths(entry.dose, 'dose');
  const allowed = allowedDaily.reduce((total, daily) => total + thousandths(daily, 'dailyDose'), 0);
  const given = sum(givenThatDay);
  if (given + dose <= allowed) return;
  throw new ClinicalRuleError(
    'MAX_DAILY_DOSE_EXCEEDED',
    `${entry.date}: ${fromThousandths(given)} ${entry.unit} of ${entry.drug} already given under its orders that day, and the orders now in force allow ` +
      `${fromThousandths(allowed)} ${entry.unit} a day; at most ${fromThousandths(Math.max(0, allowed - given))} ${entry.unit} more.`,
    'dose',
  );
}

/**
 * A pain-plan or as-needed dose given above the drug's most in one dose (`maxSingleDose`, null for
 * a drug without one) is refused even when its order asks for it: an order written before the
 * limit existed may.
 */
export function checkSingleDose(entry: { outcome: AdministrationOutcome; dose: number; unit: string; drug: string }, maxSingleDose: number | null): void {
  if (entry.outcome !== 'GIVEN' || maxSingleDose === null) return;
  if (thousandths(entry.dose, 'dose') <= thousandths(maxSingleDose, 'maxSingleDose')) return;
  throw new ClinicalRuleError('MAX_SINGLE_DOSE_EXCEEDED', `${entry.dose} ${entry.unit} of ${entry.drug} is above its maximum of ${maxSingleDose} ${entry.unit} a dose.`, 'dose');
}

/** No more than the ordered dose each time, whatever the outcome: a dose not given was a dose due. */
function checkOrderedDose(entry: { dose: number; unit: string }, order: { dose: number }): void {
  if (thousandths(entry.dose, 'dose') > thousandths(order.dose, 'dose')) {
    throw new ClinicalRuleError('ABOVE_SCHEDULED_DOSE', `The order is ${order.dose} ${entry.unit} a dose; ${entry.dose} ${entry.unit} is more.`, 'dose');
  }
}

export interface AsNeededOrderRule {
  dose: number;
  minIntervalHours: number;
  maxDosesPerDay: number;
  cowsThreshold: number | null;
}

export interface PrnHistory {
  /** When each as-needed dose of this drug was given (GIVEN, not void), under this order or an earlier one. */
  givenAt: readonly Date[];
  /**
   * When another medicine carrying the drug was given: the paracetamol of a combination opioid's
   * taper dose ("hydrocodone IR"), so an as-needed paracetamol keeps its interval from it too.
   */
  carriedIn?: readonly { givenAt: Date; source: string }[];
  /** How many as-needed doses of this drug fall on the entry's clinic day. */
  givenThatDay: number;
  /** COWS readings recorded in the window before the dose. */
  cowsScores: readonly { recordedAt: Date; score: number }[];
}

/** An as-needed dose: the ordered dose, not sooner than the interval, not more often than the daily maximum, and indicated. */
export function checkAsNeededDose(
  entry: { outcome: AdministrationOutcome; dose: number; givenAt: Date; unit: string },
  order: AsNeededOrderRule,
  history: PrnHistory,
  cowsWindowHours: number = DEFAULT_PRN_COWS_WINDOW_HOURS,
): void {
  checkOrderedDose(entry, order);
  if (entry.outcome !== 'GIVEN') return;
  const interval = order.minIntervalHours * HOUR_MS;
  const doses = [...history.givenAt.map((givenAt) => ({ givenAt, source: null })), ...(history.carriedIn ?? [])];
  const tooClose = doses.find((d) => Math.abs(d.givenAt.getTime() - entry.givenAt.getTime()) < interval);
  if (tooClose) {
    // A dose entered after the fact may fall before the dose it is too close to: then it had to be earlier.
    const at = tooClose.givenAt.getTime();
    const bound = at < entry.givenAt.getTime() ? `not before ${new Date(at + interval).toISOString()}` : `not after ${new Date(at - interval).toISOString()}`;
    const what = tooClose.source === null ? 'A dose' : `A dose of ${tooClose.source}, which carries the drug,`;
    throw new ClinicalRuleError('PRN_TOO_SOON', `${what} was given at ${tooClose.givenAt.toISOString()}; at least ${order.minIntervalHours} hours apart (${bound}).`, 'givenAt');
  }
  if (history.givenThatDay >= order.maxDosesPerDay) throw new ClinicalRuleError('PRN_DAILY_MAX', `${order.maxDosesPerDay} doses a day at the most; ${history.givenThatDay} already given that day.`, 'givenAt');
  if (order.cowsThreshold !== null) checkIndication(entry.givenAt, order.cowsThreshold, history.cowsScores, cowsWindowHours);
}

/**
 * Indicated by the latest COWS score of the window before the dose: a higher score an hour ago
 * does not indicate a dose once a newer one shows the withdrawal has settled below the threshold.
 */
function checkIndication(givenAt: Date, threshold: number, scores: PrnHistory['cowsScores'], windowHours: number): void {
  const from = givenAt.getTime() - windowHours * HOUR_MS;
  const inWindow = scores.filter((s) => s.recordedAt.getTime() >= from && s.recordedAt.getTime() <= givenAt.getTime());
  const latest = inWindow.reduce<(typeof scores)[number] | null>((last, s) => (last === null || s.recordedAt.getTime() >= last.recordedAt.getTime() ? s : last), null);
  if (latest === null) {
    throw new ClinicalRuleError('PRN_NOT_INDICATED', `Given for withdrawal at a COWS of ${threshold} or more: no COWS score was recorded in the ${windowHours} hours before.`, 'givenAt');
  }
  if (latest.score < threshold) {
    throw new ClinicalRuleError(
      'PRN_NOT_INDICATED',
      `Given for withdrawal at a COWS of ${threshold} or more: the latest score in the ${windowHours} hours before, ${latest.score} at ${latest.recordedAt.toISOString()}, is below it.`,
      'givenAt',
    );
  }
}

/** A pain-plan or as-needed order is in force from when it was written until it is discontinued. */
export function orderInForceAt(order: { createdAt: Date; discontinuedAt: Date | null }, at: Date): boolean {
  return order.createdAt.getTime() <= at.getTime() && (order.discontinuedAt === null || at.getTime() < order.discontinuedAt.getTime());
}

/** The dose is recorded in its order's unit (a patch as "patch", fentanyl in mcg/h). */
export function checkUnit(entryUnit: string, order: { drug: string; unit: string }): void {
  if (entryUnit !== order.unit) throw new ClinicalRuleError('INVALID_UNIT', `The ${order.drug} order is in ${order.unit}, not in ${entryUnit}.`, 'unit');
}
