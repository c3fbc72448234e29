/**
 * How an amendment changes the pauses of an order (domain.md §7 v1.1):
 * - A pause in force on effectiveFrom is kept, unless the amendment ends it (endPause, with a
 *   reason) or sets it anew (pauseDays): then it is cut short at effectiveFrom, and with pauseDays
 *   the hold runs pauseDays from effectiveFrom instead (longer or shorter).
 * - A pause without one in force is simply added.
 */
import { ClinicalRuleError } from './clinical-error.js';
import { addDays, dateOfDayNumber, daysBetween } from './calendar-dates.js';
import { type PauseWindow, pauseWindows } from './taper-pauses.js';
import { hasReason } from './taper-plan.js';
import type { TaperAmendment, TaperPause } from './taper-types.js';

export interface PauseChange<P extends TaperPause> {
  /** The new version's pauses: the old ones (a cut-short one with fewer days) and any new one. */
  pauses: (P | TaperPause)[];
  windows: PauseWindow[];
  /** The pause in force on effectiveFrom that this amendment cut short, if any. */
  replaced: PauseWindow | null;
  /** Where the dose is no longer held from (effectiveFrom + pauseDays); null when no hold changed. */
  holdEndsDay: number | null;
}

function inForceIndex(windows: readonly PauseWindow[], fromDay: number): number {
  return windows.findIndex((w) => fromDay >= w.fromDay && fromDay < w.endDay);
}

function checkEndPause(amendment: TaperAmendment, index: number): void {
  if (amendment.endPause !== true) return;
  if (!hasReason(amendment.reason)) {
    throw new ClinicalRuleError('REASON_REQUIRED', 'Ending a pause early needs the reason.', 'reason');
  }
  if (index === -1) {
    throw new ClinicalRuleError('NO_PAUSE_IN_FORCE', `No pause is in force on ${amendment.effectiveFrom} to end.`, 'endPause');
  }
}

/** The pauses after this amendment, and where a replaced hold now ends. */
export function changePauses<P extends TaperPause>(pauses: readonly P[], amendment: TaperAmendment, fromDay: number, pauseDays: number): PauseChange<P> {
  const before = pauseWindows(pauses);
  const index = inForceIndex(before, fromDay);
  checkEndPause(amendment, index);
  const cutShort = index !== -1 && (amendment.endPause === true || pauseDays > 0);
  const kept = pauses.flatMap((p, i): (P | TaperPause)[] => {
    if (!cutShort || i !== index) return [{ ...p }];
    const days = fromDay - before[i].fromDay;
    // A pause cut short on its first day held nothing: it goes.
    return days > 0 ? [{ ...p, days }] : [];
  });
  const added: TaperPause[] = pauseDays > 0 ? [{ from: dateOfDayNumber(fromDay), days: pauseDays }] : [];
  const after = [...kept, ...added];
  return {
    pauses: after,
    windows: pauseWindows(after),
    replaced: cutShort ? before[index] : null,
    holdEndsDay: cutShort || pauseDays > 0 ? fromDay + pauseDays : null,
  };
}

/**
 * The pauses of a new version that hold a dose: none before its first step (a pause from before
 * the start moved the schedule, and held nothing), none from its stop (a step of 0) on, and one
 * running past the stop ends there.
 */
export function pausesHoldingADose<P extends TaperPause>(pauses: readonly P[], steps: readonly { startsOn: string; dailyDose: number }[]): P[] {
  const first = steps[0]?.startsOn;
  if (first === undefined) return [];
  const stop = steps.find((s) => s.dailyDose === 0)?.startsOn;
  return pauses
    .filter((p) => p.from >= first && (stop === undefined || p.from < stop))
    .map((p) => (stop !== undefined && addDays(p.from, p.days) > stop ? { ...p, days: daysBetween(p.from, stop) } : p));
}
