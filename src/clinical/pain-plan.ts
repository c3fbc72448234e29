/**
 * Non-opioid pain plan checks (domain.md §9): daily limits, NSAID and gabapentinoid rules, kidney
 * dosing, contraindications and warnings for one medication order, given the patient's risk
 * factors, what is already active and, for paracetamol, every other source.
 *
 * Every limit and rule is data in PAIN_DRUGS (pain-drugs.ts); the check code holds no drug names
 * or numbers. Refusals are returned, not thrown (the service turns a refusal into a 422 unless it
 * is overridable and an override reason is given); an order that cannot be read at all — unknown
 * drug, wrong unit or route, impossible dose — throws ClinicalRuleError.
 *
 * Precision: doses carry at most 3 decimals, so the daily dose is computed in integer thousandths
 * (dose × 1000 × timesPerDay) and compared with the limits in the same unit, exactly.
 */
import { ClinicalRuleError, type ClinicalWarning } from './clinical-error.js';
import { canonicalDrugCode, MAX_DOSE, MAX_TIMES_PER_DAY } from './mme.js';
import { PAIN_DRUGS, painDrugRule, RISK_FACTOR_WORDS, type MedicationRoute, type MedicationUnit, type PainDrugRule, type PatientRiskFactors, type RiskFactor } from './pain-drugs.js';
import { clearanceOf, duplicateGabapentinoidRefusal, hasRenalImpairment, renalDoseRefusal, renalRowFor, renalWarnings, severeRenalRefusal } from './pain-plan-patient.js';
import { paracetamolThousandths, type ParacetamolSource } from './paracetamol.js';
import { capitalised, listOf, perDay, perDose } from './pain-words.js';
import type { ClinicalRefusalCode } from './clinical-refusals.js';
import { overrideCovers, overrideNotCovering, type OverriddenRefusal, type RefusalFinding } from './override-coverage.js';

export * from './pain-drugs.js';
export * from './paracetamol.js';

export interface MedicationOrderInput {
  drug: string;
  dose: number;
  unit: MedicationUnit;
  timesPerDay: number;
  route: MedicationRoute;
}

/** What the checks need beyond the risk factors (v1.1); each part optional. */
export interface PatientContext {
  /** mL/min from the intake; null or absent when not measured. */
  creatinineClearance?: number | null;
  /** Paracetamol per day from every other source: combination opioids still in use, other paracetamol orders. */
  otherParacetamol?: readonly ParacetamolSource[];
}

export interface MedicationRefusal {
  code: ClinicalRefusalCode;
  message: string;
  /** An override reason lets the order through (the service records it). */
  overridable: boolean;
  field?: string;
  /** What was found, to compare with a later finding of the same code (override-coverage.ts). */
  finding?: RefusalFinding;
}

export interface MedicationCheck {
  /** Canonical drug code. */
  drug: string;
  /** dose × timesPerDay, exact. */
  dailyDose: number;
  /** The limit that applied to this patient (a reduced one where a risk factor lowers it). */
  maxDailyDose: number;
  /** The kidney row's limit where one applies (gabapentinoids), else null; above it needs an override. */
  renalMaxDailyDose: number | null;
  /** The most in one dose (the rule's setting). */
  maxSingleDose: number;
  refusals: MedicationRefusal[];
  warnings: ClinicalWarning[];
}

const DOSE_SCALE = 1000;

function factorsFound(factors: readonly RiskFactor[], patient: PatientRiskFactors): RiskFactor[] {
  return factors.filter((f) => patient[f]);
}

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

/** The amount compared with the limit: the order, plus every other source where the rule says so. */
interface CountedDose {
  thousandths: number;
  /** ", with 1300 mg/day from hydrocodone IR (combination product), 5300 mg/day in all" or "". */
  sourcesText: string;
}

