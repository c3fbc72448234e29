import { describe, expect, it } from '@jest/globals';
import { dateRanges, lastDoseGiven, patchDaysWorn, stepsReachedBy, taperAdministrationHistory, type TaperDoseEntry } from './administration-history.js';

/** Every date from `first` to `last`, both included (written out by hand in the scenarios below). */
function datesFrom(first: string, last: string): string[] {
  const dates: string[] = [];
  for (let day = new Date(`${first}T00:00:00Z`); day.toISOString().slice(0, 10) <= last; day.setUTCDate(day.getUTCDate() + 1)) dates.push(day.toISOString().slice(0, 10));
  return dates;
}

/** A dose at 08:00 and one at 20:00 in Bangkok (01:00 and 13:00 UTC). */
const twice = (date: string, dose: number, outcome: TaperDoseEntry['outcome'] = 'GIVEN'): TaperDoseEntry[] => [
  { date, dose, outcome, givenAt: `${date}T01:00:00.000Z` },
  { date, dose, outcome, givenAt: `${date}T13:00:00.000Z` },
];

describe('taperAdministrationHistory', () => {
  it('a 30-day stay on the example order, two days held and one refused: the runs split at each day with nothing given', () => {
    // 60 mg/day to 2027-01-10, 55 from 01-11, 50 from 01-18, 45 from 01-25, 40 from 02-01; half the day's dose twice a day.
    const half: [string, number][] = [['2027-01-04', 30], ['2027-01-11', 27.5], ['2027-01-18', 25], ['2027-01-25', 22.5], ['2027-02-01', 20]];
    const stay = datesFrom('2027-01-04', '2027-02-02');
    const skipped: Record<string, TaperDoseEntry['outcome']> = { '2027-01-12': 'HELD', '2027-01-15': 'REFUSED', '2027-01-20': 'HELD' };
    const entries = stay.flatMap((date) => {
      const dose = half.filter(([from]) => from <= date).at(-1)![1];
      return twice(date, dose, skipped[date] ?? 'GIVEN');
    });

    const history = taperAdministrationHistory(entries, stay);

    expect(history.dosesGiven).toEqual([
      { dailyDose: 60, firstDay: '2027-01-04', lastDay: '2027-01-10', days: 7, partial: false },
      { dailyDose: 55, firstDay: '2027-01-11', lastDay: '2027-01-11', days: 1, partial: false },
      { dailyDose: 55, firstDay: '2027-01-13', lastDay: '2027-01-14', days: 2, partial: false },
      { dailyDose: 55, firstDay: '2027-01-16', lastDay: '2027-01-17', days: 2, partial: false },
      { dailyDose: 50, firstDay: '2027-01-18', lastDay: '2027-01-19', days: 2, partial: false },
      { dailyDose: 50, firstDay: '2027-01-21', lastDay: '2027-01-24', days: 4, partial: false },
      { dailyDose: 45, firstDay: '2027-01-25', lastDay: '2027-01-31', days: 7, partial: false },
      { dailyDose: 40, firstDay: '2027-02-01', lastDay: '2027-02-02', days: 2, partial: false },
    ]);
    expect(history).toMatchObject({
      scheduledDays: 30,
      daysGiven: 27,
      daysHeld: ['2027-01-12', '2027-01-20'],
      daysRefused: ['2027-01-15'],
      daysOmitted: [],
      daysNotRecorded: [],
      adherence: 'Given on 27 of 30 scheduled days; held on 2 (2027-01-12, 2027-01-20), refused on 1 (2027-01-15).',
    });
  });

  it('a day with one dose given and one held is a day given, at its own dose, and a day held; days with no entry are named', () => {
    const entries: TaperDoseEntry[] = [
      ...twice('2027-03-01', 10),
      { date: '2027-03-02', dose: 10, outcome: 'GIVEN', givenAt: '2027-03-02T01:00:00.000Z' },
      { date: '2027-03-02', dose: 10, outcome: 'HELD', givenAt: '2027-03-02T13:00:00.000Z' },
      ...twice('2027-03-03', 10),
      // 03-04 to 03-06: nothing recorded.
      { date: '2027-03-07', dose: 20, outcome: 'OMITTED', givenAt: '2027-03-07T01:00:00.000Z' },
      ...twice('2027-03-08', 10),
    ];

    const history = taperAdministrationHistory(entries, datesFrom('2027-03-01', '2027-03-08'));

    expect(history).toEqual({
      scheduledDays: 8,
      daysGiven: 4,
      dosesGiven: [
        { dailyDose: 20, firstDay: '2027-03-01', lastDay: '2027-03-01', days: 1, partial: false },
        { dailyDose: 10, firstDay: '2027-03-02', lastDay: '2027-03-02', days: 1, partial: false },
        { dailyDose: 20, firstDay: '2027-03-03', lastDay: '2027-03-03', days: 1, partial: false },
        { dailyDose: 20, firstDay: '2027-03-08', lastDay: '2027-03-08', days: 1, partial: false },
      ],
      daysHeld: ['2027-03-02'],
      daysRefused: [],
      daysOmitted: ['2027-03-07'],
      daysNotRecorded: ['2027-03-04', '2027-03-05', '2027-03-06'],
      adherence: 'Given on 4 of 8 scheduled days; held on 1 (2027-03-02), omitted on 1 (2027-03-07), nothing recorded on 3 (2027-03-04 to 2027-03-06).',
    });
  });

  it('adds doses exactly: 0.1 + 0.2 mg is the same 0.3 mg a day as 0.3 mg, one run', () => {
    const entries: TaperDoseEntry[] = [
      { date: '2027-01-04', dose: 0.1, outcome: 'GIVEN', givenAt: '2027-01-04T01:00:00.000Z' },
      { date: '2027-01-04', dose: 0.2, outcome: 'GIVEN', givenAt: '2027-01-04T13:00:00.000Z' },
      { date: '2027-01-05', dose: 0.3, outcome: 'GIVEN', givenAt: '2027-01-05T01:00:00.000Z' },
    ];

    expect(taperAdministrationHistory(entries, ['2027-01-04', '2027-01-05']).dosesGiven).toEqual([{ dailyDose: 0.3, firstDay: '2027-01-04', lastDay: '2027-01-05', days: 2, partial: false }]);
  });

  it('the order of the entries does not matter', () => {
    const entries = [...twice('2027-01-05', 5), ...twice('2027-01-04', 5), { date: '2027-01-06', dose: 5, outcome: 'REFUSED' as const, givenAt: '2027-01-06T01:00:00.000Z' }];
    const forward = taperAdministrationHistory(entries, ['2027-01-06', '2027-01-04', '2027-01-05']);

    expect(taperAdministrationHistory([...entries].reverse(), ['2027-01-04', '2027-01-05', '2027-01-06'])).toEqual(forward);
    expect(forward.adherence).toBe('Given on 2 of 3 scheduled days; refused on 1 (2027-01-06).');
  });

  it('says so when nothing was scheduled, when nothing was recorded, and when a dose was given outside the schedule', () => {
    expect(taperAdministrationHistory([], []).adherence).toBe('No dose was scheduled during the stay.');
    expect(taperAdministrationHistory([], ['2027-01-04', '2027-01-05', '2027-01-06'])).toMatchObject({
      daysGiven: 0,
      dosesGiven: [],
      adherence: 'Given on 0 of 3 scheduled days; nothing recorded on 3 (2027-01-04 to 2027-01-06).',
    });
    const outside = taperAdministrationHistory([...twice('2027-01-04', 5), ...twice('2027-01-05', 5)], ['2027-01-04']);
    expect(outside.adherence).toBe('Given on 1 of 1 scheduled days; also given outside the schedule on 1 (2027-01-05).');
    expect(outside.dosesGiven).toEqual([{ dailyDose: 10, firstDay: '2027-01-04', lastDay: '2027-01-05', days: 2, partial: false }]);
  });

  it('a full record reads as one clause', () => {
    const stay = datesFrom('2027-01-30', '2027-02-02');
    expect(taperAdministrationHistory(stay.flatMap((d) => twice(d, 2.5)), stay)).toMatchObject({
      dosesGiven: [{ dailyDose: 5, firstDay: '2027-01-30', lastDay: '2027-02-02', days: 4, partial: false }],
      adherence: 'Given on 4 of 4 scheduled days.',
    });
  });
});

