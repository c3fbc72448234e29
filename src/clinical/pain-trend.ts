/**
 * Pain against dose over the stay (domain.md §5): the discharge finding on opioid-induced
 * hyperalgesia (OIH). The tell of OIH is pain that IMPROVES as the dose comes down, so falling
 * pain with a falling dose is reported as "hyperalgesia likely contributed" — a finding for the
 * prescriber to weigh, never a diagnosis.
 *
 * Inputs: the total daily MME of every day of the stay (consecutive dates, in order) and the pain
 * scores (0–10) with the clinic date each was recorded on, all within the stay.
 *
 * Rules (thresholds are options; defaults in DEFAULT_PAIN_TREND_OPTIONS):
 * - Daily pain is the mean of that day's scores, so a day scored often (a bad day, usually)
 *   weighs no more than a day scored once. A paired day is a day with at least one score.
 * - First week = the first WEEK_DAYS (7) days of the stay, last week = the last 7. A week's
 *   meanPain is the mean of its daily pains, its meanMme the mean MME of all its days, and
 *   `scores` counts the individual scores recorded in it.
 * - rankCorrelation: Spearman (average ranks for ties) of daily pain against that day's MME
 *   over all paired days of the stay; null with fewer than 3 paired days or no variation.
 * - INSUFFICIENT_DATA when the stay is too short for two separate weeks (they would overlap),
 *   either week has fewer than minScoresPerWeek scores, there are fewer than minPairedDays
 *   paired days, or the dose did not fall (last week's mean MME ≥ the first week's).
 * - HYPERALGESIA_LIKELY_CONTRIBUTED: the dose fell, mean pain fell by at least minPainChange
 *   and the rank correlation is at least minCorrelation (pain moved with the dose).
 * - PAIN_ROSE_AS_DOSE_FELL: the dose fell and mean pain rose by at least minPainChange; the
 *   non-opioid pain plan needs attention.
 * - Otherwise NO_CLEAR_TREND (pain about the same, or falling without following the dose).
 *
 * Means and the correlation are returned rounded to 2 decimals for display, but every decision
 * is taken on the exact values, so a displayed 0.30 may sit just under a 0.3 threshold.
 * Pure: no clock, no framework.
 */
import { MAX_PAIN_SCORE } from './triage.js';
import { ClinicalRuleError } from './clinical-error.js';
import { dayNumberOrNull } from './calendar-dates.js';

export interface DailyMme {
  /** YYYY-MM-DD. */
  date: string;
  /** Total daily MME (all opioids) on that day. */
  mme: number;
}

export interface PainScore {
  /** The clinic date (YYYY-MM-DD) it was recorded on. */
  date: string;
  /** Numeric rating 0–10. */
  score: number;
}

export type PainTrendFinding = 'HYPERALGESIA_LIKELY_CONTRIBUTED' | 'PAIN_ROSE_AS_DOSE_FELL' | 'NO_CLEAR_TREND' | 'INSUFFICIENT_DATA';

export const PAIN_TREND_FINDINGS: readonly PainTrendFinding[] = Object.freeze([
  'HYPERALGESIA_LIKELY_CONTRIBUTED',
  'PAIN_ROSE_AS_DOSE_FELL',
  'NO_CLEAR_TREND',
  'INSUFFICIENT_DATA',
]);

export interface WeekSummary {
  from: string;
  to: string;
  meanPain: number | null;
  meanMme: number | null;
  scores: number;
}

export interface PainDoseTrend {
  finding: PainTrendFinding;
  /** Spearman rank correlation between daily pain (mean of that day's scores) and that day's MME, over days with a score; null when not computable (fewer than 3 paired days or no variation). */
  rankCorrelation: number | null;
  pairedDays: number;
  firstWeek: WeekSummary;
  lastWeek: WeekSummary;
  /** One or two sentences for the prescriber: a finding, not a diagnosis. */
  text: string;
}

export interface PainTrendOptions {
  /** Fewer scores than this in the first or the last week: INSUFFICIENT_DATA. */
  minScoresPerWeek?: number;
  /** Fewer days with a score than this over the stay: INSUFFICIENT_DATA. */
  minPairedDays?: number;
  /** Change in mean pain (points, first week vs last) that counts as a change. */
  minPainChange?: number;
  /** Rank correlation at or above which pain is taken to move with the dose. */
  minCorrelation?: number;
}

