import { describe, expect, it } from '@jest/globals';
import { addDays, amendTaper, checkTaperInvariants, doseTakenOn, generateTaper, scheduledDoseOn, taperStateOn, type TaperStep } from './taper.js';
import { API_EXAMPLE_ORDER } from '../../test/support/taper-example.js';
import { ruleErrorOf } from '../../test/support/clinical-errors.js';

const oxycodone = API_EXAMPLE_ORDER;
/** The worked example: 16 steps, 2027-01-04 to 2027-06-26; step 5 is 40 mg on 2027-02-01. */
const v1 = { params: oxycodone, steps: generateTaper(oxycodone).steps, pauses: [] };
/** Version 2: a pause of 14 days from 2027-02-03 (held 2027-02-03 to 2027-02-16). */
const v2 = amendTaper(v1, { effectiveFrom: '2027-02-03', pauseDays: 14 }, '2027-02-03');
const datesAndDoses = (steps: TaperStep[]): [string, number][] => steps.map((s) => [s.startsOn, s.dailyDose]);
const days = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
};

describe('a rate amendment on the day of a pause keeps the pause', () => {
  const v3 = amendTaper(v2, { effectiveFrom: '2027-02-03', reductionPercent: 5 }, '2027-02-03');

  it('version 3 still lists the pause, and its first new step starts the day the pause ends', () => {
    expect(v3.pauses).toEqual([{ from: '2027-02-03', days: 14 }]);
    expect(v3.keptSteps).toBe(5);
    // 5% of the start (3 mg): 40 → 37 → 37.5; due 2027-02-08, held until 2027-02-16.
    expect(datesAndDoses(v3.steps.slice(4, 9))).toEqual([
      ['2027-02-01', 40],
      ['2027-02-17', 37.5],
      ['2027-02-24', 35],
      ['2027-03-03', 32.5],
      ['2027-03-10', 30],
    ]);
    expect(checkTaperInvariants(v3.steps, v3.params, undefined, { fromStep: 6, pauses: v3.pauses })).toEqual([]);
  });

  it('the dose of each day agrees: 40 mg paused through 2027-02-16, 37.5 mg not paused on 2027-02-17', () => {
    for (const day of days('2027-02-03', '2027-02-16')) {
      expect(scheduledDoseOn(v3, day)).toEqual({ step: 5, dailyDose: 40, dailyMme: 60, stepStartedOn: '2027-02-01', paused: true });
    }
    expect(scheduledDoseOn(v3, '2027-02-02')).toMatchObject({ dailyDose: 40, paused: false });
    expect(scheduledDoseOn(v3, '2027-02-17')).toEqual({ step: 6, dailyDose: 37.5, dailyMme: 56.25, stepStartedOn: '2027-02-17', paused: false });
  });
});

