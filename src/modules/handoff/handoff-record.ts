import { lastDoseGiven, patchDaysWorn, taperAdministrationHistory, type TaperAdministrationHistory } from '../../clinical/administration-history.js';
import { addDays } from '../../clinical/calendar-dates.js';
import { calendarDate } from '../../common/clock.js';
import type { TaperAdministration } from '../administrations/index.js';
import type { HandoffLastDose, HandoffTaperStep } from './handoff-summary.js';

/**
 * What the administration record says of one taper (domain.md §8a): the doses given, held and
 * refused on the days of the stay its schedule gave a dose above 0 (the schedule of the latest
 * version, which keeps the steps already taken; the day of a final stop to 0 is not a dose day).
 * A patch (worn `patchWearHours`) is given on every day it is worn.
 */
export function takenOfTaper(
  schedule: HandoffTaperStep[],
  entries: TaperAdministration[],
  stay: { admittedOn: string; dischargedOn: string; timeZone: string },
  patchWearHours: number | null,
): TaperAdministrationHistory {
  const days: string[] = [];
  for (let date = stay.admittedOn; date <= stay.dischargedOn; date = addDays(date, 1)) {
    const inForce = schedule.filter((s) => s.startsOn <= date).at(-1);
    if (inForce && inForce.dailyDose > 0) days.push(date);
  }
  const doses = entries.map((e) => ({ date: e.givenOn, dose: e.dose, outcome: e.outcome, givenAt: e.givenAt.toISOString() }));
  // A patch counts on every day of the stay it is worn, as on the nurses' list.
  const taken = patchWearHours ? patchDaysWorn(doses, patchWearHours, (instant) => calendarDate(instant, stay.timeZone)).filter((d) => d.date <= stay.dischargedOn) : doses;
  return taperAdministrationHistory(taken, days);
}

/** The last opioid dose given during the stay (the taper orders' record), or null. */
export function lastOpioidDoseOf(entries: TaperAdministration[]): HandoffLastDose | null {
  const last = lastDoseGiven(entries.map((e) => ({ ...e, givenAt: e.givenAt.toISOString() })));
  return last && { drug: last.drug, formulation: last.formulation, dose: last.dose, unit: last.unit, givenAt: last.givenAt };
}
