import { lastDoseGiven, patchDaysWorn, stepsReachedBy, taperAdministrationHistory, type TaperAdministrationHistory, type TaperDoseEntry } from '../../clinical/administration-history.js';
import { patchWearHours } from '../../clinical/administration.js';
import { addDays } from '../../clinical/calendar-dates.js';
import { calendarDate } from '../../common/clock.js';
import type { TaperAdministration } from '../administrations/index.js';
import type { HandoffDoseGiven, HandoffLastDose, HandoffOpioidDose, HandoffTaper, HandoffTaperStep } from './handoff-summary.js';

/** The stay and its clinic time zone, as the taper histories need them. */
export interface StayOf {
  admittedOn: string;
  dischargedOn: string;
  timeZone: string;
}

/** What the administration record says of one taper: the doses given, and the steps reached by discharge. */
export interface TakenOfTaper extends TaperAdministrationHistory {
  stepsTaken: HandoffTaperStep[];
  remainingSteps: HandoffTaperStep[];
}

/**
 * What the administration record says of one taper (domain.md §8a): the doses given, held and
 * refused on the days of the stay its schedule gave a dose above 0 (the schedule of the latest
 * version, which keeps the steps already taken; the day of a final stop to 0 is not a dose day),
 * and the steps reached. The patient leaves during the discharge day: it counts only if something
 * was recorded on it, a total below its schedule is partial, and a step due that day with nothing
 * given is still to come (stepsReachedBy). A patch (worn `patchWearHours`) is given on every day it is worn.
 */
export function takenOfTaper(schedule: HandoffTaperStep[], entries: TaperAdministration[], stay: StayOf, patchWearHours: number | null): TakenOfTaper {
  const days: string[] = [];
  for (let date = stay.admittedOn; date <= stay.dischargedOn; date = addDays(date, 1)) {
    const inForce = schedule.filter((s) => s.startsOn <= date).at(-1);
    if (inForce && inForce.dailyDose > 0) days.push(date);
  }
  const doses: TaperDoseEntry[] = entries.map((e) => ({ date: e.givenOn, dose: e.dose, outcome: e.outcome, givenAt: e.givenAt.toISOString() }));
  // A patch counts on every day of the stay it is worn, as on the nurses' list.
  const taken = patchWearHours ? patchDaysWorn(doses, patchWearHours, (instant) => calendarDate(instant, stay.timeZone)).filter((d) => d.date <= stay.dischargedOn) : doses;
  const scheduledDose = schedule.filter((s) => s.startsOn <= stay.dischargedOn).at(-1)?.dailyDose ?? 0;
  const { reached, due } = stepsReachedBy(schedule, doses, stay.dischargedOn);
  return { ...taperAdministrationHistory(taken, days, { date: stay.dischargedOn, scheduledDose }), stepsTaken: reached, remainingSteps: due };
}

/**
 * The last dose of one taper given (a patch: until when it is worn), or null: every entry given at
 * that instant together (10 mg and 5 mg tablets entered apart are 15 mg).
 */
export function lastGivenOf(entries: TaperAdministration[], wearHours: number | null): HandoffDoseGiven | null {
  const last = lastDoseGiven(entries.map((e) => ({ ...e, givenAt: e.givenAt.toISOString() })));
  if (last === null) return null;
  const atOnce = entries.filter((e) => e.outcome === 'GIVEN' && e.givenAt.toISOString() === last.givenAt);
  const dose = atOnce.reduce((sum, e) => sum + Math.round(e.dose * 1000), 0) / 1000;
  const onUntil = wearHours === null ? null : new Date(Date.parse(last.givenAt) + wearHours * 3_600_000).toISOString();
  return { dose, givenAt: last.givenAt, onUntil };
}

/**
 * The last opioid dose given during the stay (the taper orders' record), or null, with every other
 * product given at the same instant beside it (`alsoGivenThen`, in the record's order): page 1 must
 * not suggest one opioid was the last when two were taken together. The product of the entry
 * recorded last leads, as before. A patch is still worn after it is applied: until when, and the
 * next patch due then at the strength its taper's schedule gives on that clinic day.
 */
export function lastOpioidDoseOf(entries: TaperAdministration[], tapers: HandoffTaper[], timeZone: string): HandoffLastDose | null {
  const last = lastDoseGiven(entries.map((e) => ({ ...e, givenAt: e.givenAt.toISOString() })));
  if (last === null) return null;
  const atOnce = entries.filter((e) => e.outcome === 'GIVEN' && e.givenAt.toISOString() === last.givenAt);
  const orderIds = [...new Set(atOnce.map((e) => e.orderId))];
  const doseOf = (orderId: string): HandoffOpioidDose => opioidDoseOf(atOnce.filter((e) => e.orderId === orderId), tapers, timeZone);
  return { ...doseOf(last.orderId), alsoGivenThen: orderIds.filter((id) => id !== last.orderId).map(doseOf) };
}

/** One order's entries given at one instant, as one dose (their total: 10 mg and 5 mg tablets entered apart are 15 mg). */
function opioidDoseOf(entries: TaperAdministration[], tapers: HandoffTaper[], timeZone: string): HandoffOpioidDose {
  const first = entries[0]!;
  const { dose, givenAt, onUntil } = lastGivenOf(entries, patchWearHours(first))!;
  const taper = tapers.find((t) => t.orderId === first.orderId);
  const offDay = onUntil === null ? null : calendarDate(new Date(onUntil), timeZone);
  const next = offDay === null || taper === undefined ? undefined : [...taper.stepsTaken, ...taper.remainingSteps].filter((s) => s.startsOn <= offDay).at(-1);
  return {
    drug: first.drug,
    formulation: first.formulation,
    dose,
    unit: first.unit,
    givenAt,
    onUntil,
    nextPatch: onUntil === null || next === undefined ? null : { dueAt: onUntil, dose: next.dailyDose },
  };
}
