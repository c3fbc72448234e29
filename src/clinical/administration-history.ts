/**
 * What a taper order's administration record says was actually taken (domain.md §8a, §11): the
 * dose given on each day in runs, the days a dose was held, refused or omitted, and the last
 * opioid dose given. The handoff tells the next prescriber this, not the order's plan.
 *
 * - A day's dose is the sum of its GIVEN entries (clinic calendar day), exact in thousandths.
 * - A run is a stretch of consecutive days with the same dose given each day. A day with nothing
 *   given (held, refused, omitted, or nothing recorded) belongs to no run and ends the one
 *   before it: 55 mg on the 11th, held on the 12th, 55 mg on the 13th and 14th is two runs, so a
 *   gap in the record is never hidden inside a run.
 * - A scheduled day is a day of the stay on which the order gave a dose above 0 (the caller
 *   knows the schedule). A day is listed as held, refused or omitted when an entry with that
 *   outcome was recorded on it, even if another dose was given that day; a scheduled day with
 *   no entry at all is "not recorded".
 * - The discharge day is a day the patient left during (DischargeDay): it is a scheduled day only
 *   if something was recorded on it (the patient may have left before its first dose was due), and
 *   a total given on it below its schedule is a run of its own, marked partial.
 * Entries must be the record's non-void ones: a voided entry counts toward nothing.
 */
import type { AdministrationOutcome } from './administration.js';
import { addDays, dayNumberOf } from './calendar-dates.js';
import { DOSE_SCALE, fromThousandths, thousandthsOrNull } from './taper-doses.js';

/** One non-void entry of a taper order: its clinic day, dose, outcome and instant (ISO-8601). */
export interface TaperDoseEntry {
  date: string;
  dose: number;
  outcome: AdministrationOutcome;
  givenAt: string;
}

/** Consecutive days on which the same dose was given each day, both ends included. */
export interface DoseRun {
  dailyDose: number;
  firstDay: string;
  lastDay: string;
  days: number;
  /** The discharge day, given below its scheduled dose: the patient left before the rest was due. */
  partial: boolean;
}

/** The day the patient left, and the dose the schedule gave that day. */
export interface DischargeDay {
  date: string;
  scheduledDose: number;
}

export interface TaperAdministrationHistory {
  /** Days of the stay the order gave a dose above 0. */
  scheduledDays: number;
  /** Scheduled days on which some dose was given. */
  daysGiven: number;
  dosesGiven: DoseRun[];
  daysHeld: string[];
  daysRefused: string[];
  daysOmitted: string[];
  /** Scheduled days with no entry at all. */
  daysNotRecorded: string[];
  /** The above in one plain sentence. */
  adherence: string;
}

/**
 * A patch is worn `wearHours` (patchWearHours): as the nurses' list counts it, a patch GIVEN is
 * given on every clinic day it is on until the day's end, from the day it was applied to the
 * last day before the one it comes off on (a patch coming off at midnight is worn the day before). `dateOf` gives an instant's clinic date. Other entries are kept as
 * they are.
 */
export function patchDaysWorn(entries: readonly TaperDoseEntry[], wearHours: number, dateOf: (instant: Date) => string): TaperDoseEntry[] {
  return entries.flatMap((entry) => {
    if (entry.outcome !== 'GIVEN') return [entry];
    const offDay = dateOf(new Date(Date.parse(entry.givenAt) + wearHours * 3_600_000));
    const days: TaperDoseEntry[] = [];
    for (let day = entry.date; day < offDay; day = addDays(day, 1)) days.push({ ...entry, date: day });
    return days;
  });
}

export function taperAdministrationHistory(entries: readonly TaperDoseEntry[], scheduledDays: readonly string[], dischargeDay: DischargeDay | null = null): TaperAdministrationHistory {
  const recorded = new Set(entries.map((e) => e.date));
  const scheduled = [...new Set(scheduledDays)].filter((day) => day !== dischargeDay?.date || recorded.has(day)).sort();
  const given = givenPerDay(entries);
  const daysWith = (outcome: AdministrationOutcome) => [...new Set(entries.filter((e) => e.outcome === outcome).map((e) => e.date))].sort();
  const partialDay = dischargeDay && belowSchedule(given.get(dischargeDay.date), dischargeDay.scheduledDose) ? dischargeDay.date : null;
  const history = {
    scheduledDays: scheduled.length,
    daysGiven: scheduled.filter((day) => given.has(day)).length,
    dosesGiven: runsOf(given, partialDay),
    daysHeld: daysWith('HELD'),
    daysRefused: daysWith('REFUSED'),
    daysOmitted: daysWith('OMITTED'),
    daysNotRecorded: scheduled.filter((day) => !recorded.has(day)),
  };
  const unscheduled = [...given.keys()].filter((day) => !scheduled.includes(day)).sort();
  return { ...history, adherence: adherenceLine(history, unscheduled, partialDay) };
}

