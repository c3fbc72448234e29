/**
 * As-needed (PRN) orders for withdrawal symptoms and pain (domain.md §8a): the drugs a
 * psychiatrist may order as needed, their unit, routes and most per day. Paracetamol and
 * ibuprofen are pain-plan drugs: their limits, risk factors and other sources are checked by the
 * pain-plan rules with the most doses a day as the times per day.
 */
import { ClinicalRuleError } from './clinical-error.js';
import { canonicalDrugCode } from './mme.js';
import { painDrugRule, type MedicationRoute } from './pain-drugs.js';
import { DOSE_SCALE, fromThousandths, thousandthsOrNull } from './taper-doses.js';

export interface AsNeededDrugRule {
  drug: string;
  unit: 'mg';
  routes: readonly MedicationRoute[];
  /** The most a day, in mg (label maxima). */
  maxDaily: number;
  /** The most in one dose, in mg. */
  maxSingleDose: number;
  /** What it is usually given for, for the API's description. */
  use: string;
}

const rule = (drug: string, [maxDaily, maxSingleDose]: readonly [number, number], use: string): AsNeededDrugRule =>
  Object.freeze({ drug, unit: 'mg', routes: Object.freeze(['ORAL'] as const), maxDaily, maxSingleDose, use });

/**
 * The comfort medicines of a taper (domain.md §8a): [most a day, most in one dose] in mg, rule
 * settings from the usual adult dosing for opioid withdrawal:
 * - clonidine 1.2 mg a day, 0.2 mg a dose (SAMHSA TIP 45: 0.1–0.2 mg every 4–6 hours);
 * - lofexidine 2.4 mg a day, 0.8 mg a dose (BNF: at most 2.4 mg a day, 800 micrograms a dose);
 * - loperamide 16 mg a day, 4 mg a dose (BNF and label: 4 mg first, then 2 mg after each loose stool);
 * - ondansetron 24 mg a day, 8 mg a dose (BNF: 8 mg by mouth a dose).
 */
export const AS_NEEDED_DRUGS: Readonly<Record<string, AsNeededDrugRule>> = Object.freeze({
  clonidine: rule('clonidine', [1.2, 0.2], 'sweating, restlessness, anxiety (withdrawal)'),
  lofexidine: rule('lofexidine', [2.4, 0.8], 'withdrawal symptoms'),
  loperamide: rule('loperamide', [16, 4], 'diarrhoea (withdrawal)'),
  ondansetron: rule('ondansetron', [24, 8], 'nausea and vomiting (withdrawal)'),
});

/** Pain-plan drugs that may also be ordered as needed; their rules are the pain plan's. */
export const AS_NEEDED_PAIN_DRUGS: readonly string[] = Object.freeze(['paracetamol', 'ibuprofen']);

export const MAX_INTERVAL_HOURS = 72;
export const MAX_DOSES_PER_DAY = 24;

export interface AsNeededOrderInput {
  drug: string;
  dose: number;
  unit: string;
  route: string;
  minIntervalHours: number;
  maxDosesPerDay: number;
  cowsThreshold?: number | null;
}

/**
 * Checks an as-needed order of a comfort medicine; a pain-plan drug returns 'PAIN_PLAN' for the
 * caller to check with the pain-plan rules. Throws ClinicalRuleError (a 422) when refused.
 */
export function checkAsNeededOrder(order: AsNeededOrderInput): 'COMFORT' | 'PAIN_PLAN' {
  const drug = canonicalDrugCode(order.drug);
  checkTiming(order);
  if (AS_NEEDED_PAIN_DRUGS.includes(drug) && painDrugRule(drug)) return 'PAIN_PLAN';
  const found = Object.hasOwn(AS_NEEDED_DRUGS, drug) ? AS_NEEDED_DRUGS[drug] : undefined;
  if (!found) {
    const known = [...Object.keys(AS_NEEDED_DRUGS), ...AS_NEEDED_PAIN_DRUGS].join(', ');
    throw new ClinicalRuleError('UNKNOWN_DRUG', `${JSON.stringify(order.drug)} is not ordered as needed here; the drugs are ${known}.`, 'drug');
  }
  if (order.unit !== found.unit) throw new ClinicalRuleError('INVALID_UNIT', `${found.drug} is ordered in ${found.unit}.`, 'unit');
  if (!found.routes.includes(order.route as MedicationRoute)) throw new ClinicalRuleError('INVALID_ROUTE', `${found.drug} is given ${found.routes.join(' or ').toLowerCase()}.`, 'route');
  const dose = thousandthsOrNull(order.dose);
  if (dose === null || dose <= 0) throw new ClinicalRuleError('INVALID_DOSE', 'A dose is more than 0, with at most 3 decimals.', 'dose');
  if (dose > Math.round(found.maxSingleDose * DOSE_SCALE)) {
    throw new ClinicalRuleError('MAX_SINGLE_DOSE_EXCEEDED', `${order.dose} mg of ${found.drug} is above its maximum of ${found.maxSingleDose} mg a dose.`, 'dose');
  }
  if (dose * order.maxDosesPerDay > found.maxDaily * DOSE_SCALE) {
    const most = asNeededDailyMaximum(order);
    throw new ClinicalRuleError('MAX_DAILY_DOSE_EXCEEDED', `${most} mg/day of ${found.drug} at the most is above its ${found.maxDaily} mg/day limit.`, 'maxDosesPerDay');
  }
  return 'COMFORT';
}

/** The most in one dose of a pain-plan or as-needed drug (any case), or null for a drug of neither (an opioid). */
export function maxSingleDoseOf(drug: string): number | null {
  const code = canonicalDrugCode(drug);
  const pain = painDrugRule(code);
  if (pain) return pain.maxSingleDose;
  return Object.hasOwn(AS_NEEDED_DRUGS, code) ? AS_NEEDED_DRUGS[code].maxSingleDose : null;
}

/** The most an as-needed order gives in a day (dose × doses a day), exact to the thousandth. */
export function asNeededDailyMaximum(order: { dose: number; maxDosesPerDay: number }): number {
  return fromThousandths(Math.round(order.dose * DOSE_SCALE) * order.maxDosesPerDay);
}

function checkTiming(order: AsNeededOrderInput): void {
  if (!(order.minIntervalHours > 0 && order.minIntervalHours <= MAX_INTERVAL_HOURS)) {
    throw new ClinicalRuleError('INVALID_INTERVAL', `minIntervalHours is more than 0 and at most ${MAX_INTERVAL_HOURS}.`, 'minIntervalHours');
  }
  if (!(Number.isInteger(order.maxDosesPerDay) && order.maxDosesPerDay >= 1 && order.maxDosesPerDay <= MAX_DOSES_PER_DAY)) {
    throw new ClinicalRuleError('INVALID_FREQUENCY', `maxDosesPerDay is a whole number from 1 to ${MAX_DOSES_PER_DAY}.`, 'maxDosesPerDay');
  }
  // Doses at the minimum interval must fit in a day: 6-hourly allows at most 4, 5-hourly 5.
  if (order.maxDosesPerDay > Math.ceil(24 / order.minIntervalHours)) {
    throw new ClinicalRuleError('INVALID_FREQUENCY', `${order.maxDosesPerDay} doses a day cannot be ${order.minIntervalHours} hours apart.`, 'maxDosesPerDay');
  }
}
