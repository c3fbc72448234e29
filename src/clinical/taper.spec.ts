import { describe, expect, it } from '@jest/globals';
import {
  addDays,
  checkTaperInvariants,
  daysBetween,
  DEFAULT_TAPER_RULES,
  generateTaper,
  isAchievable,
  quantumOf,
  type TaperParams,
} from './taper.js';
import { API_EXAMPLE_ORDER, stepsOf, WORKED_EXAMPLE_STEPS } from '../../test/support/taper-example.js';
import { ruleErrorOf } from '../../test/support/clinical-errors.js';

const oxycodone = API_EXAMPLE_ORDER;

const codes = (warnings: { code: string }[]): string[] => warnings.map((w) => w.code);

describe('the worked example: oxycodone 60 mg/day, 10% of the start per week', () => {
  // Worked out by hand: see WORKED_EXAMPLE_STEPS.
  const expected = [...WORKED_EXAMPLE_STEPS];

  it('reproduces every step, the end date and the warnings', () => {
    const schedule = generateTaper(oxycodone);
    expect(schedule.steps).toEqual(expected);
    expect(schedule.endsOn).toBe('2027-06-26');
    expect(schedule.requestedWeeklyRatePercent).toBe(10);
    expect(codes(schedule.warnings)).toEqual(['INTERVAL_STRETCHED']);
    expect(checkTaperInvariants(schedule.steps, oxycodone)).toEqual([]);
  });

  it('gives the same schedule for the drug code in any case and with its unit', () => {
    expect(generateTaper({ ...oxycodone, drug: ' OxyCodone ', unit: 'mg' }).steps).toEqual(expected);
  });

  it('basis CURRENT: 10% of the current dose, stretching from 22.5 mg on', () => {
    // Cut 10% of the previous dose, rounded up: 54→55, 49.5→50, 45, 40.5→42.5, 38.25→40, …, 22.5 exactly;
    // from 22.5 the planned cut (2.25) is under 2.5: ceil(7 × 2.5 ÷ cut) = 8, 9, 10, 12, 14, 18, 24, 35 days.
    const schedule = generateTaper({ ...oxycodone, basis: 'CURRENT' });
    expect(schedule.steps).toEqual(
      stepsOf([
        [1, '2027-01-04', 60, 90, 0, 100],
        [2, '2027-01-11', 55, 82.5, 8.33, 91.67],
        [3, '2027-01-18', 50, 75, 9.09, 83.33],
        [4, '2027-01-25', 45, 67.5, 10, 75],
        [5, '2027-02-01', 42.5, 63.75, 5.56, 70.83],
        [6, '2027-02-08', 40, 60, 5.88, 66.67],
        [7, '2027-02-15', 37.5, 56.25, 6.25, 62.5],
        [8, '2027-02-22', 35, 52.5, 6.67, 58.33],
        [9, '2027-03-01', 32.5, 48.75, 7.14, 54.17],
        [10, '2027-03-08', 30, 45, 7.69, 50],
        [11, '2027-03-15', 27.5, 41.25, 8.33, 45.83],
        [12, '2027-03-22', 25, 37.5, 9.09, 41.67],
        [13, '2027-03-29', 22.5, 33.75, 10, 37.5],
        [14, '2027-04-06', 20, 30, 11.11, 33.33],
        [15, '2027-04-15', 17.5, 26.25, 12.5, 29.17],
        [16, '2027-04-25', 15, 22.5, 14.29, 25],
        [17, '2027-05-07', 12.5, 18.75, 16.67, 20.83],
        [18, '2027-05-21', 10, 15, 20, 16.67],
        [19, '2027-06-08', 7.5, 11.25, 25, 12.5],
        [20, '2027-07-02', 5, 7.5, 33.33, 8.33],
        [21, '2027-08-06', 2.5, 3.75, 50, 4.17],
        [22, '2027-08-13', 0, 0, 100, 0],
      ]),
    );
    expect(codes(schedule.warnings)).toEqual(['INTERVAL_STRETCHED']);
  });

  it('a target of 20 mg ends on the ninth step, with nothing stretched', () => {
    const schedule = generateTaper({ ...oxycodone, targetDailyDose: 20 });
    expect(schedule.steps).toEqual(expected.slice(0, 9));
    expect(schedule.endsOn).toBe('2027-03-01');
    expect(schedule.warnings).toEqual([]);
  });

  it('a planned dose at or below the target goes to the target: 25 → (19) → 22.5', () => {
    const schedule = generateTaper({ ...oxycodone, targetDailyDose: 22.5 });
    expect(schedule.steps).toEqual([...expected.slice(0, 8), ...stepsOf([[9, '2027-03-01', 22.5, 33.75, 10, 37.5]])]);
  });

  it('a target below the switch: 15 → 12.5 after a stretched interval', () => {
    const schedule = generateTaper({ ...oxycodone, targetDailyDose: 12.5 });
    expect(schedule.steps).toEqual(expected.slice(0, 11));
    expect(codes(schedule.warnings)).toEqual(['INTERVAL_STRETCHED']);
  });

  it('without half tablets (quantum 5 mg) the tail stretches more: 24 and 35 days', () => {
    const schedule = generateTaper({ ...oxycodone, allowHalfTablets: false });
    expect(schedule.steps).toEqual([
      ...expected.slice(0, 10),
      ...stepsOf([
        [11, '2027-04-01', 10, 15, 33.33, 16.67], // planned cut 1.5: ceil(7 × 5 ÷ 1.5) = 24 days
        [12, '2027-05-06', 5, 7.5, 50, 8.33], // planned cut 1: 35 days
        [13, '2027-05-13', 0, 0, 100, 0], // from 5 mg, the smallest strength: not abrupt
      ]),
    ]);
  });
});

