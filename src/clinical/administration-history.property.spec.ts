import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ADMINISTRATION_OUTCOMES } from './administration.js';
import { givenPerDay, lastDoseGiven, stepsReachedBy, taperAdministrationHistory, type TaperDoseEntry } from './administration-history.js';
import { addDays, daysInclusive } from './calendar-dates.js';

const FIRST_DAY = '2027-01-04';
const dayOf = (offset: number): string => addDays(FIRST_DAY, offset);

/** Entries on the first 40 days, in any order: doses in quarter milligrams, any outcome, any minute of the day. */
const entryArb: fc.Arbitrary<TaperDoseEntry> = fc
  .record({ day: fc.integer({ min: 0, max: 39 }), quarters: fc.integer({ min: 1, max: 400 }), outcome: fc.constantFrom(...ADMINISTRATION_OUTCOMES), minute: fc.integer({ min: 0, max: 1439 }) })
  .map(({ day, quarters, outcome, minute }) => ({ date: dayOf(day), dose: quarters / 4, outcome, givenAt: new Date(Date.parse(`${dayOf(day)}T00:00:00Z`) + minute * 60_000).toISOString() }));
const entriesArb = fc.array(entryArb, { maxLength: 80 });
const scheduledArb = fc.uniqueArray(fc.integer({ min: 0, max: 39 }), { maxLength: 40 }).map((offsets) => offsets.map(dayOf));

/** The day's total given in quarter milligrams, counted here independently of the code under test. */
function quartersGiven(entries: TaperDoseEntry[], date: string): number {
  return entries.filter((e) => e.outcome === 'GIVEN' && e.date === date).reduce((sum, e) => sum + Math.round(e.dose * 4), 0);
}

