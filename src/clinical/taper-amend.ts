/**
 * Amendments to a signed taper order (domain.md §7, rule 9). A signed order never changes: an
 * amendment returns the steps and parameters of a new version that supersedes it from
 * `effectiveFrom`. `today` is the clinic's date, passed in (no clock here).
 *
 * - effectiveFrom before today → AMENDMENT_IN_PAST. At least one of pauseDays (whole days ≥ 1),
 *   reductionPercent, intervalDays, endPause → else EMPTY_AMENDMENT.
 * - Kept untouched: every step that starts before effectiveFrom or has started by today (a
 *   leading run of the schedule). When every step is kept there is nothing left to amend
 *   (NOTHING_TO_AMEND).
 * - Pauses (taper-amend-pauses.ts): a pause in force is kept unless ended (endPause, with a
 *   reason) or set anew by pauseDays. No step ever starts inside a pause of the new version.
 * - A pause alone moves every step that is not kept by exactly pauseDays (the current dose
 *   continues meanwhile). A pause from the first step's day keeps that step, so the start dose is
 *   held from the signed start, and later amendments keep that held start; so does a pause from
 *   before the start that runs on past it (for the days it covers of the order). A pause that ends
 *   before the start (nothing kept) moves the whole schedule and its start date.
 *   Ending or resetting a pause in force moves them by the change in its end, never to before
 *   the new end nor nearer the last kept step than intervalDays.
 * - A new reductionPercent and/or intervalDays replaces the order's from then on and regenerates
 *   every step that is not kept, from the last kept step by rules 3–6 of taper.ts; the first new
 *   step is due no earlier than lastKept + its interval, no earlier than effectiveFrom +
 *   pauseDays, and after any pause in force (it used to start inside one). START still
 *   refers to the ORIGINAL starting dose (the 30% switch, percentOfStart). Nothing kept yet: the
 *   schedule is regenerated from the starting dose on the (paused) start date.
 * - The new rate meets the same guidance: FASTER_THAN_GUIDANCE and LARGE_SINGLE_CUT unless
 *   amendment.overrideReason (which becomes the new version's overrideReason: an old override
 *   does not cover a new rate); ABRUPT_DISCONTINUATION unless the order's lifeThreateningReason.
 * - Step numbers stay 1..n.
 */
import { ClinicalRuleError, type ClinicalWarning } from './clinical-error.js';
import { changePauses, type PauseChange, pausesHoldingADose } from './taper-amend-pauses.js';
import { dateOfDayNumber, dayNumberOf } from './calendar-dates.js';
import { thousandthsOrNull } from './taper-doses.js';
import { drugCautions, longTermWarnings } from './taper-guidance.js';
import { firstDayOutsidePauses } from './taper-pauses.js';
import { isWholeDays, MAX_INTERVAL_DAYS, planOf, rateWarnings, requestedWeeklyRate, type ScaledRules, scaleRules, type TaperPlan } from './taper-plan.js';
import { continueTaper, minimumDaysBetween, scheduleFromStart } from './taper-steps.js';
import {
  type AmendedOpioidTaper,
  type AmendedTaper,
  type AmendedTaperOf,
  DEFAULT_TAPER_RULES,
  type OpioidTaperStep,
  type TaperAmendment,
  type TaperContext,
  type TaperParams,
  type TaperPause,
  type TaperRules,
  type TaperStep,
} from './taper-types.js';

export interface CurrentTaperOf<S extends OpioidTaperStep> {
  params: TaperParams;
  steps: S[];
  /** Extra fields (a reason) ride along into the new version's pauses. */
  pauses: TaperPause[];
}
export type CurrentTaper = CurrentTaperOf<TaperStep>;
export type CurrentOpioidTaper = CurrentTaperOf<OpioidTaperStep>;

interface Amending {
  current: CurrentOpioidTaper;
  amendment: TaperAmendment;
  fromDay: number;
  pauseDays: number;
  kept: number;
  rules: ScaledRules;
  pauses: PauseChange<TaperPause>;
  allowUnconverted: boolean;
  context: TaperContext;
}

type Amended = Pick<AmendedOpioidTaper, 'params' | 'steps' | 'warnings' | 'requestedWeeklyRatePercent'>;

const given = (value: number | null | undefined): value is number => value !== undefined && value !== null;

function pauseDaysOf(amendment: TaperAmendment): number {
  if (!given(amendment.pauseDays)) return 0;
  if (!isWholeDays(amendment.pauseDays)) {
    throw new ClinicalRuleError('INVALID_PAUSE', `pauseDays must be a whole number from 1 to ${MAX_INTERVAL_DAYS}.`, 'pauseDays');
  }
  return amendment.pauseDays;
}

function changesRate(amendment: TaperAmendment): boolean {
  return given(amendment.reductionPercent) || given(amendment.intervalDays);
}