describe('fentanyl patches (mcg/h, never halved)', () => {
  const fentanyl: TaperParams = {
    ...oxycodone,
    drug: 'fentanyl',
    formulation: 'TRANSDERMAL',
    unit: 'mcg/h',
    startDailyDose: 50,
    unitStrengths: [12.5, 25, 50],
    allowHalfTablets: false,
  };

  it('50 mcg/h with 12.5 patches: every cut is one 12.5 patch, 18 days apart (5 planned)', () => {
    const schedule = generateTaper(fentanyl);
    expect(schedule.steps).toEqual(
      stepsOf([
        [1, '2027-01-04', 50, 120, 0, 100],
        [2, '2027-01-22', 37.5, 90, 25, 75],
        [3, '2027-02-09', 25, 60, 33.33, 50],
        [4, '2027-02-27', 12.5, 30, 50, 25],
        [5, '2027-03-06', 0, 0, 100, 0],
      ]),
    );
    expect(codes(schedule.warnings)).toEqual(['INTERVAL_STRETCHED', 'FENTANYL_PATCH_CAUTION']);
  });

  it('50 mcg/h is not achievable with patches listed as 12, and the refusal says to list them as 12.5', () => {
    const error = ruleErrorOf(() => generateTaper({ ...fentanyl, unitStrengths: [12, 25] }));
    expect([error.code, error.field]).toEqual(['DOSE_NOT_ACHIEVABLE', 'startDailyDose']);
    expect(error.message).toBe(
      'The starting dose must be a whole multiple of 12 (the smallest strength; the fentanyl patch labelled 12 delivers 12.5 mcg/h: list it as 12.5), more than 0.',
    );
  });

  it('a patch cannot be halved', () => {
    const error = ruleErrorOf(() => generateTaper({ ...fentanyl, allowHalfTablets: true }));
    expect([error.code, error.field]).toEqual(['PATCH_NOT_DIVISIBLE', 'allowHalfTablets']);
  });

  it('a patch strength is in mcg/h, not mg', () => {
    const error = ruleErrorOf(() => generateTaper({ ...fentanyl, unit: 'mg' }));
    expect([error.code, error.field]).toEqual(['UNIT_MISMATCH', 'unit']);
  });
});