function countedDose(rule: PainDrugRule, daily: number, dailyThousandths: number, sources: readonly ParacetamolSource[]): CountedDose {
  const others = rule.countsEverySource ? sources : [];
  const total = dailyThousandths + paracetamolThousandths(others);
  if (total === dailyThousandths) return { thousandths: dailyThousandths, sourcesText: '' };
  const listed = listOf(others.filter((s) => s.dailyMg > 0).map((s) => `${perDay(rule, s.dailyMg)} from ${s.source}`));
  return { thousandths: total, sourcesText: ` with ${listed}, ${perDay(rule, total / DOSE_SCALE)} in all,` };
}

function maxDoseRefusal(rule: PainDrugRule, daily: number, counted: CountedDose, limit: AppliedLimit): MedicationRefusal | null {
  const scaled = (amount: number): number => Math.round(amount * DOSE_SCALE);
  if (counted.thousandths <= scaled(limit.maxDaily)) return null;
  const over = `${perDay(rule, daily)} of ${rule.drug}${counted.sourcesText} is above the ${perDay(rule, limit.maxDaily)} limit`;
  const finding: RefusalFinding = { limit: limit.maxDaily, ...(limit.because.length > 0 ? { factors: [...limit.because] } : {}) };
  const refusal = (message: string, overridable: boolean): MedicationRefusal => ({ code: 'MAX_DAILY_DOSE_EXCEEDED', message, overridable, field: 'dose', finding });
  if (limit.because.length > 0) {
    return refusal(`${over} with ${listOf(limit.because.map((f) => RISK_FACTOR_WORDS[f]))}.`, false);
  }
  if (limit.absoluteMax === undefined) return refusal(`${over}.`, false);
  if (counted.thousandths > scaled(limit.absoluteMax)) {
    return refusal(`${perDay(rule, daily)} of ${rule.drug} is above the absolute maximum of ${perDay(rule, limit.absoluteMax)}.`, false);
  }
  const note = rule.absoluteMaxNote ? ` ${rule.absoluteMaxNote}` : '';
  return refusal(`${over}; up to ${perDay(rule, limit.absoluteMax)}${note} needs an override reason.`, true);
}

