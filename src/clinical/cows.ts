/**
 * Clinical Opiate Withdrawal Scale (Wesson & Ling, J Psychoactive Drugs 2003;35:253; domain.md §8):
 * 11 items, each scored only from its own set of anchors, a total of 0–48, five bands, and the
 * alerts a reading raises when withdrawal is moderate or worse, with or without a taper in force.
 */
import { ClinicalRuleError, type ClinicalWarning } from './clinical-error.js';

/** Each item with the scores its anchors allow (any other number is refused, not rounded). */
export const COWS_ITEMS = Object.freeze({
  pulse: Object.freeze([0, 1, 2, 4] as const),
  sweating: Object.freeze([0, 1, 2, 3, 4] as const),
  restlessness: Object.freeze([0, 1, 3, 5] as const),
  pupils: Object.freeze([0, 1, 2, 5] as const),
  boneJointAches: Object.freeze([0, 1, 2, 4] as const),
  runnyNoseTearing: Object.freeze([0, 1, 2, 4] as const),
  giUpset: Object.freeze([0, 1, 2, 3, 5] as const),
  tremor: Object.freeze([0, 1, 2, 4] as const),
  yawning: Object.freeze([0, 1, 2, 4] as const),
  anxietyIrritability: Object.freeze([0, 1, 2, 4] as const),
  gooseflesh: Object.freeze([0, 3, 5] as const),
});

export type CowsItem = keyof typeof COWS_ITEMS;
export type CowsItems = Record<CowsItem, number>;
export type CowsBand = 'NONE' | 'MILD' | 'MODERATE' | 'MODERATELY_SEVERE' | 'SEVERE';

export interface CowsScore {
  total: number;
  band: CowsBand;
}

export interface CowsItemProblem {
  item: string;
  reason: string;
}

export interface CowsBandRange {
  readonly band: CowsBand;
  /** Inclusive bounds of the total. */
  readonly min: number;
  readonly max: number;
  /** How a clinician says it: "moderately severe withdrawal (COWS 25–36)". */
  readonly label: string;
}

export const COWS_ITEM_NAMES: readonly CowsItem[] = Object.freeze(Object.keys(COWS_ITEMS) as CowsItem[]);

/** 48: the sum of every item's highest score. */
export const COWS_MAX_TOTAL = COWS_ITEM_NAMES.reduce((sum, item) => sum + Math.max(...COWS_ITEMS[item]), 0);

/** < 5 none; 5–12 mild; 13–24 moderate; 25–36 moderately severe; > 36 severe. In ascending order. */
export const COWS_BANDS: readonly CowsBandRange[] = Object.freeze([
  Object.freeze({ band: 'NONE', min: 0, max: 4, label: 'no active withdrawal (COWS below 5)' }),
  Object.freeze({ band: 'MILD', min: 5, max: 12, label: 'mild withdrawal (COWS 5–12)' }),
  Object.freeze({ band: 'MODERATE', min: 13, max: 24, label: 'moderate withdrawal (COWS 13–24)' }),
  Object.freeze({ band: 'MODERATELY_SEVERE', min: 25, max: 36, label: 'moderately severe withdrawal (COWS 25–36)' }),
  Object.freeze({ band: 'SEVERE', min: 37, max: COWS_MAX_TOTAL, label: 'severe withdrawal (COWS above 36)' }),
] as const);

interface CowsAlertRule {
  readonly code: string;
  readonly advice: string;
}

/** What a reading prompts during a taper in force, at each band (domain.md §8); bands not listed raise nothing. */
export const COWS_TAPER_ALERTS: Readonly<Partial<Record<CowsBand, CowsAlertRule>>> = Object.freeze({
  MODERATE: Object.freeze({ code: 'CONSIDER_PAUSING_TAPER', advice: 'consider pausing the taper' }),
  MODERATELY_SEVERE: Object.freeze({ code: 'MEDICAL_REVIEW', advice: 'medical review; consider hospital transfer' }),
  SEVERE: Object.freeze({ code: 'MEDICAL_REVIEW', advice: 'medical review; consider hospital transfer' }),
});

/**
 * What a reading prompts with no taper in force: before the first order is signed, after the last
 * step, between orders. Withdrawal then means the regimen itself needs a look (domain.md §8 v1.1).
 */
export const COWS_NO_TAPER_ALERTS: Readonly<Partial<Record<CowsBand, CowsAlertRule>>> = Object.freeze({
  MODERATE: Object.freeze({ code: 'WITHDRAWAL_WITHOUT_TAPER', advice: 'review the regimen' }),
  MODERATELY_SEVERE: COWS_TAPER_ALERTS.MODERATELY_SEVERE,
  SEVERE: COWS_TAPER_ALERTS.SEVERE,
});

/**
 * What a reading prompts when every taper in force is held by a pause that day: advising a pause
 * would be advice already followed, so moderate withdrawal asks for the regimen to be reviewed.
 */
export const COWS_PAUSED_TAPER_ALERTS: Readonly<Partial<Record<CowsBand, CowsAlertRule>>> = Object.freeze({
  MODERATE: Object.freeze({ code: 'WITHDRAWAL_DURING_PAUSE', advice: 'the taper is already paused; review the regimen' }),
  MODERATELY_SEVERE: COWS_TAPER_ALERTS.MODERATELY_SEVERE,
  SEVERE: COWS_TAPER_ALERTS.SEVERE,
});