/** How many leading steps have started (by today) or start before effectiveFrom. */
function keptCount(steps: readonly OpioidTaperStep[], fromDay: number, todayDay: number): number {
  const index = steps.findIndex((s) => {
    const day = dayNumberOf(s.startsOn, `steps[${s.step - 1}].startsOn`);
    return !(day < fromDay || day <= todayDay);
  });
  return index === -1 ? steps.length : index;
}

/**
 * A pause from the first step's own day, before it has started, holds that step: the order starts
 * as signed and its start dose continues through the pause. Moving the start instead would leave
 * the patient with no dose at all for the pause's days. So does every later amendment while such a
 * held start is in force (a new rate from before the start keeps it, and the new rate follows it).
 */
function holdsFirstStep(current: CurrentOpioidTaper, fromDay: number, pauseDays: number): boolean {
  const { steps } = current;
  if (steps.length < 2) return false;
  const startDay = dayNumberOf(steps[0].startsOn, 'steps[0].startsOn');
  if (fromDay > startDay) return false;
  return (pauseDays > 0 && fromDay === startDay) || current.pauses.some((p) => p.from === steps[0].startsOn);
}

/**
 * A pause from before a signed-ahead start that runs on past it holds the start dose from the start,
 * as a pause from the start itself does, for the days it covers of the order; moving the start
 * would leave the first days of the stay with no dose. Null when the pause is not across the start.
 */
function pauseAcrossStart(steps: readonly OpioidTaperStep[], amendment: TaperAmendment, fromDay: number, pauseDays: number, todayDay: number): TaperAmendment | null {
  if (steps.length < 2 || pauseDays === 0) return null;
  const startDay = dayNumberOf(steps[0].startsOn, 'steps[0].startsOn');
  if (startDay <= todayDay || fromDay >= startDay || fromDay + pauseDays <= startDay) return null;
  return { ...amendment, effectiveFrom: steps[0].startsOn, pauseDays: fromDay + pauseDays - startDay };
}

function amendingOf(current: CurrentOpioidTaper, amendment: TaperAmendment, today: string, rules: ScaledRules, allowUnconverted: boolean): Omit<Amending, 'context'> {
  planOf(current.params, rules, allowUnconverted);
  if (current.steps.length === 0) throw new ClinicalRuleError('INVALID_SCHEDULE', 'The order to amend has no steps.', 'steps');
  const todayDay = dayNumberOf(today, 'today');
  const fromDay = dayNumberOf(amendment.effectiveFrom, 'effectiveFrom');
  if (fromDay < todayDay) {
    throw new ClinicalRuleError('AMENDMENT_IN_PAST', `An amendment takes effect today (${today}) or later.`, 'effectiveFrom');
  }
  const pauseDays = pauseDaysOf(amendment);
  if (pauseDays === 0 && !changesRate(amendment) && amendment.endPause !== true) {
    throw new ClinicalRuleError('EMPTY_AMENDMENT', 'Give pauseDays, a new reductionPercent or intervalDays, or endPause.');
  }
  const heldFromStart = pauseAcrossStart(current.steps, amendment, fromDay, pauseDays, todayDay);
  if (heldFromStart) return amendingOf(current, heldFromStart, today, rules, allowUnconverted);
  const start = current.steps[0].startsOn;
  if (pauseDays > 0 && fromDay + pauseDays <= dayNumberOf(start) && current.pauses.some((p) => p.from === start)) {
    // The start is held from its signed day: a pause ending before it would hold nothing, yet move every cut.
    throw new ClinicalRuleError('NOTHING_TO_AMEND', `This order's first dose is on ${start}, held from then: a pause that ends before it holds nothing. Pause from ${start} instead.`, 'pauseDays');
  }
  const kept = holdsFirstStep(current, fromDay, pauseDays) ? 1 : keptCount(current.steps, fromDay, todayDay);
  if (kept === current.steps.length) {
    throw new ClinicalRuleError('NOTHING_TO_AMEND', 'Every step of this schedule has already started.', 'effectiveFrom');
  }
  const pauses = changePauses(current.pauses, amendment, fromDay, pauseDays);
  return { current, amendment, fromDay, pauseDays, kept, rules, pauses, allowUnconverted };
}

/** Days every step not kept moves: pauseDays, or the change in the end of the hold it resets. */
function shiftOf(a: Amending): number {
  const { replaced, holdEndsDay } = a.pauses;
  return replaced === null || holdEndsDay === null ? a.pauseDays : holdEndsDay - replaced.endDay;
}

/**
 * The earliest day the first step not kept may start: after the hold, and far enough after the
 * last kept step to keep the ordered pace (a pause ended early must not make that step faster).
 */
function earliestAfterPause(a: Amending, plan: TaperPlan, days: readonly number[]): number {
  const holdEnds = a.pauses.holdEndsDay ?? -Infinity;
  if (a.kept === 0) return holdEnds;
  const [prev, next] = [a.current.steps[a.kept - 1], a.current.steps[a.kept]].map((s) => thousandthsOrNull(s.dailyDose));
  if (prev === null || next === null) throw new ClinicalRuleError('INVALID_SCHEDULE', 'A step has an unusable dose.', 'steps');
  return Math.max(days[a.kept - 1] + minimumDaysBetween(plan, prev, next), holdEnds);
}

