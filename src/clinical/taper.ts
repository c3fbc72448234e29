/**
 * Taper schedules (domain.md §7): a starting daily dose turned into dated steps down to a target.
 * Pure: no clock (dates are YYYY-MM-DD strings), no framework. The rules, as decided with the
 * product owner:
 *
 * 1. Achievable doses are whole multiples of the "quantum": the smallest listed unit strength,
 *    or half of it when half tablets are allowed (never for a transdermal patch). Start and
 *    target must be achievable with 0 ≤ target < start, else DOSE_NOT_ACHIEVABLE. All dose
 *    arithmetic is exact, in integer thousandths (taper-doses.ts).
 * 2. Step 1 is the starting dose on the start date.
 * 3. Planned cut from the previous dose `prev` = reductionPercent% × base. Basis START: base is
 *    the starting dose while prev > switchFractionOfStart × start (30%, CDC 2022), then prev.
 *    Basis CURRENT: base is always prev.
 * 4. When the planned dose is at or below the target, the next step is the target (the last).
 *    Otherwise the planned dose is rounded UP to the quantum, so no step cuts more than planned;
 *    each cut is taken from the previous dose, not accumulated from the start.
 * 5. When that rounding gives no cut at all (the planned cut is under one quantum), the step cuts
 *    one quantum and waits max(intervalDays, ceil(intervalDays × quantum ÷ plannedCut)) days, so
 *    the ordered pace holds (warning INTERVAL_STRETCHED). Every other step is intervalDays on.
 * 6. The final stop to 0 comes intervalDays after the previous step, never stretched, and is
 *    exempt from the rate rule; from more than the smallest strength a day it is an abrupt
 *    discontinuation: ABRUPT_DISCONTINUATION unless lifeThreateningReason (then a warning).
 * 7. Rate of a step, % per week = (prev − dose) ÷ reference × 100 × 7 ÷ days since the previous
 *    step, reference = start while prev is above the switch, prev after (both bases). The
 *    requested rate reductionPercent × 7 ÷ intervalDays over maxWeeklyReductionPercent →
 *    FASTER_THAN_GUIDANCE, refused unless overrideReason (then a warning). Rules 4–5 keep every
 *    step's rate at or below the requested one.
 * 7b. A step above zero that cuts more than maxSingleCutPercent (default 25) of the previous dose
 *    and more than one quantum → LARGE_SINGLE_CUT, refused unless overrideReason or
 *    lifeThreateningReason (then a warning): the averaged rate of rule 7 lets a large cut through
 *    after a long enough wait (60 → 7.5 mg, then 63 days), CDC 2022 advises against it.
 * 7c. An order of at most cdcPatternStepPercent (10) per step on the START basis holds each cut to
 *    maxSingleCutPercent of the previous dose (SINGLE_CUT_LIMITED): near the 30% switch,
 *    achievable doses off the 10% grid would otherwise cut up to a third; the CDC pattern itself
 *    never cuts more than 25%, so it is never refused.
 * 7d. Warnings beside the steps (taper-guidance.ts): FASTER_THAN_LONG_TERM_GUIDANCE (with the
 *    intake's months on therapy), METHADONE_CAUTION, FENTANYL_PATCH_CAUTION, MME_NOT_APPLICABLE.
 * 8. dailyMme per step from the CDC 2022 table; reductionPercent (of the previous dose) and
 *    percentOfStart rounded half up to 2 decimals. More than maxSteps steps → SCHEDULE_TOO_LONG.
 *
 * Amendments (rule 9) are in taper-amend.ts; the independent invariant check in taper-invariants.ts.
 */
import type { ClinicalWarning } from './clinical-error.js';
import { drugCautions, longTermWarnings } from './taper-guidance.js';
import { planOf, rateWarnings, requestedWeeklyRate, scaleRules } from './taper-plan.js';
import { scheduleFromStart } from './taper-steps.js';
import {
  DEFAULT_TAPER_RULES,
  type OpioidTaperSchedule,
  type TaperContext,
  type TaperParams,
  type TaperRules,
  type TaperSchedule,
} from './taper-types.js';

export * from './taper-types.js';
export { addDays, daysBetween, isCalendarDate } from './calendar-dates.js';
export { isAchievable, quantumOf } from './taper-doses.js';
export { MAX_INTERVAL_DAYS } from './taper-plan.js';
export * from './taper-amend.js';
export * from './taper-invariants.js';
export * from './taper-day.js';
export * from './taper-regimen.js';

function schedule(params: TaperParams, rules: TaperRules, context: TaperContext, allowUnconverted: boolean): OpioidTaperSchedule {
  const scaled = scaleRules(rules);
  const plan = planOf(params, scaled, allowUnconverted);
  const guidance: ClinicalWarning[] = rateWarnings(plan, scaled, params.overrideReason);
  const { steps, warnings } = scheduleFromStart(plan);
  return {
    steps,
    endsOn: steps[steps.length - 1].startsOn,
    warnings: [...guidance, ...warnings, ...longTermWarnings(steps, plan, scaled, context), ...drugCautions(plan)],
    requestedWeeklyRatePercent: requestedWeeklyRate(plan),
  };
}

/**
 * The schedule for an order of an opioid with an MME factor (buprenorphine → NO_CONVERSION_FACTOR,
 * as before v1.1); throws ClinicalRuleError (a 422) for an order the rules refuse. `context`
 * brings the intake's months on therapy for the long-term guidance.
 */
export function generateTaper(params: TaperParams, rules: TaperRules = DEFAULT_TAPER_RULES, context: TaperContext = {}): TaperSchedule {
  // Every step has a daily MME: planOf refused a drug without a factor.
  return schedule(params, rules, context, false) as TaperSchedule;
}

/** As generateTaper, for any opioid: buprenorphine (mg sublingual, mcg/h patch) gets steps with dailyMme null. */
export function generateOpioidTaper(params: TaperParams, rules: TaperRules = DEFAULT_TAPER_RULES, context: TaperContext = {}): OpioidTaperSchedule {
  return schedule(params, rules, context, true);
}
