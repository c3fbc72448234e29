import { describe, expect, it } from '@jest/globals';
import {
  averageRanks,
  type DailyMme,
  DEFAULT_PAIN_TREND_OPTIONS,
  painDoseTrend,
  type PainScore,
  type PainTrendOptions,
  spearmanRankCorrelation,
} from './pain-trend.js';
import { addDays } from './calendar-dates.js';
import { ruleErrorOf } from '../../test/support/clinical-errors.js';

const ADMITTED = '2027-03-01';

/** A stay of consecutive days from ADMITTED with the given daily MME. */
const stay = (mmes: readonly number[]): DailyMme[] => mmes.map((mme, i) => ({ date: addDays(ADMITTED, i), mme }));
const weekly = (perWeek: readonly number[]): number[] => perWeek.flatMap((mme) => Array<number>(7).fill(mme));
/** Pain scores by day index of the stay (0 = the day of admission). */
const scores = (byDay: Record<number, number[]>): PainScore[] =>
  Object.entries(byDay).flatMap(([day, values]) => values.map((score) => ({ date: addDays(ADMITTED, Number(day)), score })));
/** Pain scored on the 2nd, 4th and 6th (and 7th when given) day of each week. */
const scoredWeekly = (weeks: readonly number[][], extra: Record<number, number[]> = {}): PainScore[] => {
  const byDay: Record<number, number[]> = {};
  weeks.forEach((values, w) => values.forEach((score, k) => (byDay[w * 7 + [1, 3, 5, 6][k]] = [score])));
  return scores({ ...byDay, ...extra });
};

/**
 * A 10-week taper, 90 → 15 MME. Figures checked independently (scipy.stats.spearmanr over the 31
 * scored days; first-week daily pains 7, 7, 7 — the 2nd day scored twice, 8 and 6 — last week 5, 4, 5, 4).
 */
const TAPER = stay(weekly([90, 75, 60, 45, 37.5, 30, 22.5, 15, 15, 15]));
const PAIN_EASING = scoredWeekly(
  [[7, 7, 7], [7, 6, 7], [6, 7, 6], [6, 5, 6], [5, 6, 5], [5, 5, 4], [5, 4, 5], [4, 5, 4], [5, 4, 4], [5, 4, 5, 4]],
  { 1: [8, 6] },
);
const PAIN_RISING = scoredWeekly(
  [[3, 3, 3], [3, 4, 3], [4, 3, 4], [4, 5, 4], [5, 4, 5], [5, 6, 5], [6, 5, 6], [6, 7, 6], [6, 6, 7], [7, 6, 7, 6]],
  { 1: [2, 4] },
);
const PAIN_FLAT = scoredWeekly([[5, 5, 5], [5, 6, 5], [5, 4, 5], [6, 5, 5], [5, 5, 6], [4, 5, 5], [5, 6, 5], [5, 5, 4], [6, 5, 5], [5, 5, 6]]);
const FIRST_WEEK = { from: '2027-03-01', to: '2027-03-07' };
const LAST_WEEK = { from: '2027-05-03', to: '2027-05-09' };