describe('the discharge day', () => {
  const morning = (date: string, dose: number, outcome: TaperDoseEntry['outcome'] = 'GIVEN'): TaperDoseEntry => ({ date, dose, outcome, givenAt: `${date}T01:00:00.000Z` });

  it('left after the morning dose: 20 of 40 mg is a run of its own, marked partial, and the line says so; the day is still a day given', () => {
    // 40 mg a day from 02-01 (20 mg twice a day); discharged on 02-02 after the 08:00 dose.
    const stay = datesFrom('2027-01-31', '2027-02-02');
    const entries = [...twice('2027-01-31', 22.5), ...twice('2027-02-01', 20), morning('2027-02-02', 20)];

    const history = taperAdministrationHistory(entries, stay, { date: '2027-02-02', scheduledDose: 40 });

    expect(history).toEqual({
      scheduledDays: 3,
      daysGiven: 3,
      dosesGiven: [
        { dailyDose: 45, firstDay: '2027-01-31', lastDay: '2027-01-31', days: 1, partial: false },
        { dailyDose: 40, firstDay: '2027-02-01', lastDay: '2027-02-01', days: 1, partial: false },
        { dailyDose: 20, firstDay: '2027-02-02', lastDay: '2027-02-02', days: 1, partial: true },
      ],
      daysHeld: [],
      daysRefused: [],
      daysOmitted: [],
      daysNotRecorded: [],
      adherence: "Given on 3 of 3 scheduled days; only in part on the discharge day (2027-02-02), before the patient left.",
    });
  });

  it('a partial discharge day at the same total as the day before is not folded into that day’s run', () => {
    // 20 of 40 mg on 02-01 (the evening dose held), 20 of 40 mg on the discharge day.
    const entries = [morning('2027-02-01', 20), { ...morning('2027-02-01', 20, 'HELD'), givenAt: '2027-02-01T13:00:00.000Z' }, morning('2027-02-02', 20)];

    expect(taperAdministrationHistory(entries, ['2027-02-01', '2027-02-02'], { date: '2027-02-02', scheduledDose: 40 }).dosesGiven).toEqual([
      { dailyDose: 20, firstDay: '2027-02-01', lastDay: '2027-02-01', days: 1, partial: false },
      { dailyDose: 20, firstDay: '2027-02-02', lastDay: '2027-02-02', days: 1, partial: true },
    ]);
  });

  it('the whole day’s dose given before leaving (40 of 40 mg, or a patch worn) is no partial day; 40.001 of 40 is not partial either', () => {
    const entries = [...twice('2027-02-01', 20), ...twice('2027-02-02', 20)];
    const full = taperAdministrationHistory(entries, ['2027-02-01', '2027-02-02'], { date: '2027-02-02', scheduledDose: 40 });
    expect(full.dosesGiven).toEqual([{ dailyDose: 40, firstDay: '2027-02-01', lastDay: '2027-02-02', days: 2, partial: false }]);
    expect(full.adherence).toBe('Given on 2 of 2 scheduled days.');
    // Just below the schedule, in thousandths: 39.999 of 40 is partial.
    const below = taperAdministrationHistory([morning('2027-02-02', 39.999)], ['2027-02-02'], { date: '2027-02-02', scheduledDose: 40 });
    expect(below.dosesGiven).toEqual([{ dailyDose: 39.999, firstDay: '2027-02-02', lastDay: '2027-02-02', days: 1, partial: true }]);
  });

  it('left before the first dose: the discharge day with nothing recorded is no scheduled day and no gap; a dose held on it still counts', () => {
    const stay = datesFrom('2027-02-05', '2027-02-08');
    const entries = datesFrom('2027-02-05', '2027-02-07').flatMap((d) => twice(d, 7.5));

    const left = taperAdministrationHistory(entries, stay, { date: '2027-02-08', scheduledDose: 14 });
    expect(left).toMatchObject({ scheduledDays: 3, daysGiven: 3, daysNotRecorded: [], adherence: 'Given on 3 of 3 scheduled days.' });
    expect(left.dosesGiven).toEqual([{ dailyDose: 15, firstDay: '2027-02-05', lastDay: '2027-02-07', days: 3, partial: false }]);

    const held = taperAdministrationHistory([...entries, morning('2027-02-08', 7, 'HELD')], stay, { date: '2027-02-08', scheduledDose: 14 });
    expect(held).toMatchObject({ scheduledDays: 4, daysGiven: 3, daysHeld: ['2027-02-08'], adherence: 'Given on 3 of 4 scheduled days; held on 1 (2027-02-08).' });
    // Without a discharge day, the same day with nothing recorded is a gap.
    expect(taperAdministrationHistory(entries, stay).daysNotRecorded).toEqual(['2027-02-08']);
  });
});

