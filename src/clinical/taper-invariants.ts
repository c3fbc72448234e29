/**
 * The invariants every taper schedule meets (domain.md §7, rule 10), checked from the steps
 * alone and written apart from the generator on purpose (BigInt arithmetic, its own date and
 * dose parsing), so that a generator bug cannot hide behind a shared helper:
 *
 * - step numbers 1..n; the first step is the starting dose on the start date;
 * - doses strictly fall, each a whole multiple of the quantum; the last is the target;
 * - consecutive steps at least intervalDays apart;
 * - every step's rate (prev − dose) ÷ reference × 100 × 7 ÷ days ≤ maxWeeklyReductionPercent,
 *   reference = start while prev > switchFractionOfStart × start, else prev; the final stop to
 *   0 is exempt; the rate check is skipped when overrideReason is given;
 * - no stop to 0 from more than the smallest strength unless lifeThreateningReason is given;
 * - no step starts inside a pause (when the pauses are given);
 * - no step above 0 cuts more than maxSingleCutPercent of the previous dose and more than one
 *   quantum unless overrideReason or lifeThreateningReason is given;
 * - dailyMme = dailyMmeOf(dose), or null for a drug without a factor; reductionPercent and
 *   percentOfStart within rounding of the doses.
 */
import { dailyMmeOf, hasMmeFactor } from './mme.js';
import { DEFAULT_TAPER_RULES, type OpioidTaperStep, type TaperParams, type TaperPause, type TaperRules } from './taper-types.js';

export interface InvariantScope {
  /**
   * Check spacing and rates only for the steps from this number on (an amended version's new
   * part, whose parameters are `params`); the earlier steps came from an older version.
   */
  fromStep?: number;
  /** The version's pauses: no step may start inside one. */
  pauses?: readonly TaperPause[];
}

/** Exact integer of value × 10^decimals, or null when value has more decimals. */
function exact(value: number, decimals: number): bigint | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const scaled = Math.round(value * 10 ** decimals);
  return scaled / 10 ** decimals === value ? BigInt(scaled) : null;
}

function utcDay(date: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const ms = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date ? null : ms / 86_400_000;
}

interface Context {
  steps: readonly OpioidTaperStep[];
  params: TaperParams;
  rules: TaperRules;
  doses: (bigint | null)[];
  start: bigint | null;
  fromStep: number;
  pauses: readonly TaperPause[];
}

function numbering({ steps }: Context): string[] {
  return steps.flatMap((s, i) => (s.step === i + 1 ? [] : [`Step at position ${i + 1} is numbered ${s.step}.`]));
}

function firstAndLast({ steps, params, doses, start }: Context): string[] {
  const problems: string[] = [];
  const first = steps[0];
  if (start === null || doses[0] !== start) problems.push(`The first step is ${first.dailyDose}, not the starting dose ${params.startDailyDose}.`);
  if (first.startsOn !== params.startDate) problems.push(`The first step starts on ${first.startsOn}, not on the start date ${params.startDate}.`);
  const last = steps[steps.length - 1];
  if (doses[doses.length - 1] !== exact(params.targetDailyDose, 3)) {
    problems.push(`The last step is ${last.dailyDose}, not the target ${params.targetDailyDose}.`);
  }
  return problems;
}

function quantumOfParams(params: TaperParams): bigint | null {
  const strengths = params.unitStrengths.map((s) => exact(s, 3));
  if (strengths.length === 0 || strengths.some((s) => s === null || s <= 0n)) return null;
  const smallest = (strengths as bigint[]).reduce((a, b) => (b < a ? b : a));
  if (!params.allowHalfTablets) return smallest;
  return smallest % 2n === 0n ? smallest / 2n : null;
}

function dosesFallAndAchievable({ steps, params, doses }: Context): string[] {
  const quantum = quantumOfParams(params);
  const problems = quantum === null ? ['The unit strengths give no usable quantum.'] : [];
  doses.forEach((dose, i) => {
    const label = `Step ${steps[i].step} (${steps[i].dailyDose})`;
    if (dose === null || dose < 0n) problems.push(`${label} is not a dose with at most 3 decimals.`);
    else if (quantum !== null && dose % quantum !== 0n) problems.push(`${label} is not a whole multiple of ${Number(quantum) / 1000}.`);
    const prev = i > 0 ? doses[i - 1] : null;
    if (dose !== null && prev !== null && dose >= prev) problems.push(`${label} does not fall from ${steps[i - 1].dailyDose}.`);
  });
  return problems;
}

/** Transitions into the steps the scope covers: [previous index, index]. */
function transitions(ctx: Context): [number, number][] {
  return ctx.steps.flatMap((_, i) => (i > 0 && i + 1 >= ctx.fromStep ? [[i - 1, i] as [number, number]] : []));
}

function spacing(ctx: Context): string[] {
  return transitions(ctx).flatMap(([p, i]) => {
    const [from, to] = [utcDay(ctx.steps[p].startsOn), utcDay(ctx.steps[i].startsOn)];
    if (from === null || to === null) return [`Step ${i + 1} or the one before has no real date.`];
    const days = to - from;
    return days >= ctx.params.intervalDays ? [] : [`Step ${i + 1} comes ${days} days after the previous one, less than ${ctx.params.intervalDays}.`];
  });
}

function reference(ctx: Context, prev: bigint): bigint | null {
  const fraction = exact(ctx.rules.switchFractionOfStart, 6);
  if (fraction === null || ctx.start === null) return null;
  return prev * 1_000_000n > fraction * ctx.start ? ctx.start : prev;
}

