/**
 * The step rules of a taper (domain.md §7; rules 3–8 of taper.ts), in exact integers.
 * Doses are thousandths of a unit; a planned dose is carried ×10 000 so that a percent with two
 * decimals of a dose with three decimals stays a whole number.
 */
import { ClinicalRuleError, type ClinicalWarning } from './clinical-error.js';
import { dailyMmeOf } from './mme.js';
import { dateOfDayNumber, LAST_DAY } from './calendar-dates.js';
import { ceilDiv, fromThousandths, percentOf } from './taper-doses.js';
import { firstDayOutsidePauses, type PauseWindow } from './taper-pauses.js';
import type { TaperPlan } from './taper-plan.js';
import type { OpioidTaperStep } from './taper-types.js';

/** Scale of a planned dose: thousandths × 10 000 (percent hundredths × dose thousandths). */
const PLAN_SCALE = 10_000;

/** Where a schedule stands: its last step's number, dose (thousandths) and day number. */
export interface TaperCursor {
  step: number;
  dose: number;
  day: number;
}

export interface NextDose {
  dose: number;
  days: number;
  stretched: boolean;
  /** The CDC-pattern cap held the cut to maxSingleCutPercent of the previous dose. */
  limited: boolean;
}

/** Above the switch, the START basis (and the rate rule) still refer to the starting dose. */
export function aboveSwitch(plan: TaperPlan, dose: number): boolean {
  return dose * 1_000_000 > plan.switchMillionths * plan.start;
}

/**
 * Rule 7c: a CDC-pattern order (at most cdcPatternStepPercent of its base per step) on the START
 * basis never cuts more than maxSingleCutPercent of the previous dose: the lowest planned dose
 * (× PLAN_SCALE) it allows, or null where the cap does not apply.
 */
function cdcFloor(plan: TaperPlan, prev: number, startBased: boolean): number | null {
  if (!startBased || plan.percentHundredths > plan.cdcStepHundredths) return null;
  return prev * (PLAN_SCALE - plan.maxSingleCutHundredths);
}

/** Rules 4–5: the planned dose (× PLAN_SCALE) as a dose, before the one-quantum fallback. */
function roundedUp(plan: TaperPlan, planned: number): number {
  if (planned <= plan.target * PLAN_SCALE) return plan.target;
  // Round the planned dose UP to the quantum: never cut more than planned.
  return ceilDiv(planned, plan.quantum * PLAN_SCALE) * plan.quantum;
}

/** Rules 3–6 and 7c: the next dose after `prev` and the days until it. */
export function nextDose(plan: TaperPlan, prev: number): NextDose {
  const { intervalDays, quantum } = plan;
  const startBased = plan.basis === 'START' && aboveSwitch(plan, prev);
  const plannedCut = plan.percentHundredths * (startBased ? plan.start : prev);
  const uncapped = prev * PLAN_SCALE - plannedCut;
  const floor = cdcFloor(plan, prev, startBased);
  const rounded = roundedUp(plan, floor === null ? uncapped : Math.max(uncapped, floor));
  const limited = rounded !== roundedUp(plan, uncapped);
  if (rounded < prev) return { dose: rounded, days: intervalDays, stretched: false, limited };
  const dose = prev - quantum;
  // The final stop is exempt from the rate rule, so it is not stretched.
  if (dose === 0) return { dose, days: intervalDays, stretched: false, limited };
  const days = Math.max(intervalDays, ceilDiv(intervalDays * quantum * PLAN_SCALE, plannedCut));
  return { dose, days, stretched: days > intervalDays, limited };
}

/**
 * The fewest days after a step at `prev` that a step to `dose` may come and keep the ordered pace
 * (the stretch of rule 5 applied to any cut); the final stop to 0 is exempt.
 */
export function minimumDaysBetween(plan: TaperPlan, prev: number, dose: number): number {
  if (dose === 0) return plan.intervalDays;
  const base = plan.basis === 'START' && aboveSwitch(plan, prev) ? plan.start : prev;
  return Math.max(plan.intervalDays, ceilDiv(plan.intervalDays * (prev - dose) * PLAN_SCALE, plan.percentHundredths * base));
}

export function stepOf(plan: TaperPlan, cursor: TaperCursor, prevDose: number | null): OpioidTaperStep {
  const dailyDose = fromThousandths(cursor.dose);
  return {
    step: cursor.step,
    startsOn: dateOfDayNumber(cursor.day),
    dailyDose,
    dailyMme: plan.converted ? dailyMmeOf(plan.drug, plan.formulation, dailyDose) : null,
    reductionPercent: prevDose === null ? 0 : percentOf(prevDose - cursor.dose, prevDose),
    percentOfStart: percentOf(cursor.dose, plan.start),
  };
}

function checkStop(plan: TaperPlan, prev: number): void {
  if (prev <= plan.smallestStrength || plan.lifeThreatening) return;
  const from = fromThousandths(prev);
  const smallest = fromThousandths(plan.smallestStrength);
  throw new ClinicalRuleError(
    'ABRUPT_DISCONTINUATION',
    `The schedule would stop from ${from} a day, more than the smallest strength (${smallest}): never stop abruptly ` +
      `unless the situation is life-threatening (give lifeThreateningReason).`,
    'reductionPercent',
  );
}

