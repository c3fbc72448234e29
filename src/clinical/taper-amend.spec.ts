import { describe, expect, it } from '@jest/globals';
import { addDays, amendTaper, checkTaperInvariants, generateTaper, type TaperStep } from './taper.js';
import { API_EXAMPLE_ORDER, stepsOf } from '../../test/support/taper-example.js';
import { ruleErrorOf } from '../../test/support/clinical-errors.js';
import { pausesHoldingADose } from './taper-amend-pauses.js';

const oxycodone = API_EXAMPLE_ORDER;
/** The worked example of taper.spec.ts: 16 steps, 2027-01-04 to 2027-06-26. */
const original = { params: oxycodone, steps: generateTaper(oxycodone).steps, pauses: [] };

const datesAndDoses = (steps: TaperStep[]): [string, number][] => steps.map((s) => [s.startsOn, s.dailyDose]);

describe('a pause', () => {
  it('of 7 days from 2027-02-03 keeps steps 1–5 and moves steps 6–16 by exactly 7 days', () => {
    const amended = amendTaper(original, { effectiveFrom: '2027-02-03', pauseDays: 7 }, '2027-02-03');
    expect(amended.keptSteps).toBe(5);
    expect(amended.steps.slice(0, 5)).toEqual(original.steps.slice(0, 5));
    expect(datesAndDoses(amended.steps.slice(5))).toEqual([
      ['2027-02-15', 35],
      ['2027-02-22', 30],
      ['2027-03-01', 25],
      ['2027-03-08', 20],
      ['2027-03-15', 15],
      ['2027-03-27', 12.5],
      ['2027-04-10', 10],
      ['2027-04-28', 7.5],
      ['2027-05-22', 5],
      ['2027-06-26', 2.5],
      ['2027-07-03', 0],
    ]);
    expect(amended.endsOn).toBe('2027-07-03');
    expect(amended.pauses).toEqual([{ from: '2027-02-03', days: 7 }]);
    expect(amended.params).toEqual(oxycodone);
    expect(amended.warnings).toEqual([]);
    expect(checkTaperInvariants(amended.steps, amended.params)).toEqual([]);
  });

  it('keeps a step that started today even when it starts on effectiveFrom', () => {
    const amended = amendTaper(original, { effectiveFrom: '2027-02-08', pauseDays: 3 }, '2027-02-08');
    expect(amended.keptSteps).toBe(6);
    expect(amended.steps[5]).toEqual(original.steps[5]);
    expect(amended.steps[6].startsOn).toBe('2027-02-18');
  });

  it('from a later date keeps every step before that date, even those not started yet', () => {
    const amended = amendTaper(original, { effectiveFrom: '2027-02-10', pauseDays: 14 }, '2027-02-01');
    expect(amended.keptSteps).toBe(6); // 2027-02-08 is before 2027-02-10
    expect(amended.steps[6].startsOn).toBe('2027-03-01');
  });

  it('adds to the pauses already on the order', () => {
    const once = amendTaper(original, { effectiveFrom: '2027-02-03', pauseDays: 7 }, '2027-02-03');
    const twice = amendTaper(once, { effectiveFrom: '2027-03-02', pauseDays: 5 }, '2027-03-02');
    expect(twice.pauses).toEqual([
      { from: '2027-02-03', days: 7 },
      { from: '2027-03-02', days: 5 },
    ]);
    expect(twice.keptSteps).toBe(8); // 2027-03-01 (25 mg) has started
    expect(twice.steps[8].startsOn).toBe('2027-03-13');
    expect(twice.endsOn).toBe(addDays('2027-06-26', 12));
  });
});