describe('painDoseTrend: a 10-week taper from 90 to 15 MME', () => {
  it('pain easing with the dose: hyperalgesia likely contributed, as a finding', () => {
    expect(painDoseTrend(TAPER, PAIN_EASING)).toEqual({
      finding: 'HYPERALGESIA_LIKELY_CONTRIBUTED',
      rankCorrelation: 0.86, // 0.8646973742085687
      pairedDays: 31,
      firstWeek: { ...FIRST_WEEK, meanPain: 7, meanMme: 90, scores: 4 },
      lastWeek: { ...LAST_WEEK, meanPain: 4.5, meanMme: 15, scores: 4 },
      text:
        'Pain fell from a mean of 7.0 in the first week to 4.5 in the last while the daily dose fell from 90 to 15 MME ' +
        '(rank correlation 0.86). Opioid-induced hyperalgesia likely contributed to the pain; this is a finding to weigh, not a diagnosis.',
    });
  });

  it('pain rising as the dose falls: the non-opioid pain plan needs attention', () => {
    expect(painDoseTrend(TAPER, PAIN_RISING)).toEqual({
      finding: 'PAIN_ROSE_AS_DOSE_FELL',
      rankCorrelation: -0.94, // -0.938062280394627
      pairedDays: 31,
      firstWeek: { ...FIRST_WEEK, meanPain: 3, meanMme: 90, scores: 4 },
      lastWeek: { ...LAST_WEEK, meanPain: 6.5, meanMme: 15, scores: 4 },
      text:
        'Pain rose from a mean of 3.0 in the first week to 6.5 in the last while the daily dose fell from 90 to 15 MME ' +
        '(rank correlation -0.94). The non-opioid pain plan needs attention (not a return to the previous opioid dose); ' +
        'this is a finding, not a diagnosis.',
    });
  });

  it('flat pain: no clear trend', () => {
    expect(painDoseTrend(TAPER, PAIN_FLAT)).toEqual({
      finding: 'NO_CLEAR_TREND',
      rankCorrelation: -0.04, // -0.037917979599440835
      pairedDays: 30,
      firstWeek: { ...FIRST_WEEK, meanPain: 5, meanMme: 90, scores: 3 },
      lastWeek: { ...LAST_WEEK, meanPain: 5.33, meanMme: 15, scores: 3 },
      text:
        'Mean pain moved by less than 1 point between the first week (5.0) and the last (5.33) while the daily dose fell ' +
        'from 90 to 15 MME (rank correlation -0.04). No clear link between pain and dose; this is a finding, not a diagnosis.',
    });
  });

  it('pain lower at the end but not following the dose day by day: no clear trend', () => {
    // Lowest in weeks 3–5 at mid doses, climbing back as the dose reached its floor.
    const pain = scoredWeekly([[7, 7, 7], [3, 3, 3], [2, 2, 2], [2, 3, 2], [3, 2, 3], [4, 4, 4], [5, 5, 5], [6, 6, 6], [5, 6, 6], [6, 5, 6]]);
    const trend = painDoseTrend(TAPER, pain);
    expect([trend.finding, trend.rankCorrelation, trend.firstWeek.meanPain, trend.lastWeek.meanPain]).toEqual(['NO_CLEAR_TREND', -0.36, 7, 5.67]);
    expect(trend.text).toBe(
      'Pain fell from a mean of 7.0 in the first week to 5.67 in the last while the daily dose fell from 90 to 15 MME, ' +
        'but it did not follow the dose day by day (rank correlation -0.36, below 0.3). No clear link between pain and dose; ' +
        'this is a finding, not a diagnosis.',
    );
  });

  it('reads the thresholds from the options', () => {
    expect(painDoseTrend(TAPER, PAIN_EASING, { minCorrelation: 0.9 }).text).toContain('(rank correlation 0.86, below 0.9)');
    expect(painDoseTrend(TAPER, PAIN_EASING, { minCorrelation: 0.9 }).finding).toBe('NO_CLEAR_TREND');
    expect(painDoseTrend(TAPER, PAIN_EASING, { minPainChange: 3 }).text).toMatch(/^Mean pain moved by less than 3 points between/);
    expect(painDoseTrend(TAPER, PAIN_RISING, { minPainChange: 3.5 }).finding).toBe('PAIN_ROSE_AS_DOSE_FELL');
    expect(painDoseTrend(TAPER, PAIN_RISING, { minPainChange: 3.6 }).finding).toBe('NO_CLEAR_TREND');
    expect(painDoseTrend(TAPER, PAIN_EASING, { minPairedDays: 32 }).finding).toBe('INSUFFICIENT_DATA');
    expect(painDoseTrend(TAPER, PAIN_EASING, { minScoresPerWeek: 5 }).finding).toBe('INSUFFICIENT_DATA');
    expect(DEFAULT_PAIN_TREND_OPTIONS).toEqual({ minScoresPerWeek: 2, minPairedDays: 6, minPainChange: 1, minCorrelation: 0.3 });
  });
});

