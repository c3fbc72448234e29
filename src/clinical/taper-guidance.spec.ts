import { describe, expect, it } from '@jest/globals';
import { DEFAULT_TAPER_RULES, generateOpioidTaper, generateTaper, type TaperParams } from './taper.js';
import { API_EXAMPLE_ORDER, stepsOf } from '../../test/support/taper-example.js';
import { ruleErrorOf } from '../../test/support/clinical-errors.js';

const codes = (warnings: { code: string }[]): string[] => warnings.map((w) => w.code);
const longTerm = (months: number) => ({ intakeOpioids: [{ drug: 'oxycodone', monthsOnTherapy: months }] });

describe('FASTER_THAN_LONG_TERM_GUIDANCE (a year or more on opioids: about 10% per 28 days)', () => {
  it('the worked example for a patient 30 months on oxycodone: every step is faster than 10% per 28 days, the fastest 40%', () => {
    const schedule = generateTaper(API_EXAMPLE_ORDER, DEFAULT_TAPER_RULES, longTerm(30));
    expect(schedule.steps).toEqual(generateTaper(API_EXAMPLE_ORDER).steps);
    expect(schedule.warnings).toEqual([
      { code: 'INTERVAL_STRETCHED', message: expect.any(String) },
      {
        code: 'FASTER_THAN_LONG_TERM_GUIDANCE',
        // 5 mg of 60 in 7 days is 33.33% per 28 days; 2.5 of 12.5 in 14 days (step 12) is 40%.
        message:
          'Opioids taken a year or more (oxycodone for 30 months): 14 steps are faster than 10% per 28 days, up to 40% (step 12). ' +
          "CDC 2022 advises about 10% a month or slower after a year; the programme's residential practice is 5–10% every 1–2 weeks, individually paced.",
      },
    ]);
  });

  it('is a warning, never a refusal, and only from 12 months: 11 months gives none', () => {
    expect(codes(generateTaper(API_EXAMPLE_ORDER, DEFAULT_TAPER_RULES, longTerm(12)).warnings)).toContain('FASTER_THAN_LONG_TERM_GUIDANCE');
    expect(codes(generateTaper(API_EXAMPLE_ORDER, DEFAULT_TAPER_RULES, longTerm(11)).warnings)).toEqual(['INTERVAL_STRETCHED']);
    expect(codes(generateTaper(API_EXAMPLE_ORDER).warnings)).toEqual(['INTERVAL_STRETCHED']);
  });

  // 1 mg tablets of 10 000 mg (absurd as a dose, exact as arithmetic): 10% of the current dose every 28 days.
  const monthly: TaperParams = { ...API_EXAMPLE_ORDER, startDailyDose: 10_000, unitStrengths: [1], allowHalfTablets: false, basis: 'CURRENT', intervalDays: 28 };

  it('exactly 10% per 28 days: none; 9.99%: none; 10.01%: warned', () => {
    expect(codes(generateTaper(monthly, DEFAULT_TAPER_RULES, longTerm(24)).warnings)).not.toContain('FASTER_THAN_LONG_TERM_GUIDANCE');
    expect(codes(generateTaper({ ...monthly, reductionPercent: 9.99 }, DEFAULT_TAPER_RULES, longTerm(24)).warnings)).not.toContain('FASTER_THAN_LONG_TERM_GUIDANCE');
    const faster = generateTaper({ ...monthly, reductionPercent: 10.01 }, DEFAULT_TAPER_RULES, longTerm(24));
    expect(faster.warnings.find((w) => w.code === 'FASTER_THAN_LONG_TERM_GUIDANCE')?.message).toContain('up to 10.01% (step 2)');
  });

  it('follows its rule settings', () => {
    const rules = { ...DEFAULT_TAPER_RULES, longTermMonths: 36, maxLongTermPercentPer28Days: 40 };
    expect(codes(generateTaper(API_EXAMPLE_ORDER, rules, longTerm(30)).warnings)).toEqual(['INTERVAL_STRETCHED']);
    expect(codes(generateTaper(API_EXAMPLE_ORDER, rules, longTerm(36)).warnings)).toEqual(['INTERVAL_STRETCHED']);
    expect(codes(generateTaper(API_EXAMPLE_ORDER, { ...rules, maxLongTermPercentPer28Days: 39.99 }, longTerm(36)).warnings)).toContain('FASTER_THAN_LONG_TERM_GUIDANCE');
    expect(ruleErrorOf(() => generateTaper(API_EXAMPLE_ORDER, { ...rules, longTermMonths: 0 })).code).toBe('INVALID_TAPER_RULES');
  });
});