describe('guidance: the requested rate', () => {
  it('20% a week is refused without an override reason', () => {
    const error = ruleErrorOf(() => generateTaper({ ...oxycodone, reductionPercent: 20 }));
    expect([error.code, error.field]).toEqual(['FASTER_THAN_GUIDANCE', 'reductionPercent']);
    expect(error.message).toContain('20% per week');
  });

  it('10% every 5 days is 14% a week: refused too', () => {
    expect(ruleErrorOf(() => generateTaper({ ...oxycodone, intervalDays: 5 })).code).toBe('FASTER_THAN_GUIDANCE');
  });

  it('a blank override reason is no reason', () => {
    expect(ruleErrorOf(() => generateTaper({ ...oxycodone, reductionPercent: 20, overrideReason: '  ' })).code).toBe('FASTER_THAN_GUIDANCE');
  });

  it('20% a week with an override: allowed, warned, and the tail still stretched', () => {
    const schedule = generateTaper({ ...oxycodone, reductionPercent: 20, overrideReason: 'Patient request after review' });
    // Cut 12 (20% of 60) above 18 mg: 48→50, 38→40, 28→30, 18→20, 8→10; then 2, 1.5, 1 planned: 9, 12, 18 days.
    expect(schedule.steps.map((s) => [s.startsOn, s.dailyDose])).toEqual([
      ['2027-01-04', 60],
      ['2027-01-11', 50],
      ['2027-01-18', 40],
      ['2027-01-25', 30],
      ['2027-02-01', 20],
      ['2027-02-08', 10],
      ['2027-02-17', 7.5],
      ['2027-03-01', 5],
      ['2027-03-19', 2.5],
      ['2027-03-26', 0],
    ]);
    expect(schedule.requestedWeeklyRatePercent).toBe(20);
    // 20 → 10 cuts half the dose at once.
    expect(codes(schedule.warnings)).toEqual(['FASTER_THAN_GUIDANCE', 'INTERVAL_STRETCHED', 'LARGE_SINGLE_CUT']);
  });

  it('exactly the limit (20% of the current dose every 14 days) passes; 10.01% a week does not', () => {
    expect(generateTaper({ ...oxycodone, basis: 'CURRENT', reductionPercent: 20, intervalDays: 14 }).requestedWeeklyRatePercent).toBe(10);
    expect(ruleErrorOf(() => generateTaper({ ...oxycodone, reductionPercent: 10.01 })).code).toBe('FASTER_THAN_GUIDANCE');
  });

  it('follows the limit of the rules it is given', () => {
    const rules = { ...DEFAULT_TAPER_RULES, maxWeeklyReductionPercent: 5 };
    expect(ruleErrorOf(() => generateTaper(oxycodone, rules)).code).toBe('FASTER_THAN_GUIDANCE');
    expect(generateTaper({ ...oxycodone, intervalDays: 14 }, rules).warnings.map((w) => w.code)).toEqual(['INTERVAL_STRETCHED']);
  });
});