describe('painDoseTrend: how the figures are taken', () => {
  const TWO_WEEKS = stay(weekly([60, 30]));

  it('a day scored several times counts once in the week mean; `scores` counts every score', () => {
    const pain = scores({ 0: [9, 9], 1: [6], 11: [3], 12: [3], 13: [3] });
    const trend = painDoseTrend(TWO_WEEKS, pain);
    expect(trend.firstWeek).toEqual({ from: '2027-03-01', to: '2027-03-07', meanPain: 7.5, meanMme: 60, scores: 3 });
    expect(trend.pairedDays).toBe(5);
  });

  it('decides on exact means: 13/3 − 10/3 is a fall of 1 point, not 0.9999999999999996', () => {
    const trend = painDoseTrend(TWO_WEEKS, scores({ 0: [4], 1: [4], 2: [5], 11: [3], 12: [3], 13: [4] }));
    expect(trend).toEqual({
      finding: 'HYPERALGESIA_LIKELY_CONTRIBUTED',
      rankCorrelation: 0.74, // by hand: doubled centred ranks give 42 / √(60 × 54)
      pairedDays: 6,
      firstWeek: { from: '2027-03-01', to: '2027-03-07', meanPain: 4.33, meanMme: 60, scores: 3 },
      lastWeek: { from: '2027-03-08', to: '2027-03-14', meanPain: 3.33, meanMme: 30, scores: 3 },
      text: expect.stringContaining(
        'Pain fell from a mean of 4.33 in the first week to 3.33 in the last while the daily dose fell from 60 to 30 MME (rank correlation 0.74).',
      ),
    });
  });

  it('shows fractional doses to 2 decimals without padding', () => {
    const mmes = [...weekly([37.5]), ...Array<number>(6).fill(20), 20.01];
    const trend = painDoseTrend(stay(mmes), scores({ 0: [6], 1: [6], 2: [7], 11: [4], 12: [4], 13: [5] }));
    expect([trend.firstWeek.meanMme, trend.lastWeek.meanMme]).toEqual([37.5, 20]);
    expect(trend.text).toContain('the daily dose fell from 37.5 to 20 MME');
  });
});