/** Some dose was given, but less than the day's schedule (both exact in thousandths). */
function belowSchedule(given: number | undefined, scheduledDose: number): boolean {
  const scheduled = thousandthsOrNull(scheduledDose) ?? Math.round(scheduledDose * DOSE_SCALE);
  return given !== undefined && given > 0 && given < scheduled;
}

/**
 * The steps of a schedule (in date order) reached by discharge, and those still due after it.
 * A step is reached on its first day, except one with a dose above 0 that starts on the discharge
 * day when nothing was given that day (no dose, no patch applied: the entries as recorded, not
 * the days a patch is worn). The patient left before its first dose: the step before it is the
 * dose at discharge, and it is due from the discharge day. An order's first step is reached on its
 * day whatever was given: nothing else of the order was ever in force.
 */
export function stepsReachedBy<T extends { startsOn: string; dailyDose: number }>(schedule: readonly T[], entries: readonly TaperDoseEntry[], dischargedOn: string): { reached: T[]; due: T[] } {
  const started = schedule.filter((s) => s.startsOn <= dischargedOn);
  const last = started.at(-1);
  const notReached = started.length > 1 && last !== undefined && last.startsOn === dischargedOn && last.dailyDose > 0 && !givenPerDay(entries).has(dischargedOn);
  const reached = notReached ? started.slice(0, -1) : started;
  return { reached, due: schedule.slice(reached.length) };
}

/** The day's total given, in thousandths, for each day with a dose above 0. */
export function givenPerDay(entries: readonly TaperDoseEntry[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const entry of entries) {
    if (entry.outcome !== 'GIVEN') continue;
    const dose = thousandthsOrNull(entry.dose) ?? Math.round(entry.dose * DOSE_SCALE);
    totals.set(entry.date, (totals.get(entry.date) ?? 0) + dose);
  }
  for (const [day, total] of totals) if (total <= 0) totals.delete(day);
  return totals;
}

/** The runs of days given; the partial discharge day is a run of its own, whatever the day before. */
function runsOf(given: Map<string, number>, partialDay: string | null): DoseRun[] {
  const runs: (DoseRun & { dose: number; lastNumber: number })[] = [];
  for (const day of [...given.keys()].sort()) {
    const dose = given.get(day)!;
    const number = dayNumberOf(day);
    const run = runs.at(-1);
    if (run && !run.partial && day !== partialDay && run.dose === dose && run.lastNumber === number - 1) {
      Object.assign(run, { lastDay: day, lastNumber: number, days: run.days + 1 });
    } else {
      runs.push({ dailyDose: fromThousandths(dose), firstDay: day, lastDay: day, days: 1, partial: day === partialDay, dose, lastNumber: number });
    }
  }
  return runs.map(({ dailyDose, firstDay, lastDay, days, partial }) => ({ dailyDose, firstDay, lastDay, days, partial }));
}

/** "Given on 27 of 30 scheduled days; held on 2 (2027-01-12, 2027-01-20), refused on 1 (2027-01-15)." */
function adherenceLine(history: Omit<TaperAdministrationHistory, 'adherence'>, unscheduled: string[], partialDay: string | null): string {
  const exceptions = [
    countedDays('held on', history.daysHeld),
    countedDays('refused on', history.daysRefused),
    countedDays('omitted on', history.daysOmitted),
    countedDays('nothing recorded on', history.daysNotRecorded),
    partialDay === null ? '' : `only in part on the discharge day (${partialDay}), before the patient left`,
    countedDays('also given outside the schedule on', unscheduled),
  ].filter((clause) => clause !== '');
  const given = history.scheduledDays === 0 ? 'No dose was scheduled during the stay' : `Given on ${history.daysGiven} of ${history.scheduledDays} scheduled days`;
  return exceptions.length === 0 ? `${given}.` : `${given}; ${exceptions.join(', ')}.`;
}

/** "held on 2 (2027-01-12, 2027-01-20)", or nothing for no days. */
function countedDays(label: string, days: string[]): string {
  return days.length === 0 ? '' : `${label} ${days.length} (${dateRanges(days)})`;
}

/** Sorted dates, consecutive ones written as a range: "2027-01-12, 2027-01-15 to 2027-01-17". */
export function dateRanges(days: readonly string[]): string {
  const ranges: [string, string][] = [];
  for (const day of days) {
    const last = ranges.at(-1);
    if (last && dayNumberOf(day) === dayNumberOf(last[1]) + 1) last[1] = day;
    else ranges.push([day, day]);
  }
  return ranges.map(([first, last]) => (first === last ? first : `${first} to ${last}`)).join(', ');
}

/**
 * The last dose given of the entries (the latest GIVEN by its instant; of two at the same
 * instant, the one later in the list, i.e. recorded later), or null when none was given.
 */
export function lastDoseGiven<T extends { outcome: AdministrationOutcome; givenAt: string }>(entries: readonly T[]): T | null {
  let last: T | null = null;
  for (const entry of entries) {
    if (entry.outcome === 'GIVEN' && (last === null || Date.parse(entry.givenAt) >= Date.parse(last.givenAt))) last = entry;
  }
  return last;
}