describe('a new rate', () => {
  it('5% of the start from 2027-03-01 regenerates from the 25 mg step with the original 30% switch', () => {
    const amended = amendTaper(original, { effectiveFrom: '2027-03-01', reductionPercent: 5 }, '2027-02-25');
    // From 25 mg (above 18): cut 3 → 22 → 22.5, 19.5 → 20, 17 → 17.5; below 18, 5% of the current dose
    // is under 2.5 mg: ceil(7 × 2.5 ÷ cut) = 20, 24, 28, 35, 47, 70 days; then the stop 7 days on.
    expect(amended.keptSteps).toBe(8);
    expect(amended.steps).toEqual([
      ...original.steps.slice(0, 8),
      ...stepsOf([
        [9, '2027-03-01', 22.5, 33.75, 10, 37.5],
        [10, '2027-03-08', 20, 30, 11.11, 33.33],
        [11, '2027-03-15', 17.5, 26.25, 12.5, 29.17],
        [12, '2027-04-04', 15, 22.5, 14.29, 25],
        [13, '2027-04-28', 12.5, 18.75, 16.67, 20.83],
        [14, '2027-05-26', 10, 15, 20, 16.67],
        [15, '2027-06-30', 7.5, 11.25, 25, 12.5],
        [16, '2027-08-16', 5, 7.5, 33.33, 8.33],
        [17, '2027-10-25', 2.5, 3.75, 50, 4.17],
        [18, '2027-11-01', 0, 0, 100, 0],
      ]),
    ]);
    expect(amended.endsOn).toBe('2027-11-01');
    expect(amended.params).toEqual({ ...oxycodone, reductionPercent: 5, overrideReason: null });
    expect(amended.pauses).toEqual([]);
    expect(amended.requestedWeeklyRatePercent).toBe(5);
    expect(amended.warnings.map((w) => w.code)).toEqual(['INTERVAL_STRETCHED']);
    expect(checkTaperInvariants(amended.steps, amended.params)).toEqual([]);
  });

  it('falls due no earlier than effectiveFrom', () => {
    // Last kept: 40 mg on 2027-02-01. 5% every 5 days would be due on 2027-02-06, but starts on 2027-02-08.
    const amended = amendTaper(original, { effectiveFrom: '2027-02-08', reductionPercent: 5, intervalDays: 5 }, '2027-02-05');
    expect(amended.keptSteps).toBe(5);
    expect(datesAndDoses(amended.steps.slice(4, 8))).toEqual([
      ['2027-02-01', 40],
      ['2027-02-08', 37.5], // cut 3 (5% of 60): 37 → 37.5
      ['2027-02-13', 35],
      ['2027-02-18', 32.5],
    ]);
    expect(amended.requestedWeeklyRatePercent).toBe(7);
  });

  it('keeps a step not started yet when it starts before effectiveFrom', () => {
    const amended = amendTaper(original, { effectiveFrom: '2027-02-12', intervalDays: 10 }, '2027-02-05');
    expect(amended.keptSteps).toBe(6); // 35 mg on 2027-02-08
    expect(datesAndDoses(amended.steps.slice(5, 8))).toEqual([
      ['2027-02-08', 35],
      ['2027-02-18', 30],
      ['2027-02-28', 25],
    ]);
  });

  it('over the guidance is refused without the amendment’s own override reason', () => {
    const withOldOverride = { ...original, params: { ...oxycodone, overrideReason: 'Earlier review' } };
    const faster = { effectiveFrom: '2027-02-03', reductionPercent: 20 };
    const error = ruleErrorOf(() => amendTaper(withOldOverride, faster, '2027-02-03'));
    expect([error.code, error.field]).toEqual(['FASTER_THAN_GUIDANCE', 'reductionPercent']);
    const allowed = amendTaper(original, { ...faster, overrideReason: 'Patient request after review' }, '2027-02-03');
    expect(allowed.warnings.map((w) => w.code)).toEqual(['FASTER_THAN_GUIDANCE', 'INTERVAL_STRETCHED', 'LARGE_SINGLE_CUT']);
    expect(allowed.params.overrideReason).toBe('Patient request after review');
  });

  it('that would stop abruptly is refused unless the order has a life-threatening reason', () => {
    // 100% every 70 days is within 10% a week, but stops from 40 mg at once.
    const stop = { effectiveFrom: '2027-02-03', reductionPercent: 100, intervalDays: 70 };
    const error = ruleErrorOf(() => amendTaper(original, stop, '2027-02-03'));
    expect(error.code).toBe('ABRUPT_DISCONTINUATION');
    const urgent = { ...original, params: { ...oxycodone, lifeThreateningReason: 'Respiratory depression' } };
    const amended = amendTaper(urgent, stop, '2027-02-03');
    expect(datesAndDoses(amended.steps.slice(4))).toEqual([
      ['2027-02-01', 40],
      ['2027-04-12', 0],
    ]);
    expect(amended.warnings.map((w) => w.code)).toEqual(['ABRUPT_DISCONTINUATION']);
  });
});

