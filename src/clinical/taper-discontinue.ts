/**
 * Stopping a taper order before its schedule ends (domain.md §7): the steps started before the
 * stop are kept, a final step of 0 starts on the stop day, and pauses end there. Stopping from
 * more than the smallest strength a day is an abrupt discontinuation, refused unless the
 * situation is life-threatening or a signed rotation already gives the patient another opioid
 * in its place by that day. With no step started before the stop (on or before the first step),
 * the dose stopped from is what the patient takes then without the order (taper-stop-dose.ts: the
 * intake dose). A step that started today is never dropped: the stop is from tomorrow at the earliest.
 */
import { addDays, daysBetween } from './calendar-dates.js';
import { ClinicalRuleError, type ClinicalWarning } from './clinical-error.js';
import { fromThousandths, smallestStrengthThousandths, thousandthsOrNull } from './taper-doses.js';
import { hasReason } from './taper-plan.js';
import type { DoseTakenAway } from './taper-stop-dose.js';
import type { OpioidTaperStep, TaperPause } from './taper-types.js';

export interface Discontinuation {
  /** The first day without this order's doses: today or later. */
  effectiveFrom: string;
  lifeThreateningReason?: string | null;
  /** The first day a signed rotation replacing this product is in force, if there is one. */
  replacedFrom?: string | null;
  /** The clinic's date: a step starting on it has started and is never dropped. */
  today?: string;
  /** With no step kept: what the patient takes that the stop takes away (dosesTakenAway). */
  takenAway?: readonly DoseTakenAway[];
}

export interface DiscontinuedTaper<P extends TaperPause = TaperPause> {
  steps: OpioidTaperStep[];
  pauses: P[];
  warnings: ClinicalWarning[];
}

export function discontinueTaper<P extends TaperPause>(
  version: { unitStrengths: readonly number[]; steps: readonly OpioidTaperStep[]; pauses: readonly P[] },
  stop: Discontinuation,
): DiscontinuedTaper<P> {
  const kept = version.steps.filter((s) => s.startsOn < stop.effectiveFrom);
  const last = version.steps.at(-1);
  if (last && last.dailyDose === 0 && last.startsOn <= stop.effectiveFrom) {
    throw new ClinicalRuleError('TAPER_ALREADY_STOPPED', `This taper already stops on ${last.startsOn}.`, 'effectiveFrom');
  }
  const startedToday = stop.today !== undefined && stop.effectiveFrom <= stop.today ? version.steps.find((s) => s.startsOn === stop.effectiveFrom) : undefined;
  if (startedToday) {
    throw new ClinicalRuleError(
      'STEP_ALREADY_STARTED',
      `The step of ${startedToday.dailyDose} a day started today (${startedToday.startsOn}) and is never rewritten: stop from ${addDays(startedToday.startsOn, 1)} at the earliest.`,
      'effectiveFrom',
    );
  }
  const before = kept.at(-1);
  const warnings = before ? checkAbruptStop(before.dailyDose, version.unitStrengths, stop) : (stop.takenAway ?? []).flatMap((taken) => leftUnordered(taken, stop));
  const start = version.steps[0];
  const stopStep: OpioidTaperStep = {
    step: kept.length + 1,
    startsOn: stop.effectiveFrom,
    dailyDose: 0,
    dailyMme: start && start.dailyMme === null ? null : 0,
    reductionPercent: before ? 100 : 0,
    percentOfStart: 0,
  };
  return { steps: [...kept, stopStep], pauses: pausesBefore(version.pauses, stop.effectiveFrom), warnings };
}

/**
 * A stop before the order's first dose takes nothing the clinic gave away (nothing is given without
 * an order), so it is not refused; but the product the order stood for is then left unordered, and
 * none of it will be given: said aloud (STOPPED_BEFORE_FIRST_DOSE), as the handoff says it (stopped
 * at admission). A patient who leaves before an order starts is discharged without a made-up reason.
 */
function leftUnordered(taken: DoseTakenAway, stop: Discontinuation): ClinicalWarning[] {
  if (taken.replaced || (thousandthsOrNull(taken.dailyDose) ?? 0) <= smallestStrengthThousandths(taken.unitStrengths)) return [];
  const because = hasReason(stop.lifeThreateningReason) ? ', for the recorded life-threatening reason' : '';
  return [
    {
      code: 'STOPPED_BEFORE_FIRST_DOSE',
      message: `Stopped before its first dose${because}: ${taken.name}, ${taken.dailyDose} a day, is not ordered from ${stop.effectiveFrom} on, so none of it will be given; order it again, or sign its rotation, if the patient is to go on taking it.`,
    },
  ];
}

function checkAbruptStop(dose: number, unitStrengths: readonly number[], stop: Discontinuation): ClinicalWarning[] {
  const smallest = smallestStrengthThousandths(unitStrengths);
  if ((thousandthsOrNull(dose) ?? 0) <= smallest) return [];
  if (stop.replacedFrom && stop.replacedFrom <= stop.effectiveFrom) return [];
  const message = `Stopping from ${dose} a day on ${stop.effectiveFrom} is more than the smallest strength (${fromThousandths(smallest)}) a day`;
  if (!hasReason(stop.lifeThreateningReason)) {
    throw new ClinicalRuleError(
      'ABRUPT_DISCONTINUATION',
      `${message}: never stop abruptly unless the situation is life-threatening (give lifeThreateningReason), or sign the rotation that replaces it first.`,
      'effectiveFrom',
    );
  }
  return [{ code: 'ABRUPT_DISCONTINUATION', message: `${message}, allowed for the recorded life-threatening reason.` }];
}

