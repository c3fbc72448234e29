/**
 * Pauses as day windows (domain.md §7): a pause holds the current dose from `from` for `days`
 * days, so no step starts inside [from, from + days). Used by the step rules, the amendments and
 * the dose of a day, so all three read a pause the same way.
 */
import { dayNumberOf } from './calendar-dates.js';
import type { TaperPause } from './taper-types.js';

/** Day numbers of a pause: the first held day and the day after the last (exclusive). */
export interface PauseWindow {
  fromDay: number;
  endDay: number;
}

export function pauseWindows(pauses: readonly TaperPause[]): PauseWindow[] {
  return pauses.map((p, i) => {
    const fromDay = dayNumberOf(p.from, `pauses[${i}].from`);
    return { fromDay, endDay: fromDay + p.days };
  });
}

export function pauseHolding(day: number, windows: readonly PauseWindow[]): PauseWindow | undefined {
  return windows.find((w) => day >= w.fromDay && day < w.endDay);
}

/** `day`, or the end of the pause holding it (and of any pause that begins right there). */
export function firstDayOutsidePauses(day: number, windows: readonly PauseWindow[]): number {
  let result = day;
  for (let holding = pauseHolding(result, windows); holding; holding = pauseHolding(result, windows)) result = holding.endDay;
  return result;
}
