/**
 * Checks a taper order's inputs and turns them into the exact integers the step rules use
 * (taper-steps.ts), and applies the requested-rate guidance (domain.md §7).
 */
import { ClinicalRuleError, type ClinicalWarning } from './clinical-error.js';
import { canonicalDrugCode, hasMmeFactor, opioidUnitOf, type OpioidFormulation } from './mme.js';
import { dayNumberOf } from './calendar-dates.js';
import { fromThousandths, percentOf, quantumThousandths, smallestStrengthThousandths, thousandthsOrNull } from './taper-doses.js';
import type { TaperBasis, TaperParams, TaperRules } from './taper-types.js';

/** An interval or pause longer than a year is a typing error, not a taper. */
export const MAX_INTERVAL_DAYS = 365;

/** A validated order in integers: doses in thousandths, percents in hundredths, days as day numbers. */
export interface TaperPlan {
  drug: string;
  formulation: OpioidFormulation;
  start: number;
  target: number;
  quantum: number;
  smallestStrength: number;
  /** reductionPercent × 100. */
  percentHundredths: number;
  intervalDays: number;
  basis: TaperBasis;
  startDay: number;
  /** switchFractionOfStart × 10⁶. */
  switchMillionths: number;
  maxSteps: number;
  /** maxSingleCutPercent × 100. */
  maxSingleCutHundredths: number;
  /** cdcPatternStepPercent × 100. */
  cdcStepHundredths: number;
  lifeThreatening: boolean;
  /** An override reason was given (FASTER_THAN_GUIDANCE, LARGE_SINGLE_CUT). */
  overridden: boolean;
  /** The drug has an MME factor; false for buprenorphine (steps show dailyMme null). */
  converted: boolean;
}

/** Non-blank text: a reason of spaces is no reason. */
export function hasReason(reason: string | null | undefined): boolean {
  return typeof reason === 'string' && reason.trim().length > 0;
}

/** value × 10^decimals as an integer, or null when it has more decimals than that. */
function scaledOrNull(value: unknown, decimals: number): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const scaled = value * 10 ** decimals;
  return Math.abs(scaled - Math.round(scaled)) > 1e-6 ? null : Math.round(scaled);
}

export function isWholeDays(value: unknown, max = MAX_INTERVAL_DAYS): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= max;
}

export interface ScaledRules {
  maxWeeklyHundredths: number;
  switchMillionths: number;
  maxSteps: number;
  maxSingleCutHundredths: number;
  cdcStepHundredths: number;
  longTermMonths: number;
  maxLongTermHundredths: number;
}

const percentProblem = (value: number | null, name: string): string =>
  value === null || value <= 0 || value > 10_000 ? `${name} must be in (0, 100] with at most 2 decimals.` : '';

export function scaleRules(rules: TaperRules): ScaledRules {
  const maxWeekly = scaledOrNull(rules.maxWeeklyReductionPercent, 2);
  const fraction = scaledOrNull(rules.switchFractionOfStart, 6);
  const maxCut = scaledOrNull(rules.maxSingleCutPercent, 2);
  const cdcStep = scaledOrNull(rules.cdcPatternStepPercent, 2);
  const longTerm = scaledOrNull(rules.maxLongTermPercentPer28Days, 2);
  const problems = [
    percentProblem(maxWeekly, 'maxWeeklyReductionPercent'),
    fraction === null || fraction < 0 || fraction > 1_000_000 ? 'switchFractionOfStart must be from 0 to 1 with at most 6 decimals.' : '',
    Number.isInteger(rules.maxSteps) && rules.maxSteps >= 2 ? '' : 'maxSteps must be a whole number of at least 2.',
    percentProblem(maxCut, 'maxSingleCutPercent'),
    percentProblem(cdcStep, 'cdcPatternStepPercent'),
    percentProblem(longTerm, 'maxLongTermPercentPer28Days'),
    Number.isInteger(rules.longTermMonths) && rules.longTermMonths >= 1 ? '' : 'longTermMonths must be a whole number of at least 1.',
  ].filter(Boolean);
  if (problems.length > 0) throw new ClinicalRuleError('INVALID_TAPER_RULES', problems.join(' '));
  return {
    maxWeeklyHundredths: maxWeekly as number,
    switchMillionths: fraction as number,
    maxSteps: rules.maxSteps,
    maxSingleCutHundredths: maxCut as number,
    cdcStepHundredths: cdcStep as number,
    longTermMonths: rules.longTermMonths,
    maxLongTermHundredths: longTerm as number,
  };
}

/**
 * The drug in its own unit (mg, or mcg/h for a patch); a patch cannot be cut. Without
 * `allowUnconverted` (generateTaper, amendTaper) it must have an MME factor; with it
 * (generateOpioidTaper) buprenorphine is tapered too and returns false.
 */
function checkDrug(params: TaperParams, allowUnconverted: boolean): boolean {
  const converted = hasMmeFactor(params.drug, params.formulation);
  if (!converted && !allowUnconverted) {
    throw new ClinicalRuleError('NO_CONVERSION_FACTOR', `${canonicalDrugCode(params.drug)} has no MME factor, so its steps cannot show daily MME.`, 'drug');
  }
  const unit = opioidUnitOf(params.drug, params.formulation);
  if (params.unit !== undefined && unit !== null && params.unit !== unit) {
    throw new ClinicalRuleError('UNIT_MISMATCH', `This opioid is dosed in ${unit}, not ${params.unit}.`, 'unit');
  }
  if (typeof params.allowHalfTablets !== 'boolean') {
    throw new ClinicalRuleError('INVALID_HALF_TABLETS', 'allowHalfTablets must be true or false.', 'allowHalfTablets');
  }
  if (params.formulation === 'TRANSDERMAL' && params.allowHalfTablets) {
    throw new ClinicalRuleError('PATCH_NOT_DIVISIBLE', 'A transdermal patch cannot be cut in half.', 'allowHalfTablets');
  }
  return converted;
}

