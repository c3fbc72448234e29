/**
 * Non-opioid pain plan checks (domain.md §9): daily limits, NSAID rules, contraindications and
 * warnings for one medication order, given the patient's risk factors and what is already active.
 *
 * Every limit and rule is data in PAIN_DRUGS; the check code holds no drug names or numbers.
 * Refusals are returned, not thrown (the service turns a refusal into a 422 unless it is
 * overridable and an override reason is given); an order that cannot be read at all — unknown
 * drug, wrong unit or route, impossible dose — throws ClinicalRuleError.
 *
 * Precision: doses carry at most 3 decimals, so the daily dose is computed in integer thousandths
 * (dose × 1000 × timesPerDay) and compared with the limits in the same unit, exactly.
 */
import { ClinicalRuleError, type ClinicalWarning } from './clinical-error.js';
import { canonicalDrugCode, MAX_DOSE, MAX_TIMES_PER_DAY } from './mme.js';
import type { ClinicalRefusalCode } from './clinical-refusals.js';

export type MedicationRoute = 'ORAL' | 'TOPICAL' | 'TRANSDERMAL';
export type MedicationUnit = 'mg' | 'patch';

export interface PatientRiskFactors {
  hepaticImpairment: boolean;
  renalImpairment: boolean;
  giBleedHistory: boolean;
  heartFailure: boolean;
  cardiacDisease: boolean;
  anticoagulants: boolean;
  heavyAlcoholUse: boolean;
  respiratoryDisease: boolean;
  benzodiazepineUse: boolean;
  /** Takes an opioid today: the intake regimen, or a signed taper not yet at zero. */
  opioidInUse: boolean;
}

export type RiskFactor = keyof PatientRiskFactors;

/** How each risk factor reads in a sentence ("… with renal impairment and heart failure"). */
export const RISK_FACTOR_WORDS: Readonly<Record<RiskFactor, string>> = Object.freeze({
  hepaticImpairment: 'hepatic impairment',
  renalImpairment: 'renal impairment',
  giBleedHistory: 'a history of GI bleeding or ulcer',
  heartFailure: 'heart failure',
  cardiacDisease: 'significant cardiac disease',
  anticoagulants: 'anticoagulant use',
  heavyAlcoholUse: 'heavy alcohol use',
  respiratoryDisease: 'respiratory disease',
  benzodiazepineUse: 'benzodiazepine use',
  opioidInUse: 'current opioid use',
});

/** A lower limit that replaces maxDaily when the patient has any of `factors` (no override band). */
export interface ReducedLimit {
  readonly factors: readonly RiskFactor[];
  readonly maxDaily: number;
}

/** A refusal raised when the patient has any of `factors`; the message names those found. */
export interface Contraindication {
  readonly code: ClinicalRefusalCode;
  readonly factors: readonly RiskFactor[];
  readonly overridable: boolean;
  /** The clinical reason; follows "<Drug> with <factors>: ". */
  readonly reason: string;
}

/** A flag on an accepted order: always (no `factors`) or when the patient has any of `factors`. */
export interface RiskWarning {
  readonly code: string;
  readonly factors?: readonly RiskFactor[];
  readonly advice: string;
}

export interface PainDrugRule {
  /** Canonical (lower-case) code, the key of PAIN_DRUGS. */
  readonly drug: string;
  /** A systemic NSAID: the NSAID rules apply, and two at once are refused. */
  readonly nsaid: boolean;
  readonly unit: MedicationUnit;
  readonly routes: readonly MedicationRoute[];
  /** A product given on a fixed schedule (a 12 h on / 12 h off patch: once a day). */
  readonly fixedSchedule?: { readonly timesPerDay: number; readonly description: string };
  /** Default maximum per day, in `unit`. */
  readonly maxDaily: number;
  /** Above maxDaily and up to this, an override reason may allow the order; never above it. */
  readonly absoluteMaxDaily?: number;
  /** When the override band applies, e.g. "for a short course"; part of the message. */
  readonly absoluteMaxNote?: string;
  readonly reducedLimits?: readonly ReducedLimit[];
  readonly contraindications?: readonly Contraindication[];
  readonly warnings?: readonly RiskWarning[];
}

export interface MedicationOrderInput {
  drug: string;
  dose: number;
  unit: MedicationUnit;
  timesPerDay: number;
  route: MedicationRoute;
}

export interface MedicationRefusal {
  code: ClinicalRefusalCode;
  message: string;
  /** An override reason lets the order through (the service records it). */
  overridable: boolean;
  field?: string;
}