describe('guidance: no large single cut (LARGE_SINGLE_CUT, refused without a reason)', () => {
  // 1 mg tablets, no halves: every whole mg is achievable, so the cuts are exactly as ordered.
  // 10 000 mg is absurd as a dose but lets a cut of 25.01% or 24.99% be exactly achievable.
  const byTheMg = { ...oxycodone, startDailyDose: 10_000, unitStrengths: [1], allowHalfTablets: false, basis: 'CURRENT' as const, intervalDays: 18 };
  const firstCut = (percent: number): [number, number][] => generateTaper({ ...byTheMg, reductionPercent: percent }).steps.slice(0, 2).map((s) => [s.dailyDose, s.reductionPercent]);

  it('one 90% cut followed by a nine-week wait is refused, although its weekly rate is within the limit', () => {
    const order = { ...oxycodone, startDailyDose: 100, targetDailyDose: 10, reductionPercent: 90, intervalDays: 63 };
    const error = ruleErrorOf(() => generateTaper(order));
    expect([error.code, error.field]).toEqual(['LARGE_SINGLE_CUT', 'reductionPercent']);
    expect(error.message).toBe(
      'One step cuts more than 25% of the previous dose at once: step 2 cuts 90% (to 10 on 2027-03-08). CDC 2022 advises against large ' +
        'cuts from a higher dose, whatever the wait after them: give smaller, more frequent steps, or an override reason.',
    );
  });

  it('60 → 30 → 15 mg every 35 days is refused too', () => {
    const order = { ...oxycodone, basis: 'CURRENT' as const, reductionPercent: 50, intervalDays: 35 };
    expect(ruleErrorOf(() => generateTaper(order)).code).toBe('LARGE_SINGLE_CUT');
  });

  it('domain.md: 20% of the start every 14 days (the same weekly rate) cuts 36 → 24 mg, 33%: needs a reason', () => {
    const order = { ...oxycodone, unitStrengths: [1], allowHalfTablets: false, reductionPercent: 20, intervalDays: 14 };
    expect(ruleErrorOf(() => generateTaper(order)).message).toContain('step 4 cuts 33.33% (to 24 on 2027-02-15)');
  });

  it('a cut of exactly 25% passes; 24.99% passes; 25.01% is refused', () => {
    expect(firstCut(25)).toEqual([[10_000, 0], [7500, 25]]);
    expect(firstCut(24.99)).toEqual([[10_000, 0], [7501, 24.99]]);
    const error = ruleErrorOf(() => generateTaper({ ...byTheMg, reductionPercent: 25.01 }));
    expect(error.code).toBe('LARGE_SINGLE_CUT');
    expect(error.message).toMatch(/more than 25% of the previous dose at once: step 2 cuts 25.01% \(to 7499 on 2027-01-22\);/);
  });

  it.each([
    ['overrideReason', { overrideReason: 'Reviewed with the patient' }],
    ['lifeThreateningReason', { lifeThreateningReason: 'Respiratory depression' }],
  ])('is allowed with %s, and the warning stays', (_, reason) => {
    const schedule = generateTaper({ ...byTheMg, reductionPercent: 25.01, ...reason });
    expect(schedule.steps[1]).toMatchObject({ dailyDose: 7499, reductionPercent: 25.01 });
    expect(codes(schedule.warnings)).toContain('LARGE_SINGLE_CUT');
    expect(schedule.warnings.find((w) => w.code === 'LARGE_SINGLE_CUT')?.message).toMatch(/Allowed with the recorded reason\.$/);
  });

  it('a blank reason is no reason', () => {
    expect(ruleErrorOf(() => generateTaper({ ...byTheMg, reductionPercent: 30, intervalDays: 21, overrideReason: '  ', lifeThreateningReason: '' })).code).toBe('LARGE_SINGLE_CUT');
  });

  it('never refuses the CDC pattern (10% of the start weekly, then of the current dose) nor one-quantum steps near the end', () => {
    expect(codes(generateTaper(oxycodone).warnings)).not.toContain('LARGE_SINGLE_CUT');
    // 10 → 5 → 0 with 5 mg tablets: the 50% cut is the smallest possible one.
    const tail = generateTaper({ ...oxycodone, startDailyDose: 10, allowHalfTablets: false, basis: 'CURRENT', reductionPercent: 50, intervalDays: 35 });
    expect(tail.warnings).toEqual([]);
  });

  it('follows the limit of the rules it is given, and refuses a limit of 0', () => {
    expect(firstCut(25)[1]).toEqual([7500, 25]);
    expect(ruleErrorOf(() => generateTaper({ ...byTheMg, reductionPercent: 25 }, { ...DEFAULT_TAPER_RULES, maxSingleCutPercent: 24.99 })).code).toBe('LARGE_SINGLE_CUT');
    expect(ruleErrorOf(() => generateTaper(oxycodone, { ...DEFAULT_TAPER_RULES, maxSingleCutPercent: 0 })).code).toBe('INVALID_TAPER_RULES');
  });
});

describe('guidance: the CDC pattern is held to 25% per cut near the switch (SINGLE_CUT_LIMITED)', () => {
  // 175 mg/day in 5 mg tablets: 10% of the start is 17.5, rounded to cuts of 15 mg (never more than
  // planned), so the doses fall off the 10% grid: 55 mg is 31% of the start, still above the switch.
  const order = { ...oxycodone, startDailyDose: 175, allowHalfTablets: false };

  it('55 → 40 mg would cut 27.27%: that step cuts 25% (55 → 45, rounded up), and the order is not refused', () => {
    const schedule = generateTaper(order);
    const doses = schedule.steps.map((s) => s.dailyDose);
    expect(doses.slice(0, 12)).toEqual([175, 160, 145, 130, 115, 100, 85, 70, 55, 45, 40, 35]);
    expect(schedule.steps[9]).toMatchObject({ dailyDose: 45, reductionPercent: 18.18 });
    expect(codes(schedule.warnings)).toEqual(['INTERVAL_STRETCHED', 'SINGLE_CUT_LIMITED']);
    expect(checkTaperInvariants(schedule.steps, order)).toEqual([]);
  });

  it('does not hold bigger, rarer steps: 20% of the start every 14 days is judged as ordered', () => {
    expect(ruleErrorOf(() => generateTaper({ ...order, reductionPercent: 20, intervalDays: 14 })).code).toBe('LARGE_SINGLE_CUT');
  });
});