describe('ending a pause early (endPause)', () => {
  it('on its sixth day: the pause keeps its five held days and the steps come 9 days sooner', () => {
    const ended = amendTaper(v2, { effectiveFrom: '2027-02-08', endPause: true, reason: 'Withdrawal settled' }, '2027-02-08');
    expect(ended.pauses).toEqual([{ from: '2027-02-03', days: 5 }]);
    expect(datesAndDoses(ended.steps.slice(4, 7))).toEqual([
      ['2027-02-01', 40],
      ['2027-02-13', 35], // was 2027-02-22
      ['2027-02-20', 30],
    ]);
    expect(ended.endsOn).toBe('2027-07-01');
    expect(scheduledDoseOn(ended, '2027-02-07')?.paused).toBe(true);
    expect(scheduledDoseOn(ended, '2027-02-08')?.paused).toBe(false);
  });

  it('never brings a step nearer the last kept one than the interval', () => {
    // Version 3 put its first new step at the end of the pause (2027-02-17); ended on 2027-02-05,
    // 12 days sooner would be 2027-02-05, only 4 days after 40 mg on 2027-02-01: it starts 2027-02-08.
    const v3 = amendTaper(v2, { effectiveFrom: '2027-02-03', reductionPercent: 5 }, '2027-02-03');
    const ended = amendTaper(v3, { effectiveFrom: '2027-02-05', endPause: true, reason: 'Changed plan' }, '2027-02-05');
    expect(ended.pauses).toEqual([{ from: '2027-02-03', days: 2 }]);
    expect(datesAndDoses(ended.steps.slice(5, 7))).toEqual([
      ['2027-02-08', 37.5],
      ['2027-02-15', 35],
    ]);
  });

  it('ended on its first day, the pause goes altogether', () => {
    const v2b = amendTaper(v1, { effectiveFrom: '2027-02-02', pauseDays: 14 }, '2027-02-02');
    const ended = amendTaper(v2b, { effectiveFrom: '2027-02-02', endPause: true, reason: 'Changed plan' }, '2027-02-02');
    expect(ended.pauses).toEqual([]);
    expect(ended.steps.slice(5).map((s) => s.startsOn)).toEqual(v1.steps.slice(5).map((s) => s.startsOn));
  });

  it('with a new rate: the pause is cut short and the new steps start after the last kept one', () => {
    const ended = amendTaper(v2, { effectiveFrom: '2027-02-08', endPause: true, reason: 'Settled', reductionPercent: 5 }, '2027-02-08');
    expect(ended.pauses).toEqual([{ from: '2027-02-03', days: 5 }]);
    expect(datesAndDoses(ended.steps.slice(5, 7))).toEqual([
      ['2027-02-08', 37.5],
      ['2027-02-15', 35],
    ]);
  });

  it('needs a reason, and a pause in force', () => {
    expect(ruleErrorOf(() => amendTaper(v2, { effectiveFrom: '2027-02-08', endPause: true, reason: ' ' }, '2027-02-08'))).toMatchObject({ code: 'REASON_REQUIRED', field: 'reason' });
    expect(ruleErrorOf(() => amendTaper(v2, { effectiveFrom: '2027-02-17', endPause: true, reason: 'x' }, '2027-02-17'))).toMatchObject({ code: 'NO_PAUSE_IN_FORCE', field: 'endPause' });
    expect(ruleErrorOf(() => amendTaper(v1, { effectiveFrom: '2027-02-08', endPause: true, reason: 'x' }, '2027-02-08')).code).toBe('NO_PAUSE_IN_FORCE');
  });

  it('on the last held day (2027-02-16) is still in force; the day after it is not', () => {
    expect(amendTaper(v2, { effectiveFrom: '2027-02-16', endPause: true, reason: 'x' }, '2027-02-16').pauses).toEqual([{ from: '2027-02-03', days: 13 }]);
  });
});

describe('amending the pause itself (pauseDays while it is in force)', () => {
  it('shorter: 3 days from its sixth day holds until 2027-02-10, so the steps come 6 days sooner', () => {
    const shorter = amendTaper(v2, { effectiveFrom: '2027-02-08', pauseDays: 3 }, '2027-02-08');
    expect(shorter.pauses).toEqual([
      { from: '2027-02-03', days: 5 },
      { from: '2027-02-08', days: 3 },
    ]);
    expect(shorter.steps[5].startsOn).toBe('2027-02-16');
    expect(shorter.steps.slice(5).map((s) => s.startsOn)).toEqual(v2.steps.slice(5).map((s) => addDays(s.startsOn, -6)));
  });

  it('longer: 20 days from its sixth day holds until 2027-02-27, so the steps come 11 days later', () => {
    const longer = amendTaper(v2, { effectiveFrom: '2027-02-08', pauseDays: 20 }, '2027-02-08');
    expect(longer.steps.slice(5).map((s) => s.startsOn)).toEqual(v2.steps.slice(5).map((s) => addDays(s.startsOn, 11)));
    for (const day of days('2027-02-03', '2027-02-27')) expect(scheduledDoseOn(longer, day)?.paused).toBe(true);
    expect(scheduledDoseOn(longer, '2027-02-28')?.paused).toBe(false);
  });
});

