/**
 * The dose of one day (domain.md §7): what the nurses' list shows for an order's version. It
 * reads the same steps and pauses as the schedule, so the two agree on every day: the last step
 * started on or before the day; `paused` when a pause holds the dose that day, never on a day a
 * step starts. Before the first step, and after the day of a final stop to 0, there is no dose.
 */
import { dayNumberOf } from './calendar-dates.js';
import { pauseHolding, pauseWindows } from './taper-pauses.js';
import type { OpioidTaperStep, TaperPause } from './taper-types.js';

/** A version's schedule as stored: its steps in order and its pauses. */
export interface VersionSchedule {
  steps: readonly OpioidTaperStep[];
  pauses: readonly TaperPause[];
}

export interface ScheduledDose {
  step: number;
  dailyDose: number;
  dailyMme: number | null;
  stepStartedOn: string;
  /** A pause holds this dose today. */
  paused: boolean;
}

/** The step in force on `day` (a day number), or -1 before the first. */
function stepIndexOn(steps: readonly OpioidTaperStep[], day: number): number {
  let found = -1;
  steps.forEach((s, i) => {
    if (dayNumberOf(s.startsOn, `steps[${i}].startsOn`) <= day) found = i;
  });
  return found;
}

/** The dose `schedule` gives on `date`, or null (not started, or stopped before that day). */
export function scheduledDoseOn(schedule: VersionSchedule, date: string): ScheduledDose | null {
  const day = dayNumberOf(date, 'date');
  const index = stepIndexOn(schedule.steps, day);
  if (index === -1) return null;
  const step = schedule.steps[index];
  const startedOn = dayNumberOf(step.startsOn);
  // The day of the final stop is listed (dose 0); the days after it are not.
  if (step.dailyDose === 0 && startedOn < day) return null;
  const paused = startedOn !== day && pauseHolding(day, pauseWindows(schedule.pauses)) !== undefined;
  return { step: step.step, dailyDose: step.dailyDose, dailyMme: step.dailyMme, stepStartedOn: step.startsOn, paused };
}

/**
 * The tapers on `date`, for the COWS alerts: a taper is in force when one of the admission's
 * ACTIVE versions gives a dose above zero that day (domain.md §8: not before the first step, not
 * from the final stop on). IN_FORCE when one such is not held by a pause, PAUSED when every one
 * is, NONE when none is in force.
 */
export function taperStateOn(schedules: readonly VersionSchedule[], date: string): 'NONE' | 'IN_FORCE' | 'PAUSED' {
  const days = schedules.map((s) => scheduledDoseOn(s, date)).filter((d) => d !== null && d.dailyDose > 0);
  if (days.length === 0) return 'NONE';
  return days.every((d) => d!.paused) ? 'PAUSED' : 'IN_FORCE';
}

/**
 * The dose the patient takes on `date` under this version: null before its first step (the intake
 * dose is still taken), 0 from the day after a final stop, otherwise the dose of the day.
 */
export function doseTakenOn(schedule: VersionSchedule, date: string): number | null {
  const first = schedule.steps[0];
  if (!first || dayNumberOf(date, 'date') < dayNumberOf(first.startsOn)) return null;
  return scheduledDoseOn(schedule, date)?.dailyDose ?? 0;
}