describe('painDoseTrend: insufficient data', () => {
  it('too few scores in the last week', () => {
    const pain = PAIN_EASING.filter((p) => p.date < '2027-05-05');
    const trend = painDoseTrend(TAPER, pain);
    expect([trend.finding, trend.lastWeek.scores, trend.lastWeek.meanPain]).toEqual(['INSUFFICIENT_DATA', 1, 5]);
    expect(trend.text).toBe(
      'Too few pain scores to compare the first and last weeks (4 and 1; at least 2 in each are needed); no pain-vs-dose finding can be made.',
    );
  });

  it('no score at all in the first week: its mean pain is null', () => {
    const trend = painDoseTrend(TAPER, PAIN_EASING.filter((p) => p.date > '2027-03-07'));
    expect(trend.finding).toBe('INSUFFICIENT_DATA');
    expect(trend.firstWeek).toEqual({ ...FIRST_WEEK, meanPain: null, meanMme: 90, scores: 0 });
  });

  it('too few paired days even with enough scores in each week', () => {
    const trend = painDoseTrend(TAPER, scores({ 0: [7, 7], 30: [5], 63: [4], 69: [4] }));
    expect([trend.finding, trend.pairedDays, trend.rankCorrelation]).toEqual(['INSUFFICIENT_DATA', 4, 1]);
    expect(trend.text).toBe('Pain was scored on only 4 days of the stay (at least 6 are needed); no pain-vs-dose finding can be made.');
  });

  it('a 5-day stay: the two weeks are the same days', () => {
    const trend = painDoseTrend(stay([60, 50, 40, 30, 20]), scores({ 0: [8], 1: [7], 2: [6], 3: [5], 4: [4] }));
    const week = { from: '2027-03-01', to: '2027-03-05', meanPain: 6, meanMme: 40, scores: 5 };
    expect(trend).toEqual({
      finding: 'INSUFFICIENT_DATA',
      rankCorrelation: 1,
      pairedDays: 5,
      firstWeek: week,
      lastWeek: week,
      text: 'The stay of 5 days is too short to compare a first and a last week of 7 days each; no pain-vs-dose finding can be made.',
    });
  });

  it('13 days overlap by one day; 14 days are two separate weeks', () => {
    const pain = scores({ 0: [8], 1: [8], 2: [8], 10: [4], 11: [4], 12: [4] });
    const thirteen = painDoseTrend(stay([...weekly([60]), ...Array<number>(6).fill(30)]), pain);
    expect([thirteen.finding, thirteen.lastWeek.from]).toEqual(['INSUFFICIENT_DATA', '2027-03-07']);
    expect(painDoseTrend(stay(weekly([60, 30])), pain).finding).toBe('HYPERALGESIA_LIKELY_CONTRIBUTED');
  });

  it('a single-day stay', () => {
    const trend = painDoseTrend(stay([15]), scores({ 0: [3] }));
    expect([trend.finding, trend.rankCorrelation, trend.text]).toEqual([
      'INSUFFICIENT_DATA',
      null,
      'The stay of 1 day is too short to compare a first and a last week of 7 days each; no pain-vs-dose finding can be made.',
    ]);
  });

  it('the dose rose: no hyperalgesia finding whatever the pain did', () => {
    const rising = stay([...TAPER].reverse().map((d) => d.mme));
    const trend = painDoseTrend(rising, PAIN_EASING);
    expect([trend.finding, trend.firstWeek.meanMme, trend.lastWeek.meanMme]).toEqual(['INSUFFICIENT_DATA', 15, 90]);
    expect(trend.text).toBe(
      'The daily dose did not fall between the first week (mean 15 MME) and the last (90 MME), so pain cannot be read ' +
        'against a dose reduction; no pain-vs-dose finding can be made.',
    );
  });

  it('the dose stayed the same: no finding, and no correlation with a constant dose', () => {
    const trend = painDoseTrend(stay(weekly(Array<number>(10).fill(60))), PAIN_EASING);
    expect([trend.finding, trend.rankCorrelation]).toEqual(['INSUFFICIENT_DATA', null]);
  });

  it('an empty list of pain scores', () => {
    const trend = painDoseTrend(TAPER, []);
    expect([trend.finding, trend.pairedDays, trend.rankCorrelation, trend.firstWeek.meanPain]).toEqual(['INSUFFICIENT_DATA', 0, null, null]);
  });
});