describe('stepsReachedBy', () => {
  // Hydromorphone: 16 mg a day from 11-24, 15 from 12-01, 14 from 12-08 (a step day), 13 from 12-15.
  const schedule = [
    { step: 1, startsOn: '2026-11-24', dailyDose: 16 },
    { step: 2, startsOn: '2026-12-01', dailyDose: 15 },
    { step: 3, startsOn: '2026-12-08', dailyDose: 14 },
    { step: 4, startsOn: '2026-12-15', dailyDose: 13 },
  ];
  const dose = (date: string, outcome: TaperDoseEntry['outcome'] = 'GIVEN'): TaperDoseEntry => ({ date, dose: 4, outcome, givenAt: `${date}T01:00:00.000Z` });

  it('discharged on a step day before its first dose: the step before is the dose at discharge, the new step is due from the discharge day', () => {
    const { reached, due } = stepsReachedBy(schedule, [dose('2026-12-07')], '2026-12-08');
    expect(reached.map((s) => s.step)).toEqual([1, 2]);
    expect(due.map((s) => s.step)).toEqual([3, 4]);
  });

  it('a dose of the new step given before leaving reaches it; a dose held does not', () => {
    expect(stepsReachedBy(schedule, [dose('2026-12-08')], '2026-12-08').reached.map((s) => s.step)).toEqual([1, 2, 3]);
    expect(stepsReachedBy(schedule, [dose('2026-12-08', 'HELD')], '2026-12-08').reached.map((s) => s.step)).toEqual([1, 2]);
  });

  it('a step the day before discharge, or a day later, is told by its date alone', () => {
    expect(stepsReachedBy(schedule, [], '2026-12-09')).toEqual({ reached: schedule.slice(0, 3), due: schedule.slice(3) });
    expect(stepsReachedBy(schedule, [], '2026-12-07')).toEqual({ reached: schedule.slice(0, 2), due: schedule.slice(2) });
  });

  it('a stop (0) on the discharge day is reached: nothing is given by design; an order’s first step is reached on its day', () => {
    const stopping = [...schedule.slice(0, 2), { step: 3, startsOn: '2026-12-08', dailyDose: 0 }];
    expect(stepsReachedBy(stopping, [], '2026-12-08')).toEqual({ reached: stopping, due: [] });
    expect(stepsReachedBy(schedule, [], '2026-11-24')).toEqual({ reached: schedule.slice(0, 1), due: schedule.slice(1) });
  });
});