export interface MedicationCheck {
  /** Canonical drug code. */
  drug: string;
  /** dose × timesPerDay, exact. */
  dailyDose: number;
  /** The limit that applied to this patient (a reduced one where a risk factor lowers it). */
  maxDailyDose: number;
  refusals: MedicationRefusal[];
  warnings: ClinicalWarning[];
}

const freeze = <T extends object>(value: T): Readonly<T> => Object.freeze(value);

/** domain.md §9: renal impairment, GI bleed or ulcer, heart failure / cardiac disease, anticoagulants. */
const NSAID_CONTRAINDICATION: Contraindication = freeze({
  code: 'NSAID_CONTRAINDICATED',
  factors: freeze(['renalImpairment', 'giBleedHistory', 'heartFailure', 'cardiacDisease', 'anticoagulants'] as const),
  overridable: true,
  reason:
    'NSAIDs risk kidney injury, GI bleeding, fluid retention and cardiovascular events, and add to the bleeding risk of anticoagulants.',
});

const TCA_WARNING: RiskWarning = freeze({
  code: 'TCA_SEDATION_FALLS',
  advice: 'expect sedation and a higher risk of falls, and anticholinergic effects (dry mouth, constipation, urinary retention, confusion).',
});

/** FDA Drug Safety Communication, 19 Dec 2019. */
const GABAPENTINOID_WARNING: RiskWarning = freeze({
  code: 'GABAPENTINOID_RESPIRATORY_DEPRESSION',
  factors: freeze(['opioidInUse', 'benzodiazepineUse', 'respiratoryDisease'] as const),
  advice: 'risk of serious respiratory depression (FDA Drug Safety Communication, 19 December 2019); start low and watch breathing and sedation.',
});

const ORAL_MG = freeze({ unit: 'mg' as const, routes: freeze(['ORAL'] as const) });

const nsaid = (drug: string, maxDaily: number, extra: Partial<PainDrugRule> = {}): PainDrugRule =>
  freeze({ drug, nsaid: true, ...ORAL_MG, maxDaily, contraindications: freeze([NSAID_CONTRAINDICATION]), ...extra });
const oral = (drug: string, maxDaily: number, extra: Partial<PainDrugRule> = {}): PainDrugRule =>
  freeze({ drug, nsaid: false, ...ORAL_MG, maxDaily, ...extra });

/** domain.md §9, defaults. Limits are per day in the drug's unit. */
export const PAIN_DRUGS: Readonly<Record<string, PainDrugRule>> = freeze({
  paracetamol: oral('paracetamol', 4000, {
    reducedLimits: freeze([freeze({ factors: freeze(['hepaticImpairment', 'heavyAlcoholUse'] as const), maxDaily: 2000 })]),
  }),
  ibuprofen: nsaid('ibuprofen', 2400, { absoluteMaxDaily: 3200 }),
  naproxen: nsaid('naproxen', 1000, { absoluteMaxDaily: 1500, absoluteMaxNote: 'for a short course' }),
  diclofenac: nsaid('diclofenac', 150),
  // Halved with hepatic impairment (400 → 200).
  celecoxib: nsaid('celecoxib', 400, { reducedLimits: freeze([freeze({ factors: freeze(['hepaticImpairment'] as const), maxDaily: 200 })]) }),
  duloxetine: oral('duloxetine', 60, {
    contraindications: freeze([
      freeze({
        code: 'CONTRAINDICATED',
        factors: freeze(['renalImpairment'] as const),
        overridable: true,
        reason:
          'the label says to avoid it in severe renal impairment (creatinine clearance below 30 mL/min); the intake records ' +
          'renal impairment without grading it, so it is treated as severe here.',
      }),
    ]),
  }),
  amitriptyline: oral('amitriptyline', 75, { warnings: freeze([TCA_WARNING]) }),
  nortriptyline: oral('nortriptyline', 75, { warnings: freeze([TCA_WARNING]) }),
  gabapentin: oral('gabapentin', 3600, { warnings: freeze([GABAPENTINOID_WARNING]) }),
  pregabalin: oral('pregabalin', 600, { warnings: freeze([GABAPENTINOID_WARNING]) }),
  // 5% patch: up to 3 patches at once, on for 12 h and off for 12 h, so applied once a day.
  lidocaine: freeze({
    drug: 'lidocaine',
    nsaid: false,
    unit: 'patch',
    routes: freeze(['TOPICAL', 'TRANSDERMAL'] as const),
    fixedSchedule: freeze({ timesPerDay: 1, description: '12 h on, 12 h off' }),
    maxDaily: 3,
  }),
});