function isFinalStop(ctx: Context, i: number): boolean {
  return i === ctx.steps.length - 1 && ctx.doses[i] === 0n;
}

/** (prev − dose) ÷ reference × 100 × 7 ÷ days ≤ limit, i.e. cut × 70 000 ≤ limit×100 × reference × days. */
function rates(ctx: Context): string[] {
  if (typeof ctx.params.overrideReason === 'string' && ctx.params.overrideReason.trim() !== '') return [];
  const limit = exact(ctx.rules.maxWeeklyReductionPercent, 2);
  return transitions(ctx).flatMap(([p, i]) => {
    const [prev, dose] = [ctx.doses[p], ctx.doses[i]];
    const [from, to] = [utcDay(ctx.steps[p].startsOn), utcDay(ctx.steps[i].startsOn)];
    if (isFinalStop(ctx, i) || prev === null || dose === null || from === null || to === null || to <= from) return [];
    const ref = reference(ctx, prev);
    if (limit === null || ref === null) return ['The rules or the starting dose cannot be read.'];
    const within = (prev - dose) * 70_000n <= limit * ref * BigInt(to - from);
    return within ? [] : [`Step ${i + 1} cuts faster than ${ctx.rules.maxWeeklyReductionPercent}% per week.`];
  });
}

function abruptStop(ctx: Context): string[] {
  const n = ctx.steps.length;
  const strengths = ctx.params.unitStrengths.map((s) => exact(s, 3) ?? 0n);
  const smallest = strengths.reduce((a, b) => (b < a ? b : a), strengths[0] ?? 0n);
  const prev = n > 1 ? ctx.doses[n - 2] : null;
  const reason = ctx.params.lifeThreateningReason;
  if (!isFinalStop(ctx, n - 1) || prev === null || prev <= smallest) return [];
  if (typeof reason === 'string' && reason.trim() !== '') return [];
  return [`The schedule stops from ${ctx.steps[n - 2].dailyDose}, more than the smallest strength, without a life-threatening reason.`];
}

/** The steps in scope (kept steps are history: one may have started on the day a pause began). */
function outsidePauses({ steps, pauses, fromStep }: Context): string[] {
  const windows = pauses.map((p) => [utcDay(p.from), p.days] as const);
  return steps.slice(fromStep - 1).flatMap((s) => {
    const day = utcDay(s.startsOn);
    const holding = windows.find(([from, days]) => day !== null && from !== null && day >= from && day < from + days);
    return holding ? [`Step ${s.step} starts on ${s.startsOn}, inside a pause.`] : [];
  });
}

const given = (reason: string | null | undefined): boolean => typeof reason === 'string' && reason.trim() !== '';

/** cut × 10 000 > limit (hundredths) × prev, for cuts above one quantum and doses above 0. */
function singleCuts(ctx: Context): string[] {
  if (given(ctx.params.overrideReason) || given(ctx.params.lifeThreateningReason)) return [];
  const limit = exact(ctx.rules.maxSingleCutPercent, 2);
  const quantum = quantumOfParams(ctx.params);
  if (limit === null || quantum === null) return [];
  return transitions(ctx).flatMap(([p, i]) => {
    const [prev, dose] = [ctx.doses[p], ctx.doses[i]];
    if (prev === null || dose === null || dose === 0n || prev - dose <= quantum) return [];
    return (prev - dose) * 10_000n > limit * prev ? [`Step ${i + 1} cuts more than ${ctx.rules.maxSingleCutPercent}% of the previous dose at once.`] : [];
  });
}

const near = (shown: number, exactValue: number): boolean => Math.abs(shown - exactValue) <= 0.005 + 1e-9;

function figures({ steps, params }: Context): string[] {
  return steps.flatMap((s, i) => {
    const problems: string[] = [];
    let mme: number | null = null;
    try {
      mme = hasMmeFactor(params.drug, params.formulation) ? dailyMmeOf(params.drug, params.formulation, s.dailyDose) : null;
    } catch {
      problems.push(`Step ${s.step}: no daily MME can be computed.`);
    }
    if (s.dailyMme !== mme) problems.push(`Step ${s.step}: dailyMme ${s.dailyMme} is not ${mme}.`);
    const prev = i > 0 ? steps[i - 1].dailyDose : null;
    const reduction = prev === null ? 0 : ((prev - s.dailyDose) / prev) * 100;
    if (!near(s.reductionPercent, reduction)) problems.push(`Step ${s.step}: reductionPercent ${s.reductionPercent} is not ${reduction}.`);
    const ofStart = (s.dailyDose / params.startDailyDose) * 100;
    if (!near(s.percentOfStart, ofStart)) problems.push(`Step ${s.step}: percentOfStart ${s.percentOfStart} is not ${ofStart}.`);
    return problems;
  });
}

/** Every broken invariant of domain.md §7, in words; [] when the schedule is sound. */
export function checkTaperInvariants(
  steps: readonly OpioidTaperStep[],
  params: TaperParams,
  rules: TaperRules = DEFAULT_TAPER_RULES,
  scope: InvariantScope = {},
): string[] {
  if (steps.length === 0) return ['The schedule has no steps.'];
  const ctx: Context = {
    steps,
    params,
    rules,
    doses: steps.map((s) => exact(s.dailyDose, 3)),
    start: exact(params.startDailyDose, 3),
    fromStep: scope.fromStep ?? 1,
    pauses: scope.pauses ?? [],
  };
  const checks = [numbering, firstAndLast, dosesFallAndAchievable, spacing, rates, singleCuts, abruptStop, outsidePauses, figures];
  return checks.flatMap((check) => check(ctx));
}