describe('drug cautions', () => {
  it('methadone 40 mg/day to 20: METHADONE_CAUTION, the steps as for any tablet', () => {
    const methadone: TaperParams = { ...API_EXAMPLE_ORDER, drug: 'methadone', startDailyDose: 40, targetDailyDose: 20 };
    const schedule = generateTaper(methadone);
    expect(schedule.steps.map((s) => [s.dailyDose, s.dailyMme])).toEqual([
      [40, 188], [37.5, 176.25], [35, 164.5], [32.5, 152.75], [30, 141], [27.5, 129.25], [25, 117.5], [22.5, 105.75], [20, 94],
    ]);
    expect(schedule.warnings).toEqual([
      {
        code: 'METHADONE_CAUTION',
        message:
          'Methadone: its half-life is long and varies between patients, so respiratory depression can come later and last longer than ' +
          'the pain relief. Observe more closely (every 2–3 days) after each change.',
      },
    ]);
  });

  it('transdermal fentanyl: FENTANYL_PATCH_CAUTION; oxycodone: no caution', () => {
    const patch: TaperParams = { ...API_EXAMPLE_ORDER, drug: 'fentanyl', formulation: 'TRANSDERMAL', unit: 'mcg/h', startDailyDose: 25, unitStrengths: [12.5], allowHalfTablets: false };
    expect(generateTaper(patch).warnings.find((w) => w.code === 'FENTANYL_PATCH_CAUTION')?.message).toMatch(/^Fentanyl patch: heat .* raises absorption/);
    expect(codes(generateTaper(API_EXAMPLE_ORDER).warnings)).not.toContain('METHADONE_CAUTION');
  });
});

describe('buprenorphine tapers (generateOpioidTaper)', () => {
  const sublingual: TaperParams = { ...API_EXAMPLE_ORDER, drug: 'buprenorphine', startDailyDose: 16, unitStrengths: [2, 8] };

  it('16 mg/day sublingual, 2 mg tablets halved: 1 mg cuts, dailyMme null, and a warning that MME does not apply', () => {
    const schedule = generateOpioidTaper(sublingual);
    expect(schedule.steps).toEqual(
      stepsOf([
        [1, '2027-01-04', 16, 0, 0, 100],
        [2, '2027-01-11', 15, 0, 6.25, 93.75],
        [3, '2027-01-18', 14, 0, 6.67, 87.5],
        [4, '2027-01-25', 13, 0, 7.14, 81.25],
        [5, '2027-02-01', 12, 0, 7.69, 75],
        [6, '2027-02-08', 11, 0, 8.33, 68.75],
        [7, '2027-02-15', 10, 0, 9.09, 62.5],
        [8, '2027-02-22', 9, 0, 10, 56.25],
        [9, '2027-03-01', 8, 0, 11.11, 50],
        [10, '2027-03-08', 7, 0, 12.5, 43.75],
        [11, '2027-03-15', 6, 0, 14.29, 37.5],
        [12, '2027-03-22', 5, 0, 16.67, 31.25],
        [13, '2027-03-29', 4, 0, 20, 25], // 5 mg is above 4.8 (30% of 16): 1.6 planned, rounded to a 1 mg cut
        [14, '2027-04-16', 3, 0, 25, 18.75], // 10% of 4 is 0.4 < 1 mg: ceil(7 × 1 ÷ 0.4) = 18 days
        [15, '2027-05-10', 2, 0, 33.33, 12.5], // 24 days
        [16, '2027-06-14', 1, 0, 50, 6.25], // 35 days
        [17, '2027-06-21', 0, 0, 100, 0], // from 1 mg, under the 2 mg strength: not abrupt
      ]).map((s) => ({ ...s, dailyMme: null })),
    );
    expect(schedule.warnings).toEqual([
      { code: 'INTERVAL_STRETCHED', message: expect.any(String) },
      {
        code: 'MME_NOT_APPLICABLE',
        message: 'MME does not apply: this opioid has no MME factor (buprenorphine, a partial agonist), so its steps show no daily MME and MME totals leave it out.',
      },
    ]);
  });

  it('a 20 mcg/h patch in 5 mcg/h steps, 18 days apart', () => {
    const patch: TaperParams = { ...sublingual, formulation: 'TRANSDERMAL', unit: 'mcg/h', startDailyDose: 20, unitStrengths: [5, 10, 20], allowHalfTablets: false };
    expect(generateOpioidTaper(patch).steps.map((s) => [s.startsOn, s.dailyDose, s.dailyMme])).toEqual([
      ['2027-01-04', 20, null],
      ['2027-01-22', 15, null],
      ['2027-02-09', 10, null],
      ['2027-02-27', 5, null],
      ['2027-03-06', 0, null],
    ]);
  });

  it('generateTaper still refuses it (its steps must carry MME), and the units are checked', () => {
    expect(ruleErrorOf(() => generateTaper(sublingual)).code).toBe('NO_CONVERSION_FACTOR');
    expect(ruleErrorOf(() => generateOpioidTaper({ ...sublingual, unit: 'mcg/h' }))).toMatchObject({ code: 'UNIT_MISMATCH', field: 'unit' });
    expect(ruleErrorOf(() => generateOpioidTaper({ ...sublingual, formulation: 'ER' }))).toMatchObject({ code: 'UNSUPPORTED_FORMULATION', field: 'formulation' });
  });

  it('gives the same schedule as generateTaper for a drug with a factor', () => {
    expect(generateOpioidTaper(API_EXAMPLE_ORDER)).toEqual(generateTaper(API_EXAMPLE_ORDER));
  });
});