const DOSE_SCALE = 1000;

/** The rule of a drug code, whatever its case and surrounding spaces; undefined if unknown. */
export function painDrugRule(drug: string): PainDrugRule | undefined {
  const code = canonicalDrugCode(drug);
  // hasOwn, not `in`: 'constructor' or '__proto__' must not look like a drug.
  return Object.hasOwn(PAIN_DRUGS, code) ? PAIN_DRUGS[code] : undefined;
}

/** Gabapentin and pregabalin: with an opioid they can depress breathing (FDA, December 2019). */
export function isGabapentinoid(drug: string): boolean {
  return painDrugRule(drug)?.warnings?.includes(GABAPENTINOID_WARNING) === true;
}

/** "a", "a and b", "a, b and c" (or "a or b"). */
function listOf(words: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function factorsFound(factors: readonly RiskFactor[], patient: PatientRiskFactors): RiskFactor[] {
  return factors.filter((f) => patient[f]);
}

const perDay = (rule: PainDrugRule, amount: number): string =>
  rule.unit === 'patch' ? `${amount} ${amount === 1 ? 'patch' : 'patches'}/day` : `${amount} mg/day`;

function resolveRule(order: MedicationOrderInput): PainDrugRule {
  const rule = painDrugRule(order.drug);
  if (!rule) {
    const known = Object.keys(PAIN_DRUGS).join(', ');
    throw new ClinicalRuleError('UNKNOWN_DRUG', `${JSON.stringify(order.drug)} is not a drug of the pain plan; the drugs are ${known}.`, 'drug');
  }
  if (order.unit !== rule.unit) {
    const want = rule.unit === 'patch' ? 'a number of patches (unit "patch")' : 'a dose in mg';
    throw new ClinicalRuleError('INVALID_UNIT', `${capitalised(rule.drug)} is ordered as ${want}, not in ${JSON.stringify(order.unit)}.`, 'unit');
  }
  if (!rule.routes.includes(order.route)) {
    const message = `${capitalised(rule.drug)} is given by the ${listOf(rule.routes, 'or')} route, not ${JSON.stringify(order.route)}.`;
    throw new ClinicalRuleError('INVALID_ROUTE', message, 'route');
  }
  return rule;
}

function checkFrequency(order: MedicationOrderInput, rule: PainDrugRule): void {
  const t = order.timesPerDay;
  if (!Number.isInteger(t) || t < 1 || t > MAX_TIMES_PER_DAY) {
    throw new ClinicalRuleError('INVALID_FREQUENCY', `Times per day must be a whole number from 1 to ${MAX_TIMES_PER_DAY}.`, 'timesPerDay');
  }
  const fixed = rule.fixedSchedule;
  if (fixed && t !== fixed.timesPerDay) {
    const message = `${capitalised(rule.drug)} follows a fixed schedule (${fixed.description}): timesPerDay must be ${fixed.timesPerDay}.`;
    throw new ClinicalRuleError('INVALID_FREQUENCY', message, 'timesPerDay');
  }
}

/** A dose in integer thousandths; refuses what cannot be computed exactly. */
function doseThousandths(dose: number): number {
  if (!(Number.isFinite(dose) && dose > 0 && dose <= MAX_DOSE)) {
    throw new ClinicalRuleError('INVALID_DOSE', `A dose must be more than 0 and at most ${MAX_DOSE}.`, 'dose');
  }
  const scaled = dose * DOSE_SCALE;
  // The tolerance only absorbs binary noise such as 0.1 + 0.2; a 4th decimal is refused.
  if (Math.abs(scaled - Math.round(scaled)) > 1e-6) {
    throw new ClinicalRuleError('DOSE_PRECISION', 'A dose may have at most 3 decimal places.', 'dose');
  }
  return Math.round(scaled);
}

interface AppliedLimit {
  maxDaily: number;
  /** Risk factors that lowered the limit; empty when the default applies. */
  because: RiskFactor[];
  /** Upper end of the override band, if any. */
  absoluteMax?: number;
}

function limitFor(rule: PainDrugRule, patient: PatientRiskFactors): AppliedLimit {
  const reduced = (rule.reducedLimits ?? [])
    .map((r) => ({ maxDaily: r.maxDaily, because: factorsFound(r.factors, patient) }))
    .filter((r) => r.because.length > 0)
    .sort((a, b) => a.maxDaily - b.maxDaily);
  if (reduced.length > 0) return reduced[0];
  return { maxDaily: rule.maxDaily, because: [], absoluteMax: rule.absoluteMaxDaily };
}

function maxDoseRefusal(rule: PainDrugRule, daily: number, dailyThousandths: number, limit: AppliedLimit): MedicationRefusal | null {
  const scaled = (amount: number): number => Math.round(amount * DOSE_SCALE);
  if (dailyThousandths <= scaled(limit.maxDaily)) return null;
  const over = `${perDay(rule, daily)} of ${rule.drug} is above the ${perDay(rule, limit.maxDaily)} limit`;
  const refusal = (message: string, overridable: boolean): MedicationRefusal => ({
    code: 'MAX_DAILY_DOSE_EXCEEDED',
    message,
    overridable,
    field: 'dose',
  });
  if (limit.because.length > 0) {
    return refusal(`${over} with ${listOf(limit.because.map((f) => RISK_FACTOR_WORDS[f]))}.`, false);
  }
  if (limit.absoluteMax === undefined) return refusal(`${over}.`, false);
  if (dailyThousandths > scaled(limit.absoluteMax)) {
    return refusal(`${perDay(rule, daily)} of ${rule.drug} is above the absolute maximum of ${perDay(rule, limit.absoluteMax)}.`, false);
  }
  const note = rule.absoluteMaxNote ? ` ${rule.absoluteMaxNote}` : '';
  return refusal(`${over}; up to ${perDay(rule, limit.absoluteMax)}${note} needs an override reason.`, true);
}

function duplicateNsaidRefusal(rule: PainDrugRule, activeDrugs: readonly string[]): MedicationRefusal | null {
  if (!rule.nsaid) return null;
  const active = [...new Set(activeDrugs.flatMap((d) => (painDrugRule(d)?.nsaid ? [canonicalDrugCode(d)] : [])))];
  if (active.length === 0) return null;
  const message =
    `${capitalised(rule.drug)} is an NSAID and the patient already has ${listOf(active)} active; ` +
    'two systemic NSAIDs at once are not allowed, so discontinue the active one first.';
  return { code: 'DUPLICATE_NSAID', message, overridable: false, field: 'drug' };
}

function contraindicationRefusals(rule: PainDrugRule, patient: PatientRiskFactors): MedicationRefusal[] {
  return (rule.contraindications ?? []).flatMap((c) => {
    const found = factorsFound(c.factors, patient);
    if (found.length === 0) return [];
    const override = c.overridable ? ' Prescribing it anyway needs an override reason.' : '';
    const message = `${capitalised(rule.drug)} with ${listOf(found.map((f) => RISK_FACTOR_WORDS[f]))}: ${c.reason}${override}`;
    return [{ code: c.code, message, overridable: c.overridable, field: 'drug' }];
  });
}

function warningsFor(rule: PainDrugRule, patient: PatientRiskFactors): ClinicalWarning[] {
  return (rule.warnings ?? []).flatMap((w) => {
    const found = w.factors ? factorsFound(w.factors, patient) : [];
    if (w.factors && found.length === 0) return [];
    const context = found.length > 0 ? ` with ${listOf(found.map((f) => RISK_FACTOR_WORDS[f]))}` : '';
    return [{ code: w.code, message: `${capitalised(rule.drug)}${context}: ${w.advice}` }];
  });
}

/**
 * Checks one order. `activeDrugs` are the drug codes of the patient's other active medication
 * orders (any case; codes outside the pain plan are ignored). Throws ClinicalRuleError when the
 * order cannot be read; returns every refusal and warning otherwise.
 */
export function checkMedicationOrder(
  order: MedicationOrderInput,
  patient: PatientRiskFactors,
  activeDrugs: readonly string[],
): MedicationCheck {
  const rule = resolveRule(order);
  checkFrequency(order, rule);
  const dailyThousandths = doseThousandths(order.dose) * order.timesPerDay;
  const dailyDose = dailyThousandths / DOSE_SCALE;
  const limit = limitFor(rule, patient);
  const refusals = [
    maxDoseRefusal(rule, dailyDose, dailyThousandths, limit),
    duplicateNsaidRefusal(rule, activeDrugs),
    ...contraindicationRefusals(rule, patient),
  ].filter((r): r is MedicationRefusal => r !== null);
  return { drug: rule.drug, dailyDose, maxDailyDose: limit.maxDaily, refusals, warnings: warningsFor(rule, patient) };
}

/** True when every refusal may be overridden (and there is at least one): the order needs a reason. */
export function needsOverride(check: MedicationCheck): boolean {
  return check.refusals.length > 0 && check.refusals.every((r) => r.overridable);
}