describe('guidance: never an abrupt stop', () => {
  const halving = { ...oxycodone, reductionPercent: 50, overrideReason: 'Reviewed' };

  it('60 mg, 50% of the start weekly: 60, 30, then 30 → 0 from above 5 mg is refused', () => {
    const error = ruleErrorOf(() => generateTaper(halving));
    expect([error.code, error.field]).toEqual(['ABRUPT_DISCONTINUATION', 'reductionPercent']);
  });

  it('is refused even within the weekly rate (50% every 35 days)', () => {
    const slow = { ...oxycodone, reductionPercent: 50, intervalDays: 35 };
    expect(ruleErrorOf(() => generateTaper(slow)).code).toBe('ABRUPT_DISCONTINUATION');
    const allowed = generateTaper({ ...slow, lifeThreateningReason: 'Respiratory depression' });
    expect(allowed.steps).toEqual(
      stepsOf([
        [1, '2027-01-04', 60, 90, 0, 100],
        [2, '2027-02-08', 30, 45, 50, 50],
        [3, '2027-03-15', 0, 0, 100, 0],
      ]),
    );
    expect(codes(allowed.warnings)).toEqual(['ABRUPT_DISCONTINUATION', 'LARGE_SINGLE_CUT']);
  });

  it('is allowed with a life-threatening reason, and both warnings stay', () => {
    const schedule = generateTaper({ ...halving, lifeThreateningReason: 'Life-threatening respiratory depression' });
    expect(schedule.steps.map((s) => [s.startsOn, s.dailyDose])).toEqual([
      ['2027-01-04', 60],
      ['2027-01-11', 30],
      ['2027-01-18', 0],
    ]);
    expect(codes(schedule.warnings)).toEqual(['FASTER_THAN_GUIDANCE', 'ABRUPT_DISCONTINUATION', 'LARGE_SINGLE_CUT']);
  });

  it('a stop from the smallest strength itself is not abrupt', () => {
    // 10 → 5 → 0 with 5 mg tablets, 50% of the current dose every 35 days.
    const schedule = generateTaper({ ...oxycodone, startDailyDose: 10, allowHalfTablets: false, basis: 'CURRENT', reductionPercent: 50, intervalDays: 35 });
    expect(schedule.steps.map((s) => s.dailyDose)).toEqual([10, 5, 0]);
    expect(schedule.warnings).toEqual([]);
  });
});

describe('achievable doses', () => {
  it('the quantum is the smallest strength, or half of it', () => {
    expect(quantumOf({ unitStrengths: [10, 5], allowHalfTablets: true })).toBe(2.5);
    expect(quantumOf({ unitStrengths: [10, 5], allowHalfTablets: false })).toBe(5);
    expect(quantumOf({ unitStrengths: [0.5, 2], allowHalfTablets: true })).toBe(0.25);
    expect(isAchievable(12.5, 2.5)).toBe(true);
    expect(isAchievable(0, 2.5)).toBe(true);
    expect(isAchievable(61, 2.5)).toBe(false);
    expect(isAchievable(0.3, 0.1)).toBe(true); // exact: 0.3 / 0.1 in floating point is 2.9999999999999996
    expect(isAchievable(12.5, 0)).toBe(false);
  });

  it.each([
    ['start 61 mg with quantum 2.5', { startDailyDose: 61 }, 'startDailyDose'],
    ['start 0', { startDailyDose: 0 }, 'startDailyDose'],
    ['start with a 4th decimal', { startDailyDose: 60.0001 }, 'startDailyDose'],
    ['target 21 mg with quantum 2.5', { targetDailyDose: 21 }, 'targetDailyDose'],
    ['target 2.5 mg without halves', { targetDailyDose: 2.5, allowHalfTablets: false }, 'targetDailyDose'],
    ['target equal to the start', { targetDailyDose: 60 }, 'targetDailyDose'],
    ['target above the start', { targetDailyDose: 80 }, 'targetDailyDose'],
    ['target below 0', { targetDailyDose: -5 }, 'targetDailyDose'],
  ] as [string, Partial<TaperParams>, string][])('%s → DOSE_NOT_ACHIEVABLE', (_, change, field) => {
    const error = ruleErrorOf(() => generateTaper({ ...oxycodone, ...change }));
    expect([error.code, error.field]).toEqual(['DOSE_NOT_ACHIEVABLE', field]);
  });
});