describe('a pause with a new interval', () => {
  it('14 days from 2027-02-03 and every 14 days: the first new step on 2027-02-17, not 2027-02-15', () => {
    const amended = amendTaper(original, { effectiveFrom: '2027-02-03', pauseDays: 14, intervalDays: 14 }, '2027-02-03');
    expect(amended.keptSteps).toBe(5);
    expect(amended.steps.slice(0, 5)).toEqual(original.steps.slice(0, 5));
    expect(datesAndDoses(amended.steps.slice(5))).toEqual([
      ['2027-02-17', 35],
      ['2027-03-03', 30],
      ['2027-03-17', 25],
      ['2027-03-31', 20],
      ['2027-04-14', 15],
      ['2027-05-08', 12.5], // ceil(14 × 2.5 ÷ 1.5) = 24 days
      ['2027-06-05', 10], // 28
      ['2027-07-10', 7.5], // 35
      ['2027-08-26', 5], // 47
      ['2027-11-04', 2.5], // 70
      ['2027-11-18', 0], // the stop, 14 days on
    ]);
    expect(amended.steps.map((s) => s.step)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(amended.pauses).toEqual([{ from: '2027-02-03', days: 14 }]);
    expect(amended.params.intervalDays).toBe(14);
    expect(checkTaperInvariants(amended.steps, amended.params, undefined, { fromStep: 6 })).toEqual([]);
  });
});

describe('a taper that has not started', () => {
  it('a pause that ends before the start moves the whole schedule and its start date', () => {
    const amended = amendTaper(original, { effectiveFrom: '2026-12-28', pauseDays: 5 }, '2026-12-20');
    expect(amended.keptSteps).toBe(0);
    expect(amended.params.startDate).toBe('2027-01-09');
    expect(amended.steps.map((s) => s.startsOn)).toEqual(original.steps.map((s) => addDays(s.startsOn, 5)));
    expect(checkTaperInvariants(amended.steps, amended.params)).toEqual([]);
  });

  it('a pause from before the start that runs past it holds the start dose from the signed start, for the days it covers', () => {
    // 2026-12-28 for 14 days runs to 2027-01-10: 7 of them are the order's.
    const amended = amendTaper(original, { effectiveFrom: '2026-12-28', pauseDays: 14 }, '2026-12-20');
    expect(amended.keptSteps).toBe(1);
    expect(amended.params.startDate).toBe('2027-01-04');
    expect(amended.steps[0]).toEqual(original.steps[0]);
    expect(amended.steps.slice(1).map((s) => s.startsOn)).toEqual(original.steps.slice(1).map((s) => addDays(s.startsOn, 7)));
    expect(amended.pauses).toEqual([{ from: '2027-01-04', days: 7 }]);
  });

  it('a pause from the first step\'s own day holds the start dose from the signed start: no day without a dose', () => {
    const amended = amendTaper(original, { effectiveFrom: '2027-01-04', pauseDays: 14 }, '2026-12-20');
    expect(amended.keptSteps).toBe(1);
    expect(amended.params.startDate).toBe('2027-01-04');
    expect(amended.steps[0]).toEqual(original.steps[0]);
    expect(amended.steps.slice(1).map((s) => s.startsOn)).toEqual(original.steps.slice(1).map((s) => addDays(s.startsOn, 14)));
    expect(amended.pauses).toEqual([{ from: '2027-01-04', days: 14 }]);
    expect(checkTaperInvariants(amended.steps, amended.params, undefined, { fromStep: 2 })).toEqual([]);
  });

  it('with a new interval too, the start dose is held through the pause and the new rate follows it', () => {
    const amended = amendTaper(original, { effectiveFrom: '2027-01-04', pauseDays: 7, intervalDays: 14 }, '2026-12-20');
    expect(amended.params.startDate).toBe('2027-01-04');
    expect(amended.steps[0]).toEqual(original.steps[0]);
    expect(amended.steps[1]).toMatchObject({ startsOn: '2027-01-18', dailyDose: 55 });
  });

  it('a held start stays held: a new rate from before the start keeps the signed start, the start dose through the pause, and follows it', () => {
    const held = amendTaper(original, { effectiveFrom: '2027-01-04', pauseDays: 7 }, '2026-12-20');
    const slower = amendTaper({ params: held.params, steps: held.steps, pauses: held.pauses }, { effectiveFrom: '2026-12-28', reductionPercent: 5 }, '2026-12-20');
    expect(slower.keptSteps).toBe(1);
    expect(slower.params.startDate).toBe('2027-01-04');
    expect(slower.steps[0]).toEqual(original.steps[0]);
    expect(slower.pauses).toEqual([{ from: '2027-01-04', days: 7 }]);
    expect(slower.steps[1].startsOn >= '2027-01-11').toBe(true);
    // A second pause from before the start leaves the held start where it is too; one ending before it holds nothing.
    const again = amendTaper({ params: held.params, steps: held.steps, pauses: held.pauses }, { effectiveFrom: '2027-01-03', pauseDays: 2 }, '2026-12-20');
    expect(again.steps[0]).toEqual(original.steps[0]);
    const before = ruleErrorOf(() => amendTaper({ params: held.params, steps: held.steps, pauses: held.pauses }, { effectiveFrom: '2027-01-02', pauseDays: 2 }, '2026-12-20'));
    expect([before.code, before.field]).toEqual(['NOTHING_TO_AMEND', 'pauseDays']);
  });

  it('a new interval regenerates it from the starting dose on the start date', () => {
    const amended = amendTaper(original, { effectiveFrom: '2026-12-28', intervalDays: 14 }, '2026-12-20');
    expect(datesAndDoses(amended.steps)).toEqual([
      ['2027-01-04', 60],
      ['2027-01-18', 55],
      ['2027-02-01', 50],
      ['2027-02-15', 45],
      ['2027-03-01', 40],
      ['2027-03-15', 35],
      ['2027-03-29', 30],
      ['2027-04-12', 25],
      ['2027-04-26', 20],
      ['2027-05-10', 15],
      ['2027-06-03', 12.5],
      ['2027-07-01', 10],
      ['2027-08-05', 7.5],
      ['2027-09-21', 5],
      ['2027-11-30', 2.5],
      ['2027-12-14', 0],
    ]);
    expect(amended.requestedWeeklyRatePercent).toBe(5);
    expect(checkTaperInvariants(amended.steps, amended.params)).toEqual([]);
  });

  it('with a pause too, from the paused start date', () => {
    const amended = amendTaper(original, { effectiveFrom: '2026-12-28', pauseDays: 7, intervalDays: 14 }, '2026-12-20');
    expect(amended.params.startDate).toBe('2027-01-11');
    expect(amended.steps[0]).toEqual({ ...original.steps[0], startsOn: '2027-01-11' });
    expect(amended.steps[1].startsOn).toBe('2027-01-25');
  });
});

describe('refused amendments', () => {
  it('in the past', () => {
    const error = ruleErrorOf(() => amendTaper(original, { effectiveFrom: '2027-02-01', pauseDays: 7 }, '2027-02-03'));
    expect([error.code, error.field]).toEqual(['AMENDMENT_IN_PAST', 'effectiveFrom']);
  });

  it('that changes nothing', () => {
    expect(ruleErrorOf(() => amendTaper(original, { effectiveFrom: '2027-02-03' }, '2027-02-03')).code).toBe('EMPTY_AMENDMENT');
    expect(ruleErrorOf(() => amendTaper(original, { effectiveFrom: '2027-02-03', pauseDays: null }, '2027-02-03')).code).toBe('EMPTY_AMENDMENT');
  });

  it.each([
    ['pauseDays 0', { pauseDays: 0 }, 'INVALID_PAUSE', 'pauseDays'],
    ['pauseDays 1.5', { pauseDays: 1.5 }, 'INVALID_PAUSE', 'pauseDays'],
    ['reductionPercent 0', { reductionPercent: 0 }, 'INVALID_REDUCTION_PERCENT', 'reductionPercent'],
    ['intervalDays 0', { intervalDays: 0 }, 'INVALID_INTERVAL', 'intervalDays'],
    ['effectiveFrom not a date', { effectiveFrom: '2027-02-31' }, 'INVALID_DATE', 'effectiveFrom'],
  ] as [string, object, string, string][])('with %s', (_, change, code, field) => {
    const error = ruleErrorOf(() => amendTaper(original, { effectiveFrom: '2027-02-03', ...change }, '2027-02-03'));
    expect([error.code, error.field]).toEqual([code, field]);
  });

  it('of a taper whose every step has started', () => {
    const error = ruleErrorOf(() => amendTaper(original, { effectiveFrom: '2027-07-01', pauseDays: 7 }, '2027-07-01'));
    expect(error.code).toBe('NOTHING_TO_AMEND');
  });

  it('with today not a date', () => {
    const error = ruleErrorOf(() => amendTaper(original, { effectiveFrom: '2027-02-03', pauseDays: 7 }, 'today'));
    expect([error.code, error.field]).toEqual(['INVALID_DATE', 'today']);
  });
});

describe('pausesHoldingADose (F8: a pause that holds nothing is not kept)', () => {
  const steps = [{ startsOn: '2027-01-10', dailyDose: 40 }, { startsOn: '2027-01-20', dailyDose: 0 }];
  it('drops a pause before the first step or from the stop on, ends one running past the stop there, keeps one from the first day', () => {
    const pauses = [{ from: '2027-01-09', days: 1 }, { from: '2027-01-10', days: 3 }, { from: '2027-01-18', days: 5 }, { from: '2027-01-20', days: 3 }];
    expect(pausesHoldingADose(pauses, steps)).toEqual([{ from: '2027-01-10', days: 3 }, { from: '2027-01-18', days: 2 }]);
    expect(pausesHoldingADose([{ from: '2027-01-30', days: 3 }], [{ startsOn: '2027-01-10', dailyDose: 40 }])).toEqual([{ from: '2027-01-30', days: 3 }]);
  });
});