describe('administration history properties', () => {
  it('runs cover exactly the days with a dose given, each day at its exact total, split wherever the dose changes or a day has none', () => {
    fc.assert(
      fc.property(entriesArb, scheduledArb, (entries, scheduled) => {
        const { dosesGiven } = taperAdministrationHistory(entries, scheduled);
        const givenDays = [...new Set(entries.filter((e) => e.outcome === 'GIVEN').map((e) => e.date))].sort();
        const runDays = dosesGiven.flatMap((run) => Array.from({ length: run.days }, (_, i) => addDays(run.firstDay, i)));
        expect(runDays).toEqual(givenDays);
        for (const run of dosesGiven) {
          expect(run.days).toBe(daysInclusive(run.firstDay, run.lastDay));
          for (let i = 0; i < run.days; i++) expect(quartersGiven(entries, addDays(run.firstDay, i))).toBe(run.dailyDose * 4);
        }
        dosesGiven.slice(1).forEach((run, i) => {
          const before = dosesGiven[i]!;
          expect(before.dailyDose !== run.dailyDose || addDays(before.lastDay, 1) !== run.firstDay).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('every scheduled day is given, held, refused, omitted or not recorded, and the counts in the line agree', () => {
    fc.assert(
      fc.property(entriesArb, scheduledArb, (entries, scheduled) => {
        const history = taperAdministrationHistory(entries, scheduled);
        const given = new Set(history.dosesGiven.flatMap((run) => Array.from({ length: run.days }, (_, i) => addDays(run.firstDay, i))));
        const accounted = new Set([...given, ...history.daysHeld, ...history.daysRefused, ...history.daysOmitted, ...history.daysNotRecorded]);
        for (const day of scheduled) expect(accounted.has(day)).toBe(true);
        for (const day of history.daysNotRecorded) expect(entries.some((e) => e.date === day)).toBe(false);
        expect(history.scheduledDays).toBe(scheduled.length);
        expect(history.daysGiven).toBe(scheduled.filter((day) => given.has(day)).length);
        if (scheduled.length > 0) expect(history.adherence.startsWith(`Given on ${history.daysGiven} of ${scheduled.length} scheduled days`)).toBe(true);
        if (history.daysHeld.length > 0) expect(history.adherence).toContain(`held on ${history.daysHeld.length} (`);
        if (history.daysRefused.length > 0) expect(history.adherence).toContain(`refused on ${history.daysRefused.length} (`);
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order of the entries', () => {
    const withShuffled = entriesArb.chain((entries) => fc.tuple(fc.constant(entries), fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length })));
    fc.assert(
      fc.property(withShuffled, scheduledArb, ([entries, shuffled], scheduled) => {
        expect(taperAdministrationHistory(shuffled, [...scheduled].reverse())).toEqual(taperAdministrationHistory(entries, scheduled));
      }),
      { numRuns: 200 },
    );
  });

  it('the last dose given is a dose given, and none given is later', () => {
    fc.assert(
      fc.property(entriesArb, (entries) => {
        const last = lastDoseGiven(entries);
        const given = entries.filter((e) => e.outcome === 'GIVEN');
        if (given.length === 0) return expect(last).toBeNull();
        expect(last?.outcome).toBe('GIVEN');
        for (const entry of given) expect(Date.parse(entry.givenAt)).toBeLessThanOrEqual(Date.parse(last!.givenAt));
      }),
      { numRuns: 300 },
    );
  });
  it('the discharge day: scheduled only when something was recorded on it; at most one partial run, that day alone, below its schedule', () => {
    fc.assert(
      fc.property(entriesArb, scheduledArb, fc.integer({ min: 0, max: 39 }), fc.integer({ min: 0, max: 800 }), (entries, scheduled, dischargeOffset, scheduledQuarters) => {
        const discharge = { date: dayOf(dischargeOffset), scheduledDose: scheduledQuarters / 4 };
        // Nothing is recorded after the discharge day.
        const stay = entries.filter((e) => e.date <= discharge.date);
        const days = scheduled.filter((d) => d <= discharge.date);
        const history = taperAdministrationHistory(stay, days, discharge);
        const recordedOnIt = stay.some((e) => e.date === discharge.date);
        const plain = taperAdministrationHistory(stay, days);
        expect(history.scheduledDays).toBe(plain.scheduledDays - (days.includes(discharge.date) && !recordedOnIt ? 1 : 0));
        expect(history.daysNotRecorded).not.toContain(discharge.date);
        // The same days given, at the same totals: only the runs' split and mark may differ.
        const daysOf = (runs: typeof history.dosesGiven) => runs.flatMap((run) => Array.from({ length: run.days }, (_, i) => `${addDays(run.firstDay, i)}:${run.dailyDose}`));
        expect(daysOf(history.dosesGiven)).toEqual(daysOf(plain.dosesGiven));
        const partial = history.dosesGiven.filter((run) => run.partial);
        const given = quartersGiven(stay, discharge.date);
        expect(partial.length).toBe(given > 0 && given < scheduledQuarters ? 1 : 0);
        for (const run of partial) expect(run).toMatchObject({ firstDay: discharge.date, lastDay: discharge.date, days: 1 });
        expect(history.adherence.includes('only in part on the discharge day')).toBe(partial.length === 1);
      }),
      { numRuns: 300 },
    );
  });

  it('steps reached by discharge and those due split the schedule in order; only a discharge-day step with nothing given waits', () => {
    const scheduleArb = fc.uniqueArray(fc.integer({ min: 0, max: 39 }), { minLength: 1, maxLength: 8 }).chain((offsets) =>
      fc.tuple(...offsets.sort((a, b) => a - b).map((offset) => fc.integer({ min: 0, max: 60 }).map((dose) => ({ startsOn: dayOf(offset), dailyDose: dose })))),
    );
    fc.assert(
      fc.property(scheduleArb, entriesArb, fc.integer({ min: 0, max: 39 }), (schedule, entries, dischargeOffset) => {
        const dischargedOn = dayOf(dischargeOffset);
        const { reached, due } = stepsReachedBy(schedule, entries, dischargedOn);
        expect([...reached, ...due]).toEqual(schedule);
        for (const step of reached) expect(step.startsOn <= dischargedOn).toBe(true);
        const waiting = due.filter((s) => s.startsOn <= dischargedOn);
        expect(waiting.length).toBeLessThanOrEqual(1);
        for (const step of waiting) {
          expect(step.startsOn).toBe(dischargedOn);
          expect(step.dailyDose).toBeGreaterThan(0);
          expect(givenPerDay(entries).has(dischargedOn)).toBe(false);
          expect(reached.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