/** Every alert code a COWS reading can raise (for the API's list of codes). */
export const COWS_ALERT_CODES: readonly string[] = Object.freeze([
  ...new Set([COWS_TAPER_ALERTS, COWS_NO_TAPER_ALERTS, COWS_PAUSED_TAPER_ALERTS].flatMap((rules) => Object.values(rules)).map((alert) => alert.code)),
]);

function isCowsItem(key: string): key is CowsItem {
  // hasOwn, not `in`: 'constructor' or '__proto__' must not look like an item.
  return Object.hasOwn(COWS_ITEMS, key);
}

function allowedText(item: CowsItem): string {
  return `allowed scores are ${COWS_ITEMS[item].join(', ')}`;
}

function problemOf(item: CowsItem, value: unknown): CowsItemProblem | null {
  if (value === undefined) return { item, reason: `${item} is missing; ${allowedText(item)}.` };
  const allowed: readonly number[] = COWS_ITEMS[item];
  if (typeof value === 'number' && allowed.includes(value)) return null;
  return { item, reason: `${JSON.stringify(value) ?? String(value)} is not a score of ${item}; ${allowedText(item)}.` };
}

/**
 * Every problem with a set of items, in the scale's order and then unknown keys: each missing
 * item, each score outside its item's allowed set, and each key that is not a COWS item.
 */
export function invalidCowsItems(items: Partial<Record<string, unknown>>): CowsItemProblem[] {
  const problems = COWS_ITEM_NAMES.map((item) => problemOf(item, Object.hasOwn(items, item) ? items[item] : undefined));
  const unknown = Object.keys(items)
    .filter((key) => !isCowsItem(key))
    .map((item) => ({ item, reason: `${item} is not a COWS item; the items are ${COWS_ITEM_NAMES.join(', ')}.` }));
  return [...problems.filter((p): p is CowsItemProblem => p !== null), ...unknown];
}

/** The band of a total; a total must be a whole number from 0 to 48. */
export function cowsBand(total: number): CowsBand {
  const range = Number.isInteger(total) ? COWS_BANDS.find((b) => total >= b.min && total <= b.max) : undefined;
  if (!range) {
    throw new ClinicalRuleError('INVALID_COWS_TOTAL', `A COWS total is a whole number from 0 to ${COWS_MAX_TOTAL}, not ${total}.`, 'total');
  }
  return range.band;
}

/** Total and band; throws ClinicalRuleError INVALID_COWS_ITEM naming every bad item (field: the first). */
export function scoreCows(items: CowsItems): CowsScore {
  const problems = invalidCowsItems(items);
  if (problems.length > 0) {
    const message = `Invalid COWS items: ${problems.map((p) => p.reason).join(' ')}`;
    throw new ClinicalRuleError('INVALID_COWS_ITEM', message, `items.${problems[0].item}`);
  }
  const total = COWS_ITEM_NAMES.reduce((sum, item) => sum + items[item], 0);
  return { total, band: cowsBand(total) };
}

/** The tapers on a reading's day: none in force, one or more giving a dose, or all held by a pause (taperStateOn in taper-day.ts). */
export type TaperState = 'NONE' | 'IN_FORCE' | 'PAUSED';

const ALERTS_BY_STATE: Readonly<Record<TaperState, { rules: Readonly<Partial<Record<CowsBand, CowsAlertRule>>>; when: string }>> = Object.freeze({
  NONE: { rules: COWS_NO_TAPER_ALERTS, when: 'without a taper in force' },
  IN_FORCE: { rules: COWS_TAPER_ALERTS, when: 'during an active taper' },
  PAUSED: { rules: COWS_PAUSED_TAPER_ALERTS, when: 'during a pause of the taper' },
});

/** Alerts for the psychiatrist (domain.md §8 v1.1); moderately severe or worse alerts whatever the taper. */
export function cowsAlerts(band: CowsBand, taper: TaperState): ClinicalWarning[] {
  const { rules, when } = ALERTS_BY_STATE[taper];
  const alert = rules[band];
  if (!alert) return [];
  const range = COWS_BANDS.find((b) => b.band === band);
  const what = range ? range.label : band;
  return [{ code: alert.code, message: `${what[0].toUpperCase()}${what.slice(1)} ${when}: ${alert.advice}.` }];
}

/**
 * A plausible reading totalling `total`: the score spread evenly over the items, each item taking
 * the allowed score nearest its share that still lets the remaining items reach the total. For
 * demo data, tests and the benchmark's seed.
 */
export function cowsItemsTotalling(total: number): CowsItems {
  // reachable[i]: the totals items i.. can add up to.
  const reachable: Set<number>[] = [new Set([0])];
  for (const name of [...COWS_ITEM_NAMES].reverse()) {
    const after = reachable[0]!;
    reachable.unshift(new Set(COWS_ITEMS[name].flatMap((score) => [...after].map((sum) => sum + score))));
  }
  if (!Number.isInteger(total) || !reachable[0]!.has(total)) throw new RangeError(`No COWS reading totals ${total}`);
  const items = {} as CowsItems;
  let left = total;
  COWS_ITEM_NAMES.forEach((name, i) => {
    const share = left / (COWS_ITEM_NAMES.length - i);
    const fits = COWS_ITEMS[name].filter((score) => reachable[i + 1]!.has(left - score));
    const score = fits.reduce((best, s) => (Math.abs(s - share) < Math.abs(best - share) ? s : best));
    items[name] = score;
    left -= score;
  });
  return items;
}