describe('a pause set for later is honoured by a later rate amendment', () => {
  it('a step due inside it starts the day it ends', () => {
    const later = amendTaper(v1, { effectiveFrom: '2027-02-20', pauseDays: 10 }, '2027-02-10');
    const faster = amendTaper(later, { effectiveFrom: '2027-02-12', reductionPercent: 7, intervalDays: 5 }, '2027-02-12');
    expect(faster.pauses).toEqual([{ from: '2027-02-20', days: 10 }]);
    expect(datesAndDoses(faster.steps.slice(6, 10))).toEqual([
      ['2027-02-13', 32.5],
      ['2027-02-18', 30],
      ['2027-03-02', 27.5], // due 2027-02-23, held 2027-02-20 to 2027-03-01
      ['2027-03-07', 25],
    ]);
  });
});

describe('scheduledDoseOn: the nurses’ list of a version', () => {
  const target20 = { params: { ...oxycodone, targetDailyDose: 20 }, steps: generateTaper({ ...oxycodone, targetDailyDose: 20 }).steps, pauses: [] };

  it('no dose before the first step; the step in force on each day', () => {
    expect(scheduledDoseOn(v1, '2027-01-03')).toBeNull();
    expect(scheduledDoseOn(v1, '2027-01-04')).toEqual({ step: 1, dailyDose: 60, dailyMme: 90, stepStartedOn: '2027-01-04', paused: false });
    expect(scheduledDoseOn(v1, '2027-01-10')).toMatchObject({ step: 1, dailyDose: 60 });
    expect(scheduledDoseOn(v1, '2027-01-11')).toMatchObject({ step: 2, dailyDose: 55 });
  });

  it('lists the day of the final stop (0) and nothing after; a taper to a maintenance dose stays on it', () => {
    expect(scheduledDoseOn(v1, '2027-06-26')).toMatchObject({ step: 16, dailyDose: 0 });
    expect(scheduledDoseOn(v1, '2027-06-27')).toBeNull();
    expect(scheduledDoseOn(target20, '2027-12-31')).toMatchObject({ step: 9, dailyDose: 20 });
  });

  it('never marks a step day paused, even in a version stored before the fix', () => {
    const stored = { steps: v1.steps, pauses: [{ from: '2027-02-06', days: 5 }] }; // 2027-02-08 (35 mg) inside it
    expect(scheduledDoseOn(stored, '2027-02-07')).toMatchObject({ dailyDose: 40, paused: true });
    expect(scheduledDoseOn(stored, '2027-02-08')).toMatchObject({ dailyDose: 35, paused: false });
    expect(checkTaperInvariants(stored.steps, oxycodone, undefined, { pauses: stored.pauses })).toEqual(['Step 6 starts on 2027-02-08, inside a pause.']);
  });

  it('doseTakenOn: nothing from the order before its first step (the intake dose is taken), 0 after the stop', () => {
    expect(doseTakenOn(v1, '2027-01-03')).toBeNull();
    expect(doseTakenOn(v1, '2027-01-11')).toBe(55);
    expect(doseTakenOn(v1, '2027-06-26')).toBe(0);
    expect(doseTakenOn(v1, '2027-09-01')).toBe(0);
    expect(doseTakenOn({ steps: [], pauses: [] }, '2027-09-01')).toBeNull();
  });

  it('taperStateOn: in force with a dose above zero that day from any active version', () => {
    expect(taperStateOn([v1], '2027-01-03')).toBe('NONE');
    expect(taperStateOn([v1], '2027-01-04')).toBe('IN_FORCE');
    expect(taperStateOn([v1], '2027-06-25')).toBe('IN_FORCE');
    expect(taperStateOn([v1], '2027-06-26')).toBe('NONE'); // the stop day: dose 0
    expect(taperStateOn([v1, target20], '2027-07-01')).toBe('IN_FORCE');
    expect(taperStateOn([], '2027-07-01')).toBe('NONE');
    // Version 2 holds 2027-02-03 to 2027-02-16 in a pause (the step starting on the 3rd gives its dose).
    expect(taperStateOn([v2], '2027-02-04')).toBe('PAUSED');
    expect(taperStateOn([v2], '2027-02-17')).toBe('IN_FORCE');
    expect(taperStateOn([v2, target20], '2027-02-04')).toBe('IN_FORCE');
  });
});