function checkPace(params: TaperParams): number {
  if (params.basis !== 'START' && params.basis !== 'CURRENT') {
    throw new ClinicalRuleError('INVALID_BASIS', 'basis must be START or CURRENT.', 'basis');
  }
  const percent = scaledOrNull(params.reductionPercent, 2);
  if (percent === null || percent <= 0 || percent > 10_000) {
    throw new ClinicalRuleError('INVALID_REDUCTION_PERCENT', 'reductionPercent must be more than 0 and at most 100, with at most 2 decimals.', 'reductionPercent');
  }
  if (!isWholeDays(params.intervalDays)) {
    throw new ClinicalRuleError('INVALID_INTERVAL', `intervalDays must be a whole number from 1 to ${MAX_INTERVAL_DAYS}.`, 'intervalDays');
  }
  return percent;
}

/** Start and target: achievable (whole multiples of the quantum), 0 ≤ target < start. */
function checkDoses(params: TaperParams, quantum: number): { start: number; target: number } {
  const q = fromThousandths(quantum);
  const start = thousandthsOrNull(params.startDailyDose);
  if (start === null || start === 0 || start % quantum !== 0) {
    const why = `The starting dose must be a whole multiple of ${q} (the smallest strength${quantumNote(params)}), more than 0.`;
    throw new ClinicalRuleError('DOSE_NOT_ACHIEVABLE', why, 'startDailyDose');
  }
  const target = thousandthsOrNull(params.targetDailyDose);
  if (target === null || target >= start || target % quantum !== 0) {
    const why = `The target dose must be 0 or a whole multiple of ${q} (the smallest strength${quantumNote(params)}), below the starting dose.`;
    throw new ClinicalRuleError('DOSE_NOT_ACHIEVABLE', why, 'targetDailyDose');
  }
  return { start, target };
}

function quantumNote(params: TaperParams): string {
  const halved = params.allowHalfTablets === true ? ', halved' : '';
  // The patch labelled "12" delivers 12.5 mcg/h; listed as 12, the 25 and 50 patches are not multiples of it.
  const patch12 = canonicalDrugCode(params.drug) === 'fentanyl' && params.unitStrengths.includes(12) ? '; the fentanyl patch labelled 12 delivers 12.5 mcg/h: list it as 12.5' : '';
  return halved + patch12;
}

/** Validates an order and scales it; throws ClinicalRuleError naming the first unusable field. */
export function planOf(params: TaperParams, rules: ScaledRules, allowUnconverted = false): TaperPlan {
  const converted = checkDrug(params, allowUnconverted);
  const quantum = quantumThousandths(params);
  const percentHundredths = checkPace(params);
  const startDay = dayNumberOf(params.startDate, 'startDate');
  const { start, target } = checkDoses(params, quantum);
  return {
    drug: canonicalDrugCode(params.drug),
    formulation: params.formulation,
    start,
    target,
    quantum,
    smallestStrength: smallestStrengthThousandths(params.unitStrengths),
    percentHundredths,
    intervalDays: params.intervalDays,
    basis: params.basis,
    startDay,
    switchMillionths: rules.switchMillionths,
    maxSteps: rules.maxSteps,
    maxSingleCutHundredths: rules.maxSingleCutHundredths,
    cdcStepHundredths: rules.cdcStepHundredths,
    lifeThreatening: hasReason(params.lifeThreateningReason),
    overridden: hasReason(params.overrideReason),
    converted,
  };
}

/** reductionPercent × 7 ÷ intervalDays, rounded half up to 2 decimals. */
export function requestedWeeklyRate(plan: Pick<TaperPlan, 'percentHundredths' | 'intervalDays'>): number {
  return percentOf(plan.percentHundredths * 7, plan.intervalDays * 10_000);
}

/**
 * Rule 7: a requested rate over the limit is refused without an override reason, and kept as a
 * warning with one. Compared exactly: percent × 7 > limit × intervalDays, in hundredths.
 */
export function rateWarnings(plan: TaperPlan, rules: ScaledRules, overrideReason: string | null | undefined): ClinicalWarning[] {
  if (plan.percentHundredths * 7 <= rules.maxWeeklyHundredths * plan.intervalDays) return [];
  const limit = rules.maxWeeklyHundredths / 100;
  const message =
    `${plan.percentHundredths / 100}% every ${plan.intervalDays} days is ${requestedWeeklyRate(plan)}% per week, ` +
    `faster than the guidance limit of ${limit}% per week (CDC 2022).`;
  if (!hasReason(overrideReason)) {
    throw new ClinicalRuleError('FASTER_THAN_GUIDANCE', `${message} Slow it down or give an override reason.`, 'reductionPercent');
  }
  return [{ code: 'FASTER_THAN_GUIDANCE', message: `${message} Allowed with the recorded override reason.` }];
}