describe('painDoseTrend: inputs it refuses', () => {
  const pain = scores({ 0: [5] });
  it.each<[string, () => unknown, string, string]>([
    ['no days', () => painDoseTrend([], []), 'EMPTY_STAY', 'mmeByDay'],
    ['30 February', () => painDoseTrend([{ date: '2027-02-30', mme: 10 }], []), 'INVALID_DATE', 'mmeByDay[0].date'],
    ['a timestamp', () => painDoseTrend([...stay([10]), { date: '2027-03-02T00:00:00Z', mme: 10 }], []), 'INVALID_DATE', 'mmeByDay[1].date'],
    ['a missing day', () => painDoseTrend([...stay([10]), { date: '2027-03-03', mme: 10 }], []), 'DAYS_NOT_CONSECUTIVE', 'mmeByDay[1].date'],
    ['a repeated day', () => painDoseTrend([...stay([10]), ...stay([10])], []), 'DAYS_NOT_CONSECUTIVE', 'mmeByDay[1].date'],
    ['days out of order', () => painDoseTrend([...stay([10, 10])].reverse(), []), 'DAYS_NOT_CONSECUTIVE', 'mmeByDay[1].date'],
    ['a negative MME', () => painDoseTrend(stay([10, -1]), []), 'INVALID_MME', 'mmeByDay[1].mme'],
    ['an MME that is not a number', () => painDoseTrend(stay([Number.NaN]), []), 'INVALID_MME', 'mmeByDay[0].mme'],
    ['a pain score of 11', () => painDoseTrend(stay([10]), [...pain, { date: ADMITTED, score: 11 }]), 'INVALID_PAIN_SCORE', 'painScores[1].score'],
    ['a negative pain score', () => painDoseTrend(stay([10]), [{ date: ADMITTED, score: -1 }]), 'INVALID_PAIN_SCORE', 'painScores[0].score'],
    ['a pain score that is not a date', () => painDoseTrend(stay([10]), [{ date: '2027-3-1', score: 4 }]), 'INVALID_DATE', 'painScores[0].date'],
    ['a pain score before admission', () => painDoseTrend(stay([10]), [{ date: '2027-02-28', score: 4 }]), 'PAIN_SCORE_OUTSIDE_STAY', 'painScores[0].date'],
    ['a pain score after the last day', () => painDoseTrend(stay([10]), [{ date: '2027-03-02', score: 4 }]), 'PAIN_SCORE_OUTSIDE_STAY', 'painScores[0].date'],
  ])('%s', (_name, run, code, field) => {
    const error = ruleErrorOf(run);
    expect([error.code, error.field]).toEqual([code, field]);
  });

  it.each<[PainTrendOptions, string]>([
    [{ minScoresPerWeek: 0 }, 'options.minScoresPerWeek'],
    [{ minScoresPerWeek: 1.5 }, 'options.minScoresPerWeek'],
    [{ minPairedDays: 2 }, 'options.minPairedDays'],
    [{ minPainChange: 0 }, 'options.minPainChange'],
    [{ minPainChange: 11 }, 'options.minPainChange'],
    [{ minCorrelation: 1.1 }, 'options.minCorrelation'],
    [{ minCorrelation: Number.NaN }, 'options.minCorrelation'],
  ])('option %j', (options, field) => {
    const error = ruleErrorOf(() => painDoseTrend(TAPER, PAIN_EASING, options));
    expect([error.code, error.field]).toEqual(['INVALID_OPTION', field]);
  });
});

describe('spearmanRankCorrelation', () => {
  it('average ranks share the mean of the ranks a tie spans', () => {
    expect(averageRanks([10, 20, 20, 30, 40])).toEqual([1, 2.5, 2.5, 4, 5]);
    expect(averageRanks([3, 1, 1, 2, 5])).toEqual([4, 1.5, 1.5, 3, 5]);
    expect(averageRanks([7, 7, 7])).toEqual([2, 2, 2]);
    expect(averageRanks([])).toEqual([]);
  });

  it('no ties: 1 − 6Σd² / n(n² − 1) = 1 − 24/120 = 0.8', () => {
    expect(spearmanRankCorrelation([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toBe(0.8);
  });

  it('ties in both series: ranks [1, 2.5, 2.5, 4, 5] and [4, 1.5, 1.5, 3, 5] give 3.5 / 9.5 = 7/19', () => {
    expect(spearmanRankCorrelation([10, 20, 20, 30, 40], [3, 1, 1, 2, 5])).toBe(7 / 19);
  });

  it('a tie in one series: 4.5 / √(4.5 × 5) = 3/√10', () => {
    expect(spearmanRankCorrelation([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(3 / Math.sqrt(10), 14);
  });

  it('perfect agreement and perfect disagreement, whatever the scale', () => {
    expect(spearmanRankCorrelation([1, 2, 3, 4], [1, 8, 27, 64])).toBe(1);
    expect(spearmanRankCorrelation([1, 2, 3], [30, 20, 10])).toBe(-1);
    expect(spearmanRankCorrelation([5, 5, 1, 9], [2, 2, 0, 7])).toBe(1);
  });

  it('null when a series is constant or there are fewer than 3 pairs', () => {
    expect(spearmanRankCorrelation([4, 4, 4, 4], [1, 2, 3, 4])).toBeNull();
    expect(spearmanRankCorrelation([1, 2, 3, 4], [0, 0, 0, 0])).toBeNull();
    expect(spearmanRankCorrelation([1, 2], [1, 2])).toBeNull();
    expect(spearmanRankCorrelation([], [])).toBeNull();
  });

  it('refuses series of different lengths', () => {
    expect(() => spearmanRankCorrelation([1, 2, 3], [1, 2])).toThrow(RangeError);
  });
});