export const DEFAULT_PAIN_TREND_OPTIONS: Readonly<Required<PainTrendOptions>> = Object.freeze({
  minScoresPerWeek: 2,
  minPairedDays: 6,
  minPainChange: 1,
  minCorrelation: 0.3,
});

/** Days in the first and in the last week of the stay. */
export const WEEK_DAYS = 7;
/** Fewer pairs than this say nothing about a trend (two points are always perfectly ranked). */
export const MIN_PAIRS_FOR_CORRELATION = 3;
/** Absorbs binary noise only (5.1 − 4.1 is 0.9999999999999996); far below any real difference. */
const TOLERANCE = 1e-9;

/** Ranks 1..n in value order; tied values share the mean of the ranks they span. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1].value === order[start].value) end++;
    const shared = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k].index] = shared;
    start = end + 1;
  }
  return ranks;
}

/**
 * Spearman's rho as the Pearson correlation of average ranks (right with ties, unlike the
 * 1 − 6Σd²/n(n²−1) shortcut). Ranks are doubled and centred, which makes them integers, so the
 * sums are exact and only the final division rounds; null below 3 pairs or when a series is constant.
 */
export function spearmanRankCorrelation(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length !== ys.length) throw new RangeError('Both series need the same number of values.');
  const n = xs.length;
  if (n < MIN_PAIRS_FOR_CORRELATION) return null;
  const centred = (ranks: number[]) => ranks.map((r) => 2 * r - (n + 1));
  const a = centred(averageRanks(xs));
  const b = centred(averageRanks(ys));
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += a[i] * b[i];
    saa += a[i] * a[i];
    sbb += b[i] * b[i];
  }
  if (saa === 0 || sbb === 0) return null;
  return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
}

/** Half away from zero; toPrecision strips binary noise first (1.005 × 100 is 100.49999999999999). */
function round2(value: number): number {
  const rounded = Math.round(Number((Math.abs(value) * 100).toPrecision(12))) / 100;
  return rounded === 0 ? 0 : Math.sign(value) * rounded;
}

function resolveOptions(options: PainTrendOptions): Required<PainTrendOptions> {
  const o = { ...DEFAULT_PAIN_TREND_OPTIONS, ...options };
  const check = (ok: boolean, name: keyof PainTrendOptions, rule: string) => {
    if (!ok) throw new ClinicalRuleError('INVALID_OPTION', `${name} must be ${rule}.`, `options.${name}`);
  };
  check(Number.isInteger(o.minScoresPerWeek) && o.minScoresPerWeek >= 1, 'minScoresPerWeek', 'a whole number of at least 1');
  check(
    Number.isInteger(o.minPairedDays) && o.minPairedDays >= MIN_PAIRS_FOR_CORRELATION,
    'minPairedDays',
    `a whole number of at least ${MIN_PAIRS_FOR_CORRELATION}`,
  );
  check(
    Number.isFinite(o.minPainChange) && o.minPainChange > 0 && o.minPainChange <= MAX_PAIN_SCORE,
    'minPainChange',
    `more than 0 and at most ${MAX_PAIN_SCORE}`,
  );
  check(Number.isFinite(o.minCorrelation) && o.minCorrelation >= -1 && o.minCorrelation <= 1, 'minCorrelation', 'from -1 to 1');
  return o;
}

/** Day number of the first day; throws on a gap, a repeat, a date out of order or a bad MME. */
function checkStay(mmeByDay: readonly DailyMme[]): number {
  if (mmeByDay.length === 0) throw new ClinicalRuleError('EMPTY_STAY', 'The daily MME of at least one day of the stay is needed.', 'mmeByDay');
  const first = dayNumberOrNull(mmeByDay[0].date);
  mmeByDay.forEach((day, i) => {
    const dayNumber = dayNumberOrNull(day.date);
    if (dayNumber === null || first === null) {
      throw new ClinicalRuleError('INVALID_DATE', `${JSON.stringify(day.date)} is not a real date in the form YYYY-MM-DD.`, `mmeByDay[${i}].date`);
    }
    if (dayNumber !== first + i) {
      throw new ClinicalRuleError('DAYS_NOT_CONSECUTIVE', 'The daily MME must list every day of the stay once, in order.', `mmeByDay[${i}].date`);
    }
    if (typeof day.mme !== 'number' || !Number.isFinite(day.mme) || day.mme < 0) {
      throw new ClinicalRuleError('INVALID_MME', 'A daily MME must be a number of at least 0.', `mmeByDay[${i}].mme`);
    }
  });
  return first as number;
}