/** A pause alone (or ended, or reset): the steps not kept move together, out of every pause. */
function pause(a: Amending): Amended {
  const { params, steps } = a.current;
  const plan = planOf(params, a.rules, a.allowUnconverted);
  const days = steps.map((s) => dayNumberOf(s.startsOn));
  const shift = shiftOf(a);
  // Moved later when needed, and everything after it by as much, so no gap ever shrinks.
  let push = Math.max(0, earliestAfterPause(a, plan, days) - (days[a.kept] + shift));
  const moved = steps.map((s, i) => {
    if (i < a.kept) return { ...s };
    const wanted = days[i] + shift + push;
    const day = firstDayOutsidePauses(wanted, a.pauses.windows);
    push += day - wanted;
    return { ...s, startsOn: dateOfDayNumber(day) };
  });
  const startDate = a.kept === 0 ? moved[0].startsOn : params.startDate;
  return { params: { ...params, startDate }, steps: moved, warnings: [], requestedWeeklyRatePercent: requestedWeeklyRate(plan) };
}

function amendedParams(a: Amending): TaperParams {
  const { params } = a.current;
  const startDay = firstDayOutsidePauses(dayNumberOf(params.startDate) + a.pauseDays, a.pauses.windows);
  return {
    ...params,
    reductionPercent: a.amendment.reductionPercent ?? params.reductionPercent,
    intervalDays: a.amendment.intervalDays ?? params.intervalDays,
    overrideReason: a.amendment.overrideReason ?? null,
    startDate: a.kept === 0 ? dateOfDayNumber(startDay) : params.startDate,
  };
}

/** A new rate or interval (with or without a pause): the steps not kept are regenerated, outside every pause. */
function regenerate(a: Amending): Amended {
  const params = amendedParams(a);
  const plan = planOf(params, a.rules, a.allowUnconverted);
  const guidance: ClinicalWarning[] = rateWarnings(plan, a.rules, params.overrideReason);
  const kept = a.current.steps.slice(0, a.kept).map((s) => ({ ...s }));
  const requestedWeeklyRatePercent = requestedWeeklyRate(plan);
  const after = (steps: OpioidTaperStep[]): ClinicalWarning[] => [...longTermWarnings(steps, plan, a.rules, a.context, Math.max(1, a.kept)), ...drugCautions(plan)];
  if (a.kept === 0) {
    const fresh = scheduleFromStart(plan, a.pauses.windows);
    return { params, steps: fresh.steps, warnings: [...guidance, ...fresh.warnings, ...after(fresh.steps)], requestedWeeklyRatePercent };
  }
  const last = kept[kept.length - 1];
  const dose = thousandthsOrNull(last.dailyDose);
  if (dose === null) throw new ClinicalRuleError('INVALID_SCHEDULE', `Step ${last.step} has an unusable dose.`, 'steps');
  const from = { step: a.kept, dose, day: dayNumberOf(last.startsOn) };
  const rest = continueTaper(plan, from, a.fromDay + a.pauseDays, a.pauses.windows);
  if (rest.steps.length === 0) throw new ClinicalRuleError('NOTHING_TO_AMEND', 'The kept steps already reach the target.', 'effectiveFrom');
  const steps = [...kept, ...rest.steps];
  return { params, steps, warnings: [...guidance, ...rest.warnings, ...after(steps)], requestedWeeklyRatePercent };
}

function amend(current: CurrentOpioidTaper, amendment: TaperAmendment, today: string, rules: TaperRules, context: TaperContext, allowUnconverted: boolean): AmendedOpioidTaper {
  const a: Amending = { ...amendingOf(current, amendment, today, scaleRules(rules), allowUnconverted), context };
  const amended = changesRate(amendment) ? regenerate(a) : pause(a);
  // A pause that holds no dose (after the stop, or before a start it moved) is not kept on the version.
  return { ...amended, endsOn: amended.steps[amended.steps.length - 1].startsOn, pauses: pausesHoldingADose(a.pauses.pauses, amended.steps), keptSteps: a.kept };
}

/** The new version's parameters, steps and pauses; throws ClinicalRuleError (a 422) when refused. */
export function amendTaper(
  current: CurrentTaper,
  amendment: TaperAmendment,
  today: string,
  rules: TaperRules = DEFAULT_TAPER_RULES,
  context: TaperContext = {},
): AmendedTaper {
  // planOf refuses a drug without a factor, so every step has a daily MME.
  return amend(current, amendment, today, rules, context, false) as AmendedTaperOf<TaperStep>;
}

/** As amendTaper, for any opioid (buprenorphine steps have dailyMme null). */
export function amendOpioidTaper(
  current: CurrentOpioidTaper,
  amendment: TaperAmendment,
  today: string,
  rules: TaperRules = DEFAULT_TAPER_RULES,
  context: TaperContext = {},
): AmendedOpioidTaper {
  return amend(current, amendment, today, rules, context, true);
}