/** One dose above the drug's most in one dose: refused whatever the reason (4 g of paracetamol at once is an error). */
function singleDoseRefusal(rule: PainDrugRule, dose: number): MedicationRefusal | null {
  if (Math.round(dose * DOSE_SCALE) <= Math.round(rule.maxSingleDose * DOSE_SCALE)) return null;
  const message = `${perDose(rule, dose)} of ${rule.drug} is above its maximum of ${perDose(rule, rule.maxSingleDose)} a dose; give it in smaller doses, more times a day.`;
  return { code: 'MAX_SINGLE_DOSE_EXCEEDED', message, overridable: false, field: 'dose' };
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
    return [{ code: c.code, message, overridable: c.overridable, field: 'drug', finding: { factors: found } }];
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
 * orders (any case; codes outside the pain plan are ignored). `context` (v1.1) brings the kidney
 * clearance and the paracetamol from other sources. Throws ClinicalRuleError when the order
 * cannot be read; returns every refusal and warning otherwise.
 */
export function checkMedicationOrder(
  order: MedicationOrderInput,
  patient: PatientRiskFactors,
  activeDrugs: readonly string[],
  context: PatientContext = {},
): MedicationCheck {
  const rule = resolveRule(order);
  checkFrequency(order, rule);
  const clearance = clearanceOf(context.creatinineClearance);
  const seen: PatientRiskFactors = { ...patient, renalImpairment: hasRenalImpairment(patient, clearance) };
  const dailyThousandths = doseThousandths(order.dose) * order.timesPerDay;
  const dailyDose = dailyThousandths / DOSE_SCALE;
  const limit = limitFor(rule, seen);
  const renal = renalRowFor(rule, seen, clearance);
  const refusals = [
    maxDoseRefusal(rule, dailyDose, countedDose(rule, dailyDose, dailyThousandths, context.otherParacetamol ?? []), limit),
    singleDoseRefusal(rule, order.dose),
    renalDoseRefusal(rule, dailyDose, renal, clearance, limit.maxDaily),
    duplicateNsaidRefusal(rule, activeDrugs),
    duplicateGabapentinoidRefusal(rule, activeDrugs),
    severeRenalRefusal(rule, seen, clearance),
    ...contraindicationRefusals(rule, seen),
  ].filter((r): r is MedicationRefusal => r !== null);
  const warnings = [...renalWarnings(rule, renal), ...warningsFor(rule, seen)];
  return { drug: rule.drug, dailyDose, maxDailyDose: limit.maxDaily, renalMaxDailyDose: renal?.row.maxDaily ?? null, maxSingleDose: rule.maxSingleDose, refusals, warnings };
}

/**
 * The limit a day that applied to this patient: the drug's (lowered by a risk factor), or the
 * kidney row where that is lower (gabapentin at a clearance of 40: 1400, not 3600). For paracetamol
 * it is the patient's limit for every source together, not what this order may use of it.
 */
export function appliedDailyLimit(check: Pick<MedicationCheck, 'maxDailyDose' | 'renalMaxDailyDose'>): number {
  return check.renalMaxDailyDose === null ? check.maxDailyDose : Math.min(check.maxDailyDose, check.renalMaxDailyDose);
}

/**
 * A drug's limit a day for a patient with these risk factors (the kidney rows aside), as an order
 * of it is checked: the record holds paracetamol given from every source to the same figure.
 * Unknown drugs and drugs without a rolling limit are the caller's concern: undefined.
 */
export function drugDailyLimit(drug: string, patient: Partial<PatientRiskFactors>): { maxDaily: number; because: RiskFactor[] } | undefined {
  const rule = painDrugRule(drug);
  if (!rule) return undefined;
  const { maxDaily, because } = limitFor(rule, { ...NO_RISK_FACTORS, ...patient });
  return { maxDaily, because };
}

/**
 * What the patient's record allows of one drug today, by the rules its orders are checked with
 * (limitFor, the kidney rows, the contraindications): the dose given is held to it, and the nurses'
 * list shows what remains under it (an intake corrected after the order can lower it). A refusal
 * the order was written past with an override reason does not bind while the reason covers the
 * finding now (overrideCovers: the same finding or a milder one); the order's own dose does.
 * Undefined for a drug outside the pain plan.
 */
export interface PatientDrugLimit {
  drug: string;
  unit: MedicationUnit;
  /** The most a day for this patient, from every order of the drug together. */
  maxDaily: number;
  /** The refusal a dose above it meets: the kidney row's, or the drug's own. */
  code: 'RENAL_DOSE_EXCEEDED' | 'MAX_DAILY_DOSE_EXCEEDED';
  /** What lowered it below the drug's default, e.g. "hepatic impairment"; null when the default applies. */
  loweredBy: string | null;
  /** The patient's record rules the drug out (a contraindication the order's override does not cover). */
  ruledOut: MedicationRefusal[];
  /** " The override reason on the order was given for …, not for this." when an override of `code` does not cover the limit now; else "". */
  overrideNote: string;
}

/** The order a dose is given under: its daily dose (as it was checked) and the refusals it was written past. */
export interface OverriddenOrder {
  dailyDose: number;
  overridden: readonly OverriddenRefusal[];
}

const NOT_OVERRIDDEN: OverriddenOrder = { dailyDose: 0, overridden: [] };

export function patientDrugLimit(
  drug: string,
  patient: PatientRiskFactors,
  context: Pick<PatientContext, 'creatinineClearance'>,
  order: OverriddenOrder = NOT_OVERRIDDEN,
): PatientDrugLimit | undefined {
  const rule = painDrugRule(drug);
  if (!rule) return undefined;
  const clearance = clearanceOf(context.creatinineClearance);
  const seen: PatientRiskFactors = { ...patient, renalImpairment: hasRenalImpairment(patient, clearance) };
  const limit = limitFor(rule, seen);
  // Each finding as the order meets it now, with the message its check gives today.
  const covered = (code: ClinicalRefusalCode, finding: RefusalFinding, refusal: MedicationRefusal | null): boolean =>
    overrideCovers(order.overridden, { code, finding, message: refusal?.message ?? null });
  const daily = order.dailyDose;
  // An order in the override band (ibuprofen up to 3200 mg with a reason) is held to the band's top.
  const band = limit.because.length === 0 && limit.absoluteMax !== undefined;
  const bandRefusal = band ? maxDoseRefusal(rule, daily, { thousandths: Math.round(daily * DOSE_SCALE), sourcesText: '' }, limit) : null;
  const drugMax = band && covered('MAX_DAILY_DOSE_EXCEEDED', { limit: limit.maxDaily }, bandRefusal) ? limit.absoluteMax! : limit.maxDaily;
  const loweredBy = limit.because.length > 0 ? listOf(limit.because.map((f) => RISK_FACTOR_WORDS[f])) : null;
  const renal = renalRowFor(rule, seen, clearance);
  const ruledOut = [severeRenalRefusal(rule, seen, clearance), ...contraindicationRefusals(rule, seen)]
    .filter((r): r is MedicationRefusal => r !== null && !covered(r.code, r.finding ?? {}, r))
    .map((r) => ({ ...r, message: r.message + overrideNotCovering(order.overridden, r.code, rule.unit) }));
  const base = { drug: rule.drug, unit: rule.unit, ruledOut };
  if (renal && renal.row.maxDaily < drugMax && !covered('RENAL_DOSE_EXCEEDED', { limit: renal.row.maxDaily }, renalDoseRefusal(rule, daily, renal, clearance, limit.maxDaily))) {
    const seenAs = clearance === null ? 'renal impairment recorded without a clearance' : `${clearance} mL/min recorded`;
    const overrideNote = overrideNotCovering(order.overridden, 'RENAL_DOSE_EXCEEDED', rule.unit);
    return { ...base, maxDaily: renal.row.maxDaily, code: 'RENAL_DOSE_EXCEEDED', loweredBy: `a creatinine clearance of ${renal.range} (${seenAs})`, overrideNote };
  }
  return { ...base, maxDaily: drugMax, code: 'MAX_DAILY_DOSE_EXCEEDED', loweredBy, overrideNote: '' };
}

/** The risk factors an intake's medical answers record (absent answers are "no"). */
export function riskFactorsOf(medical: Partial<Record<RiskFactor, unknown>>, opioidInUse = false): PatientRiskFactors {
  const yes = (factor: RiskFactor): boolean => medical[factor] === true;
  return {
    hepaticImpairment: yes('hepaticImpairment'),
    renalImpairment: yes('renalImpairment'),
    giBleedHistory: yes('giBleedHistory'),
    heartFailure: yes('heartFailure'),
    cardiacDisease: yes('cardiacDisease'),
    anticoagulants: yes('anticoagulants'),
    heavyAlcoholUse: yes('heavyAlcoholUse'),
    respiratoryDisease: yes('respiratoryDisease'),
    benzodiazepineUse: yes('benzodiazepineUse'),
    opioidInUse,
  };
}

/** A patient with none of the risk factors: the default limits. */
export const NO_RISK_FACTORS: PatientRiskFactors = {
  hepaticImpairment: false,
  renalImpairment: false,
  giBleedHistory: false,
  heartFailure: false,
  cardiacDisease: false,
  anticoagulants: false,
  heavyAlcoholUse: false,
  respiratoryDisease: false,
  benzodiazepineUse: false,
  opioidInUse: false,
};

/** True when every refusal may be overridden (and there is at least one): the order needs a reason. */
export function needsOverride(check: MedicationCheck): boolean {
  return check.refusals.length > 0 && check.refusals.every((r) => r.overridable);
}
