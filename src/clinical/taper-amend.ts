/**
 * Amendments to a signed taper order (domain.md §7, rule 9). A signed order never changes: an
 * amendment returns the steps and parameters of a new version that supersedes it from
 * `effectiveFrom`. `today` is the clinic's date, passed in (no clock here).
 *
 * - effectiveFrom before today → AMENDMENT_IN_PAST. At least one of pauseDays (whole days ≥ 1),
 *   reductionPercent, intervalDays → else EMPTY_AMENDMENT.
 * - Kept untouched: every step that starts before effectiveFrom or has started by today (a
 *   leading run of the schedule). When every step is kept there is nothing left to amend
 *   (NOTHING_TO_AMEND).
 * - A pause alone moves every step that is not kept by exactly pauseDays (the current dose
 *   continues meanwhile); when nothing is kept yet, the whole schedule and its start date move.
 * - A new reductionPercent and/or intervalDays replaces the order's from then on and regenerates
 *   every step that is not kept, from the last kept step by rules 3–6 of taper.ts; the first new
 *   step is due no earlier than lastKept + its interval and no earlier than effectiveFrom +
 *   pauseDays. START still refers to the ORIGINAL starting dose (the 30% switch, percentOfStart).
 *   Nothing kept yet: the schedule is regenerated from the starting dose on the (paused) start date.
 * - The new rate meets the same guidance: FASTER_THAN_GUIDANCE and LARGE_SINGLE_CUT unless
 *   amendment.overrideReason (which becomes the new version's overrideReason: an old override
 *   does not cover a new rate); ABRUPT_DISCONTINUATION unless the order's lifeThreateningReason.
 *   The regenerated part carries the long-term guidance and the drug's cautions again.
 * - Each pause is appended to `pauses`; step numbers stay 1..n.
 */