/** Pauses from before the stop, each ending by the stop day at the latest. */
function pausesBefore<P extends TaperPause>(pauses: readonly P[], stopDay: string): P[] {
  return pauses.filter((p) => p.from < stopDay).map((p) => (addDays(p.from, p.days) > stopDay ? { ...p, days: daysBetween(p.from, stopDay) } : p));
}

/** The product a rotation replaces: its order, stopped for the rotation. */
export interface ReplacedOrder {
  name: string;
  unitStrengths: readonly number[];
  steps: readonly { startsOn: string; dailyDose: number }[];
}

/** The replaced order's stop (its last step, of 0) when it is abrupt: from more than the smallest strength. */
function abruptStopOf(replaced: ReplacedOrder): { stopsOn: string; from: number } | null {
  const [before, last] = replaced.steps.slice(-2);
  if (!last || last.dailyDose !== 0 || !before) return null;
  if ((thousandthsOrNull(before.dailyDose) ?? 0) <= smallestStrengthThousandths(replaced.unitStrengths)) return null;
  return { stopsOn: last.startsOn, from: before.dailyDose };
}

/**
 * A rotation stopped before its first dose gives the patient nothing in place of the product it
 * replaced, whose order was stopped for it: that stop is then abrupt (refused, as any stop from more
 * than the smallest strength, unless life-threatening) until the replaced order is amended to go on.
 */
export function checkReplacedNotLeftStopped(
  stop: Pick<Discontinuation, 'effectiveFrom' | 'lifeThreateningReason'>,
  rotation: { startDate: string; name: string },
  replaced: ReplacedOrder | null,
): void {
  if (!replaced || stop.effectiveFrom > rotation.startDate || hasReason(stop.lifeThreateningReason)) return;
  const abrupt = abruptStopOf(replaced);
  if (!abrupt || abrupt.stopsOn < stop.effectiveFrom) return;
  throw new ClinicalRuleError(
    'ABRUPT_DISCONTINUATION',
    `${rotation.name} replaces ${replaced.name}, whose order stops on ${abrupt.stopsOn} from ${abrupt.from} a day for it: stopped before its first dose, ` +
      `the patient would have neither. Amend the ${replaced.name} order to go on first, or give lifeThreateningReason.`,
    'effectiveFrom',
  );
}

/**
 * A rotation amended before its first dose (a pause moves its start) may not start after the day
 * the replaced order stops for it: the days between would have neither product, an abrupt stop.
 */
export function checkRotationStartsByReplacedStop(rotation: { firstDoseOn: string; name: string }, replaced: ReplacedOrder | null, field: string): void {
  const abrupt = replaced && abruptStopOf(replaced);
  if (!abrupt || rotation.firstDoseOn <= abrupt.stopsOn) return;
  throw new ClinicalRuleError(
    'ABRUPT_DISCONTINUATION',
    `${rotation.name} replaces ${replaced.name}, whose order stops on ${abrupt.stopsOn} from ${abrupt.from} a day for it: starting ${rotation.name} on ` +
      `${rotation.firstDoseOn} would leave the patient with neither from ${abrupt.stopsOn}. Pause from the rotation's first day instead (its start dose is held), ` +
      `or amend the ${replaced.name} order to go on first.`,
    field,
  );
}

/**
 * An amendment of an order that a rotation (not a cross-taper) replaces keeps the stop the
 * rotation put on it: moved later both are given, moved earlier there are days with neither,
 * dropped (a new rate regenerates to the target) both go on. Refused, naming the rotation.
 */
export function checkReplacedStopKept(
  replacedName: string,
  rotation: { name: string; firstDoseOn: string },
  schedules: { before: readonly { startsOn: string; dailyDose: number }[]; after: readonly { startsOn: string; dailyDose: number }[] },
  field: string,
): void {
  const stopOf = (steps: readonly { startsOn: string; dailyDose: number }[]): string | null => steps.find((s) => s.dailyDose === 0)?.startsOn ?? null;
  const [was, now] = [stopOf(schedules.before), stopOf(schedules.after)];
  if (was !== null ? now === was : now !== null && now <= rotation.firstDoseOn) return;
  const stops = was ? `stops on ${was} for it` : `must stop by then`;
  const change = now === null ? 'drop that stop, so both would be given' : was !== null && now < was ? `move the stop to ${now}, leaving days with neither` : `move the stop to ${now}, so both would be given meanwhile`;
  throw new ClinicalRuleError(
    'REPLACED_BY_ROTATION',
    `${rotation.name} replaces ${replacedName} from ${rotation.firstDoseOn} and this order ${stops}: this amendment would ${change}. Amend or stop the rotation first.`,
    field,
  );
}