describe('length and inputs', () => {
  it('more steps than maxSteps → SCHEDULE_TOO_LONG', () => {
    const error = ruleErrorOf(() => generateTaper(oxycodone, { ...DEFAULT_TAPER_RULES, maxSteps: 15 }));
    expect(error.code).toBe('SCHEDULE_TOO_LONG');
    expect(generateTaper(oxycodone, { ...DEFAULT_TAPER_RULES, maxSteps: 16 }).steps).toHaveLength(16);
    const morphine = { ...oxycodone, drug: 'morphine', startDailyDose: 1000, unitStrengths: [1], reductionPercent: 1, basis: 'CURRENT' as const };
    expect(ruleErrorOf(() => generateTaper(morphine)).code).toBe('SCHEDULE_TOO_LONG');
  });

  it.each([
    ['an unknown drug', 'UNKNOWN_OPIOID', 'drug', { drug: 'heroin' }],
    ['buprenorphine (no MME factor)', 'NO_CONVERSION_FACTOR', 'drug', { drug: 'buprenorphine' }],
    ['oxycodone as a patch', 'NO_CONVERSION_FACTOR', 'formulation', { formulation: 'TRANSDERMAL' }],
    ['no unit strengths', 'INVALID_UNIT_STRENGTH', 'unitStrengths', { unitStrengths: [] }],
    ['a strength of 0', 'INVALID_UNIT_STRENGTH', 'unitStrengths[1]', { unitStrengths: [5, 0] }],
    ['a negative strength', 'INVALID_UNIT_STRENGTH', 'unitStrengths[0]', { unitStrengths: [-5] }],
    ['a half with a 4th decimal', 'INVALID_UNIT_STRENGTH', 'unitStrengths', { unitStrengths: [0.005] }],
    ['reduction 0%', 'INVALID_REDUCTION_PERCENT', 'reductionPercent', { reductionPercent: 0 }],
    ['reduction over 100%', 'INVALID_REDUCTION_PERCENT', 'reductionPercent', { reductionPercent: 101 }],
    ['reduction NaN', 'INVALID_REDUCTION_PERCENT', 'reductionPercent', { reductionPercent: Number.NaN }],
    ['reduction with 3 decimals', 'INVALID_REDUCTION_PERCENT', 'reductionPercent', { reductionPercent: 5.125 }],
    ['an interval of 0 days', 'INVALID_INTERVAL', 'intervalDays', { intervalDays: 0 }],
    ['an interval of 7.5 days', 'INVALID_INTERVAL', 'intervalDays', { intervalDays: 7.5 }],
    ['an interval over a year', 'INVALID_INTERVAL', 'intervalDays', { intervalDays: 366 }],
    ['an unknown basis', 'INVALID_BASIS', 'basis', { basis: 'ORIGINAL' as never }],
    ['30 February', 'INVALID_DATE', 'startDate', { startDate: '2027-02-30' }],
    ['a date without padding', 'INVALID_DATE', 'startDate', { startDate: '2027-1-4' }],
    ['a timestamp', 'INVALID_DATE', 'startDate', { startDate: '2027-01-04T00:00:00Z' }],
  ] as [string, string, string, Partial<TaperParams>][])('%s → %s on %s', (_, code, field, change) => {
    const error = ruleErrorOf(() => generateTaper({ ...oxycodone, ...change }));
    expect([error.code, error.field]).toEqual([code, field]);
  });

  it('refuses unusable rules', () => {
    expect(ruleErrorOf(() => generateTaper(oxycodone, { ...DEFAULT_TAPER_RULES, maxWeeklyReductionPercent: 0 })).code).toBe('INVALID_TAPER_RULES');
    expect(ruleErrorOf(() => generateTaper(oxycodone, { ...DEFAULT_TAPER_RULES, switchFractionOfStart: 1.5 })).code).toBe('INVALID_TAPER_RULES');
    expect(ruleErrorOf(() => generateTaper(oxycodone, { ...DEFAULT_TAPER_RULES, maxSteps: 1 })).code).toBe('INVALID_TAPER_RULES');
  });
});

describe('dates', () => {
  it('adds and counts whole calendar days in UTC', () => {
    expect(addDays('2027-02-22', 7)).toBe('2027-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-03-28', 1)).toBe('2027-03-29'); // across a daylight-saving change elsewhere
    expect(addDays('2027-01-04', -4)).toBe('2026-12-31');
    expect(daysBetween('2027-01-04', '2027-06-26')).toBe(173);
    expect(daysBetween('2027-06-26', '2027-01-04')).toBe(-173);
    expect(addDays('0099-12-31', 1)).toBe('0100-01-01');
  });

  it('refuses what is not a date or falls outside four-digit years', () => {
    expect(ruleErrorOf(() => addDays('2027-13-01', 1)).code).toBe('INVALID_DATE');
    expect(ruleErrorOf(() => addDays('2027-01-01', 1.5)).code).toBe('INVALID_DAYS');
    expect(ruleErrorOf(() => addDays('9999-12-31', 1)).code).toBe('DATE_OUT_OF_RANGE');
  });
});