describe('dateRanges', () => {
  it('writes consecutive dates as a range, across the end of a month', () => {
    expect(dateRanges(['2027-01-12'])).toBe('2027-01-12');
    expect(dateRanges(['2027-01-30', '2027-01-31', '2027-02-01', '2027-02-03', '2027-02-05', '2027-02-06'])).toBe('2027-01-30 to 2027-02-01, 2027-02-03, 2027-02-05 to 2027-02-06');
  });
});

describe('lastDoseGiven', () => {
  const entry = (givenAt: string, outcome: TaperDoseEntry['outcome'] = 'GIVEN', dose = 20) => ({ date: givenAt.slice(0, 10), dose, outcome, givenAt });

  it('is the latest dose given by its instant, not the last one listed; a later held or refused dose does not count', () => {
    const last = entry('2027-02-02T01:00:00.000Z');
    const entries = [entry('2027-02-01T13:00:00.000Z'), last, entry('2027-02-01T01:00:00.000Z'), entry('2027-02-02T13:00:00.000Z', 'REFUSED'), entry('2027-02-02T14:00:00.000Z', 'HELD')];

    expect(lastDoseGiven(entries)).toBe(last);
  });

  it('of two doses at the same instant, the one recorded later; null when nothing was given', () => {
    const first = entry('2027-02-02T01:00:00.000Z', 'GIVEN', 10);
    const second = entry('2027-02-02T01:00:00.000Z', 'GIVEN', 5);

    expect(lastDoseGiven([first, second])).toBe(second);
    expect(lastDoseGiven([])).toBeNull();
    expect(lastDoseGiven([entry('2027-02-02T01:00:00.000Z', 'HELD'), entry('2027-02-02T02:00:00.000Z', 'OMITTED')])).toBeNull();
  });
});

describe('patchDaysWorn', () => {
  // Bangkok (+07:00) has no daylight saving: a clinic date is the UTC instant moved 7 hours.
  const bangkok = (instant: Date) => new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
  const patch = (givenAt: string, outcome: TaperDoseEntry['outcome'] = 'GIVEN') => ({ date: bangkok(new Date(givenAt)), dose: 50, outcome, givenAt });

  it('a patch is given on each day it is still on at the day’s end; changed every 72 hours, every day of the taper is a day given', () => {
    const worn = patchDaysWorn([patch('2027-01-05T01:00:00Z'), patch('2027-01-08T01:00:00Z')], 72, bangkok);
    expect(worn.map((e) => e.date)).toEqual(['2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08', '2027-01-09', '2027-01-10']);
    const days = ['2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08', '2027-01-09', '2027-01-10'];
    expect(taperAdministrationHistory(worn, days)).toMatchObject({ daysGiven: 6, daysNotRecorded: [], dosesGiven: [{ dailyDose: 50, firstDay: '2027-01-05', lastDay: '2027-01-10', days: 6, partial: false }] });
  });
  it('a patch applied at the clinic’s midnight comes off at midnight three days later; a held patch stays on its own day', () => {
    expect(patchDaysWorn([patch('2027-01-04T17:00:00Z')], 72, bangkok).map((e) => e.date)).toEqual(['2027-01-05', '2027-01-06', '2027-01-07']);
    expect(patchDaysWorn([patch('2027-01-05T01:00:00Z', 'HELD')], 72, bangkok).map((e) => e.date)).toEqual(['2027-01-05']);
  });
});