function checkLength(plan: TaperPlan, cursor: TaperCursor): void {
  if (cursor.step <= plan.maxSteps && cursor.day <= LAST_DAY) return;
  throw new ClinicalRuleError(
    'SCHEDULE_TOO_LONG',
    `The schedule would need more than ${plan.maxSteps} steps or run past 9999: raise the reduction or the target.`,
    'reductionPercent',
  );
}

export interface TaperContinuation {
  steps: OpioidTaperStep[];
  warnings: ClinicalWarning[];
}

/** What happened along the way, for the warnings. */
interface Flags {
  stretched: boolean;
  abrupt: boolean;
  limited: boolean;
  largeCuts: OpioidTaperStep[];
}

/**
 * Steps after `from` down to the target; the first falls no earlier than `earliestDay`, and none
 * starts inside a pause: a step due in one starts the day it ends, and the later steps follow on.
 */
export function continueTaper(plan: TaperPlan, from: TaperCursor, earliestDay: number, pauses: readonly PauseWindow[] = []): TaperContinuation {
  const steps: OpioidTaperStep[] = [];
  const flags: Flags = { stretched: false, abrupt: false, limited: false, largeCuts: [] };
  let cursor = from;
  while (cursor.dose > plan.target) {
    const next = nextDose(plan, cursor.dose);
    if (next.dose === 0) checkStop(plan, cursor.dose);
    flags.abrupt ||= next.dose === 0 && cursor.dose > plan.smallestStrength;
    flags.stretched ||= next.stretched;
    flags.limited ||= next.limited;
    const due = cursor.day + next.days;
    const day = firstDayOutsidePauses(steps.length === 0 ? Math.max(due, earliestDay) : due, pauses);
    const following: TaperCursor = { step: cursor.step + 1, dose: next.dose, day };
    checkLength(plan, following);
    steps.push(stepOf(plan, following, cursor.dose));
    if (isLargeCut(plan, cursor.dose, next.dose)) flags.largeCuts.push(steps[steps.length - 1]);
    cursor = following;
  }
  return { steps, warnings: [...continuationWarnings(plan, flags), ...largeCutWarnings(plan, flags.largeCuts)] };
}

/**
 * The rate rule averages a cut over the days before the next step, so one 90% cut followed by a
 * nine-week wait passes it. Not counted: a cut of one quantum (nothing smaller is possible) and
 * the final stop to 0 (rule 6 has its own check).
 */
export function isLargeCut(plan: Pick<TaperPlan, 'quantum' | 'maxSingleCutHundredths'>, prev: number, dose: number): boolean {
  const cut = prev - dose;
  return dose > 0 && cut > plan.quantum && cut * 10_000 > plan.maxSingleCutHundredths * prev;
}

/** Rule 7b: refused (LARGE_SINGLE_CUT) unless an override or life-threatening reason is given; then a warning. */
function largeCutWarnings(plan: TaperPlan, steps: OpioidTaperStep[]): ClinicalWarning[] {
  if (steps.length === 0) return [];
  const listed = steps.map((s) => `step ${s.step} cuts ${s.reductionPercent}% (to ${s.dailyDose} on ${s.startsOn})`).join('; ');
  const what =
    `${steps.length === 1 ? 'One step cuts' : `${steps.length} steps cut`} more than ${plan.maxSingleCutHundredths / 100}% of the previous dose at once: ${listed}. ` +
    'CDC 2022 advises against large cuts from a higher dose, whatever the wait after them';
  if (!plan.overridden && !plan.lifeThreatening) {
    throw new ClinicalRuleError('LARGE_SINGLE_CUT', `${what}: give smaller, more frequent steps, or an override reason.`, 'reductionPercent');
  }
  return [{ code: 'LARGE_SINGLE_CUT', message: `${what}. Allowed with the recorded reason.` }];
}

function continuationWarnings(plan: TaperPlan, flags: Flags): ClinicalWarning[] {
  const { stretched, abrupt, limited } = flags;
  const warnings: ClinicalWarning[] = [];
  if (stretched) {
    const quantum = fromThousandths(plan.quantum);
    warnings.push({
      code: 'INTERVAL_STRETCHED',
      message: `Near the end the planned cut is smaller than the smallest possible one (${quantum}), so those steps cut ${quantum} and wait longer to keep the ordered pace.`,
    });
  }
  if (abrupt) {
    warnings.push({
      code: 'ABRUPT_DISCONTINUATION',
      message: `The schedule stops from more than the smallest strength (${fromThousandths(plan.smallestStrength)}) a day, allowed for the recorded life-threatening reason.`,
    });
  }
  if (limited) {
    const max = plan.maxSingleCutHundredths / 100;
    warnings.push({
      code: 'SINGLE_CUT_LIMITED',
      message: `Just above 30% of the starting dose a cut of ${plan.percentHundredths / 100}% of the start would be more than ${max}% of the dose left, so those steps cut at most ${max}% (no large single cut).`,
    });
  }
  return warnings;
}

/** The whole schedule: the starting dose on the start date, then the steps down to the target. */
export function scheduleFromStart(plan: TaperPlan, pauses: readonly PauseWindow[] = []): TaperContinuation {
  const first: TaperCursor = { step: 1, dose: plan.start, day: plan.startDay };
  const rest = continueTaper(plan, first, plan.startDay, pauses);
  return { steps: [stepOf(plan, first, null), ...rest.steps], warnings: rest.warnings };
}