/** The scores of each day of the stay, by day index. */
function scoresByDay(painScores: readonly PainScore[], firstDay: number, days: number): number[][] {
  const byDay: number[][] = Array.from({ length: days }, () => []);
  painScores.forEach((pain, i) => {
    const { score } = pain;
    if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > MAX_PAIN_SCORE) {
      throw new ClinicalRuleError('INVALID_PAIN_SCORE', `A pain score must be from 0 to ${MAX_PAIN_SCORE}.`, `painScores[${i}].score`);
    }
    const dayNumber = dayNumberOrNull(pain.date);
    if (dayNumber === null) {
      throw new ClinicalRuleError('INVALID_DATE', `${JSON.stringify(pain.date)} is not a real date in the form YYYY-MM-DD.`, `painScores[${i}].date`);
    }
    const index = dayNumber - firstDay;
    if (index < 0 || index >= days) {
      throw new ClinicalRuleError('PAIN_SCORE_OUTSIDE_STAY', `A pain score dated ${pain.date} falls outside the stay.`, `painScores[${i}].date`);
    }
    byDay[index].push(score);
  });
  return byDay;
}

const mean = (values: readonly number[]): number | null => (values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length);

/** Exact figures of one week (days [start, start + WEEK_DAYS) clipped to the stay). */
interface Week {
  from: string;
  to: string;
  meanPain: number | null;
  meanMme: number;
  scores: number;
}

function weekOf(mmeByDay: readonly DailyMme[], byDay: readonly number[][], start: number): Week {
  const end = Math.min(start + WEEK_DAYS, mmeByDay.length);
  const days = byDay.slice(start, end);
  const dailyPain = days.filter((s) => s.length > 0).map((s) => mean(s) as number);
  return {
    from: mmeByDay[start].date,
    to: mmeByDay[end - 1].date,
    meanPain: mean(dailyPain),
    meanMme: mean(mmeByDay.slice(start, end).map((d) => d.mme)) as number,
    scores: days.reduce((n, s) => n + s.length, 0),
  };
}

const forDisplay = (week: Week): WeekSummary => ({
  from: week.from,
  to: week.to,
  meanPain: week.meanPain === null ? null : round2(week.meanPain),
  meanMme: round2(week.meanMme),
  scores: week.scores,
});

/** The exact figures a finding is read from. */
interface Evidence {
  days: number;
  first: Week;
  last: Week;
  rho: number | null;
  pairedDays: number;
}

/** Why there is no finding, as the sentence to show; null when there is enough data. */
function insufficiency(e: Evidence, o: Required<PainTrendOptions>): string | null {
  const none = 'no pain-vs-dose finding can be made.';
  if (e.days < 2 * WEEK_DAYS) {
    return `The stay of ${e.days} day${e.days === 1 ? '' : 's'} is too short to compare a first and a last week of ${WEEK_DAYS} days each; ${none}`;
  }
  if (e.first.scores < o.minScoresPerWeek || e.last.scores < o.minScoresPerWeek) {
    return (
      `Too few pain scores to compare the first and last weeks (${e.first.scores} and ${e.last.scores}; ` +
      `at least ${o.minScoresPerWeek} in each are needed); ${none}`
    );
  }
  if (e.pairedDays < o.minPairedDays) {
    return `Pain was scored on only ${e.pairedDays} day${e.pairedDays === 1 ? '' : 's'} of the stay (at least ${o.minPairedDays} are needed); ${none}`;
  }
  if (!(e.first.meanMme - e.last.meanMme > TOLERANCE)) {
    return (
      `The daily dose did not fall between the first week (mean ${mmeText(e.first.meanMme)} MME) and the last ` +
      `(${mmeText(e.last.meanMme)} MME), so pain cannot be read against a dose reduction; ${none}`
    );
  }
  return null;
}