import { ClinicalRuleError, type ClinicalWarning } from './clinical-error.js';
import { addDays, dayNumberOf } from './taper-dates.js';
import { thousandthsOrNull } from './taper-doses.js';
import { drugCautions, longTermWarnings } from './taper-guidance.js';
import { isWholeDays, MAX_INTERVAL_DAYS, planOf, rateWarnings, requestedWeeklyRate, type ScaledRules, scaleRules } from './taper-plan.js';
import { continueTaper, scheduleFromStart } from './taper-steps.js';
import {
  type AmendedOpioidTaper,
  type AmendedTaper,
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

function amendingOf(current: CurrentOpioidTaper, amendment: TaperAmendment, today: string, rules: ScaledRules, options: Pick<Amending, 'allowUnconverted' | 'context'>): Amending {
  planOf(current.params, rules, options.allowUnconverted);
  if (current.steps.length === 0) throw new ClinicalRuleError('INVALID_SCHEDULE', 'The order to amend has no steps.', 'steps');
  const todayDay = dayNumberOf(today, 'today');
  const fromDay = dayNumberOf(amendment.effectiveFrom, 'effectiveFrom');
  if (fromDay < todayDay) {
    throw new ClinicalRuleError('AMENDMENT_IN_PAST', `An amendment takes effect today (${today}) or later.`, 'effectiveFrom');
  }
  const pauseDays = pauseDaysOf(amendment);
  if (pauseDays === 0 && !changesRate(amendment)) {
    throw new ClinicalRuleError('EMPTY_AMENDMENT', 'Give pauseDays, a new reductionPercent or a new intervalDays.');
  }
  const kept = keptCount(current.steps, fromDay, todayDay);
  if (kept === current.steps.length) {
    throw new ClinicalRuleError('NOTHING_TO_AMEND', 'Every step of this schedule has already started.', 'effectiveFrom');
  }
  return { current, amendment, fromDay, pauseDays, kept, rules, ...options };
}

/** A pause alone: every step not kept moves by exactly pauseDays. */
function pause(a: Amending): Amended {
  const { params, steps } = a.current;
  const moved = steps.map((s, i) => (i < a.kept ? { ...s } : { ...s, startsOn: addDays(s.startsOn, a.pauseDays) }));
  const startDate = a.kept === 0 ? addDays(params.startDate, a.pauseDays) : params.startDate;
  const plan = planOf(params, a.rules, a.allowUnconverted);
  return { params: { ...params, startDate }, steps: moved, warnings: [], requestedWeeklyRatePercent: requestedWeeklyRate(plan) };
}

function amendedParams(a: Amending): TaperParams {
  const { params } = a.current;
  return {
    ...params,
    reductionPercent: a.amendment.reductionPercent ?? params.reductionPercent,
    intervalDays: a.amendment.intervalDays ?? params.intervalDays,
    overrideReason: a.amendment.overrideReason ?? null,
    startDate: a.kept === 0 ? addDays(params.startDate, a.pauseDays) : params.startDate,
  };
}

/** A new rate or interval (with or without a pause): the steps not kept are regenerated. */
function regenerate(a: Amending): Amended {
  const params = amendedParams(a);
  const plan = planOf(params, a.rules, a.allowUnconverted);
  const guidance: ClinicalWarning[] = rateWarnings(plan, a.rules, params.overrideReason);
  const kept = a.current.steps.slice(0, a.kept).map((s) => ({ ...s }));
  const requestedWeeklyRatePercent = requestedWeeklyRate(plan);
  const after = (steps: OpioidTaperStep[]): ClinicalWarning[] => [...longTermWarnings(steps, plan, a.rules, a.context, Math.max(1, a.kept)), ...drugCautions(plan)];
  if (a.kept === 0) {
    const fresh = scheduleFromStart(plan);
    return { params, steps: fresh.steps, warnings: [...guidance, ...fresh.warnings, ...after(fresh.steps)], requestedWeeklyRatePercent };
  }
  const last = kept[kept.length - 1];
  const dose = thousandthsOrNull(last.dailyDose);
  if (dose === null) throw new ClinicalRuleError('INVALID_SCHEDULE', `Step ${last.step} has an unusable dose.`, 'steps');
  const from = { step: a.kept, dose, day: dayNumberOf(last.startsOn) };
  const rest = continueTaper(plan, from, a.fromDay + a.pauseDays);
  if (rest.steps.length === 0) throw new ClinicalRuleError('NOTHING_TO_AMEND', 'The kept steps already reach the target.', 'effectiveFrom');
  const steps = [...kept, ...rest.steps];
  return { params, steps, warnings: [...guidance, ...rest.warnings, ...after(steps)], requestedWeeklyRatePercent };
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
  return amend(current, amendment, today, rules, { allowUnconverted: false, context }) as AmendedTaper;
}

/** As amendTaper, for any opioid (buprenorphine steps have dailyMme null). */
export function amendOpioidTaper(
  current: CurrentOpioidTaper,
  amendment: TaperAmendment,
  today: string,
  rules: TaperRules = DEFAULT_TAPER_RULES,
  context: TaperContext = {},
): AmendedOpioidTaper {
  return amend(current, amendment, today, rules, { allowUnconverted: true, context });
}

function amend(current: CurrentOpioidTaper, amendment: TaperAmendment, today: string, rules: TaperRules, options: Pick<Amending, 'allowUnconverted' | 'context'>): AmendedOpioidTaper {
  const a = amendingOf(current, amendment, today, scaleRules(rules), options);
  const amended = changesRate(amendment) ? regenerate(a) : pause(a);
  const added: TaperPause[] = a.pauseDays > 0 ? [{ from: amendment.effectiveFrom, days: a.pauseDays }] : [];
  return {
    ...amended,
    endsOn: amended.steps[amended.steps.length - 1].startsOn,
    pauses: [...current.pauses.map((p) => ({ ...p })), ...added],
    keptSteps: a.kept,
  };
}