const painText = (value: number): string => {
  const rounded = round2(value);
  return Number.isInteger(rounded) ? rounded.toFixed(1) : String(rounded);
};
const mmeText = (value: number): string => String(round2(value));
const rhoText = (rho: number | null): string => (rho === null ? 'rank correlation not computable' : `rank correlation ${round2(rho).toFixed(2)}`);

function judged(e: Evidence, o: Required<PainTrendOptions>): { finding: PainTrendFinding; text: string } {
  const firstPain = e.first.meanPain as number;
  const lastPain = e.last.meanPain as number;
  const drop = firstPain - lastPain;
  const dose = `the daily dose fell from ${mmeText(e.first.meanMme)} to ${mmeText(e.last.meanMme)} MME`;
  const pains = `a mean of ${painText(firstPain)} in the first week to ${painText(lastPain)} in the last`;
  const noLink = 'No clear link between pain and dose; this is a finding, not a diagnosis.';
  if (drop >= o.minPainChange - TOLERANCE) {
    if (e.rho !== null && e.rho >= o.minCorrelation - TOLERANCE) {
      return {
        finding: 'HYPERALGESIA_LIKELY_CONTRIBUTED',
        text:
          `Pain fell from ${pains} while ${dose} (${rhoText(e.rho)}). ` +
          'Opioid-induced hyperalgesia likely contributed to the pain; this is a finding to weigh, not a diagnosis.',
      };
    }
    const weak = e.rho === null ? rhoText(e.rho) : `${rhoText(e.rho)}, below ${o.minCorrelation}`;
    return { finding: 'NO_CLEAR_TREND', text: `Pain fell from ${pains} while ${dose}, but it did not follow the dose day by day (${weak}). ${noLink}` };
  }
  if (-drop >= o.minPainChange - TOLERANCE) {
    return {
      finding: 'PAIN_ROSE_AS_DOSE_FELL',
      text:
        `Pain rose from ${pains} while ${dose} (${rhoText(e.rho)}). ` +
        'The non-opioid pain plan needs attention (not a return to the previous opioid dose); this is a finding, not a diagnosis.',
    };
  }
  return {
    finding: 'NO_CLEAR_TREND',
    text:
      `Mean pain moved by less than ${o.minPainChange} point${o.minPainChange === 1 ? '' : 's'} between the first week (${painText(firstPain)}) ` +
      `and the last (${painText(lastPain)}) while ${dose} (${rhoText(e.rho)}). ${noLink}`,
  };
}

/** The pain-vs-dose finding of a stay; throws ClinicalRuleError on an input it cannot use. */
export function painDoseTrend(mmeByDay: readonly DailyMme[], painScores: readonly PainScore[], options: PainTrendOptions = {}): PainDoseTrend {
  const o = resolveOptions(options);
  const firstDay = checkStay(mmeByDay);
  const days = mmeByDay.length;
  const byDay = scoresByDay(painScores, firstDay, days);
  const paired = byDay.flatMap((scores, i) => (scores.length > 0 ? [{ pain: mean(scores) as number, mme: mmeByDay[i].mme }] : []));
  const evidence: Evidence = {
    days,
    first: weekOf(mmeByDay, byDay, 0),
    last: weekOf(mmeByDay, byDay, Math.max(0, days - WEEK_DAYS)),
    rho: spearmanRankCorrelation(
      paired.map((p) => p.pain),
      paired.map((p) => p.mme),
    ),
    pairedDays: paired.length,
  };
  const missing = insufficiency(evidence, o);
  const { finding, text } = missing === null ? judged(evidence, o) : { finding: 'INSUFFICIENT_DATA' as const, text: missing };
  return {
    finding,
    rankCorrelation: evidence.rho === null ? null : round2(evidence.rho),
    pairedDays: evidence.pairedDays,
    firstWeek: forDisplay(evidence.first),
    lastWeek: forDisplay(evidence.last),
    text,
  };
}
