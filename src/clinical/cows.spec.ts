import { describe, expect, it } from '@jest/globals';
import {
  COWS_BANDS,
  COWS_ITEM_NAMES,
  COWS_ITEMS,
  COWS_MAX_TOTAL,
  type CowsBand,
  type CowsItem,
  type CowsItems,
  COWS_ALERT_CODES,
  cowsAlerts,
  cowsBand,
  cowsItemsTotalling,
  invalidCowsItems,
  scoreCows,
} from './cows.js';
import { ruleErrorOf } from '../../test/support/clinical-errors.js';

const NONE: CowsItems = {
  pulse: 0,
  sweating: 0,
  restlessness: 0,
  pupils: 0,
  boneJointAches: 0,
  runnyNoseTearing: 0,
  giUpset: 0,
  tremor: 0,
  yawning: 0,
  anxietyIrritability: 0,
  gooseflesh: 0,
};
const cows = (scores: Partial<CowsItems>): CowsItems => ({ ...NONE, ...scores });
const WORST: CowsItems = {
  pulse: 4,
  sweating: 4,
  restlessness: 5,
  pupils: 5,
  boneJointAches: 4,
  runnyNoseTearing: 4,
  giUpset: 5,
  tremor: 4,
  yawning: 4,
  anxietyIrritability: 4,
  gooseflesh: 5,
};

describe('COWS items (Wesson & Ling 2003)', () => {
  it('has exactly the 11 items of domain.md §8 with their allowed scores', () => {
    expect(COWS_ITEMS).toEqual({
      pulse: [0, 1, 2, 4],
      sweating: [0, 1, 2, 3, 4],
      restlessness: [0, 1, 3, 5],
      pupils: [0, 1, 2, 5],
      boneJointAches: [0, 1, 2, 4],
      runnyNoseTearing: [0, 1, 2, 4],
      giUpset: [0, 1, 2, 3, 5],
      tremor: [0, 1, 2, 4],
      yawning: [0, 1, 2, 4],
      anxietyIrritability: [0, 1, 2, 4],
      gooseflesh: [0, 3, 5],
    });
    expect(COWS_ITEM_NAMES).toHaveLength(11);
    expect(Object.isFrozen(COWS_ITEMS)).toBe(true);
    expect(Object.isFrozen(COWS_ITEMS.pulse)).toBe(true);
  });

  it('bands cover 0–48 without gaps or overlaps', () => {
    expect(COWS_MAX_TOTAL).toBe(48);
    expect(COWS_BANDS.map((b) => [b.band, b.min, b.max])).toEqual([
      ['NONE', 0, 4],
      ['MILD', 5, 12],
      ['MODERATE', 13, 24],
      ['MODERATELY_SEVERE', 25, 36],
      ['SEVERE', 37, 48],
    ]);
  });
});

describe('scoreCows at every band edge', () => {
  // Each row: the items, written out so the sum can be checked by eye, and the expected result.
  const cases: [string, CowsItems, number, CowsBand][] = [
    ['nothing', NONE, 0, 'NONE'],
    ['sweating 1 + yawning 1 + anxiety 2', cows({ sweating: 1, yawning: 1, anxietyIrritability: 2 }), 4, 'NONE'],
    ['pulse 1 + sweating 2 + tremor 2', cows({ pulse: 1, sweating: 2, tremor: 2 }), 5, 'MILD'],
    ['pulse 2 + restlessness 3 + pupils 1 + aches 2 + runny nose 2 + yawning 2', cows({ pulse: 2, restlessness: 3, pupils: 1, boneJointAches: 2, runnyNoseTearing: 2, yawning: 2 }), 12, 'MILD'],
    ['pulse 2 + restlessness 3 + pupils 1 + aches 2 + runny nose 2 + yawning 2 + gi 1', cows({ pulse: 2, restlessness: 3, pupils: 1, boneJointAches: 2, runnyNoseTearing: 2, yawning: 2, giUpset: 1 }), 13, 'MODERATE'],
    ['4+3+5+2+4+2+2+2 (gooseflesh 0)', cows({ pulse: 4, sweating: 3, restlessness: 5, pupils: 2, boneJointAches: 4, runnyNoseTearing: 2, giUpset: 2, tremor: 2 }), 24, 'MODERATE'],
    ['4+3+5+2+4+2+2+2 + yawning 1', cows({ pulse: 4, sweating: 3, restlessness: 5, pupils: 2, boneJointAches: 4, runnyNoseTearing: 2, giUpset: 2, tremor: 2, yawning: 1 }), 25, 'MODERATELY_SEVERE'],
    ['worst with tremor 1, yawning 0, gooseflesh 0', { ...WORST, tremor: 1, yawning: 0, gooseflesh: 0 }, 36, 'MODERATELY_SEVERE'],
    ['worst with tremor 2, yawning 0, gooseflesh 0', { ...WORST, tremor: 2, yawning: 0, gooseflesh: 0 }, 37, 'SEVERE'],
    ['worst on every item', WORST, 48, 'SEVERE'],
  ];

  it.each(cases)('%s → %d, %s', (_label, items, total, band) => {
    expect(scoreCows(items)).toEqual({ total, band });
  });

  it.each([
    [4, 'NONE'],
    [5, 'MILD'],
    [12, 'MILD'],
    [13, 'MODERATE'],
    [24, 'MODERATE'],
    [25, 'MODERATELY_SEVERE'],
    [36, 'MODERATELY_SEVERE'],
    [37, 'SEVERE'],
    [0, 'NONE'],
    [48, 'SEVERE'],
  ] as const)('cowsBand(%d) is %s', (total, band) => {
    expect(cowsBand(total)).toBe(band);
  });

  it.each([-1, 49, 12.5, Number.NaN, Number.POSITIVE_INFINITY])('cowsBand refuses the impossible total %d', (total) => {
    const error = ruleErrorOf(() => cowsBand(total));
    expect(error.code).toBe('INVALID_COWS_TOTAL');
    expect(error.field).toBe('total');
  });
});

describe('per-item validation', () => {
  /** Every integer 0–5 an item's anchors do not allow, plus values that are not scores at all. */
  const refusedFor = (item: CowsItem): unknown[] => [
    ...[0, 1, 2, 3, 4, 5].filter((n) => !(COWS_ITEMS[item] as readonly number[]).includes(n)),
    -1,
    6,
    1.5,
    '2',
    null,
  ];

  it.each(COWS_ITEM_NAMES.map((item) => [item] as const))('%s accepts each of its allowed scores', (item) => {
    for (const score of COWS_ITEMS[item]) {
      expect(invalidCowsItems(cows({ [item]: score }))).toEqual([]);
      expect(scoreCows(cows({ [item]: score })).total).toBe(score);
    }
  });

  it.each(COWS_ITEM_NAMES.map((item) => [item] as const))('%s refuses every other score, listing the allowed ones', (item) => {
    const allowed = `allowed scores are ${COWS_ITEMS[item].join(', ')}`;
    for (const bad of refusedFor(item)) {
      const items = { ...NONE, [item]: bad };
      expect(invalidCowsItems(items)).toEqual([{ item, reason: expect.stringContaining(allowed) }]);
      const error = ruleErrorOf(() => scoreCows(items as CowsItems));
      expect(error.code).toBe('INVALID_COWS_ITEM');
      expect(error.field).toBe(`items.${item}`);
    }
  });

  it('names the refused scores exactly', () => {
    expect(invalidCowsItems(cows({ pulse: 3 }))).toEqual([{ item: 'pulse', reason: '3 is not a score of pulse; allowed scores are 0, 1, 2, 4.' }]);
    expect(invalidCowsItems(cows({ gooseflesh: 1 }))).toEqual([
      { item: 'gooseflesh', reason: '1 is not a score of gooseflesh; allowed scores are 0, 3, 5.' },
    ]);
    expect(invalidCowsItems({ ...NONE, restlessness: '3' })).toEqual([
      { item: 'restlessness', reason: '"3" is not a score of restlessness; allowed scores are 0, 1, 3, 5.' },
    ]);
  });

  it('reports a missing item (absent or undefined) with its allowed scores', () => {
    const { tremor: _dropped, ...withoutTremor } = NONE;
    expect(invalidCowsItems(withoutTremor)).toEqual([{ item: 'tremor', reason: 'tremor is missing; allowed scores are 0, 1, 2, 4.' }]);
    expect(invalidCowsItems({ ...NONE, yawning: undefined })).toEqual([{ item: 'yawning', reason: expect.stringMatching(/^yawning is missing/) }]);
    expect(invalidCowsItems({}).map((p) => p.item)).toEqual(COWS_ITEM_NAMES);
  });

  it('reports unknown keys, including prototype names', () => {
    const items = JSON.parse('{"__proto__": 1}') as Record<string, unknown>;
    Object.assign(items, NONE, { heartRate: 2, constructor: 0 });
    expect(invalidCowsItems(items)).toEqual([
      { item: '__proto__', reason: expect.stringContaining('is not a COWS item') },
      { item: 'heartRate', reason: expect.stringContaining('is not a COWS item; the items are pulse, sweating,') },
      { item: 'constructor', reason: expect.stringContaining('is not a COWS item') },
    ]);
    const error = ruleErrorOf(() => scoreCows(items as CowsItems));
    expect(error.code).toBe('INVALID_COWS_ITEM');
    expect(error.field).toBe('items.__proto__');
  });

  it('lists every problem in the scale order, then unknown keys; the error names the first and mentions all', () => {
    const { pulse: _dropped, ...rest } = NONE;
    const items = { ...rest, pupils: 4, gooseflesh: 2, extra: 1 };
    expect(invalidCowsItems(items).map((p) => p.item)).toEqual(['pulse', 'pupils', 'gooseflesh', 'extra']);
    const error = ruleErrorOf(() => scoreCows(items as unknown as CowsItems));
    expect(error.field).toBe('items.pulse');
    expect(error.message).toMatch(/pulse is missing.*4 is not a score of pupils.*2 is not a score of gooseflesh.*extra is not a COWS item/);
  });
});

describe('cowsAlerts', () => {
  const bands: CowsBand[] = ['NONE', 'MILD', 'MODERATE', 'MODERATELY_SEVERE', 'SEVERE'];

  it.each(['NONE', 'MILD'] as CowsBand[])('raises nothing for %s without a taper in force', (band) => {
    expect(cowsAlerts(band, 'NONE')).toEqual([]);
  });

  it('severe withdrawal (COWS 48) with no signed order yet asks for a medical review', () => {
    const { band } = scoreCows(WORST);
    expect(cowsAlerts(band, 'NONE')).toEqual([
      { code: 'MEDICAL_REVIEW', message: 'Severe withdrawal (COWS above 36) without a taper in force: medical review; consider hospital transfer.' },
    ]);
  });

  it('moderately severe without a taper in force: medical review too', () => {
    expect(cowsAlerts('MODERATELY_SEVERE', 'NONE')).toEqual([
      { code: 'MEDICAL_REVIEW', message: 'Moderately severe withdrawal (COWS 25–36) without a taper in force: medical review; consider hospital transfer.' },
    ]);
  });

  it('moderate without a taper in force: review the regimen (no taper to pause)', () => {
    expect(cowsAlerts('MODERATE', 'NONE')).toEqual([
      { code: 'WITHDRAWAL_WITHOUT_TAPER', message: 'Moderate withdrawal (COWS 13–24) without a taper in force: review the regimen.' },
    ]);
  });

  it.each([
    [12, 'NONE', []],
    [13, 'NONE', ['WITHDRAWAL_WITHOUT_TAPER']],
    [24, 'NONE', ['WITHDRAWAL_WITHOUT_TAPER']],
    [25, 'NONE', ['MEDICAL_REVIEW']],
    [12, 'IN_FORCE', []],
    [13, 'IN_FORCE', ['CONSIDER_PAUSING_TAPER']],
    [24, 'IN_FORCE', ['CONSIDER_PAUSING_TAPER']],
    [25, 'IN_FORCE', ['MEDICAL_REVIEW']],
    [36, 'IN_FORCE', ['MEDICAL_REVIEW']],
    [37, 'NONE', ['MEDICAL_REVIEW']],
    [12, 'PAUSED', []],
    [13, 'PAUSED', ['WITHDRAWAL_DURING_PAUSE']],
    [24, 'PAUSED', ['WITHDRAWAL_DURING_PAUSE']],
    [25, 'PAUSED', ['MEDICAL_REVIEW']],
  ] as const)('total %d, taper %s → %j', (total, taper, expected) => {
    expect(cowsAlerts(cowsBand(total), taper).map((a) => a.code)).toEqual(expected);
  });

  it('does not advise a pause already holding the taper', () => {
    expect(cowsAlerts('MODERATE', 'PAUSED')).toEqual([
      { code: 'WITHDRAWAL_DURING_PAUSE', message: 'Moderate withdrawal (COWS 13–24) during a pause of the taper: the taper is already paused; review the regimen.' },
    ]);
  });

  it('lists every code it can raise', () => {
    expect(COWS_ALERT_CODES).toEqual(['CONSIDER_PAUSING_TAPER', 'MEDICAL_REVIEW', 'WITHDRAWAL_WITHOUT_TAPER', 'WITHDRAWAL_DURING_PAUSE']);
    const raised = new Set(bands.flatMap((b) => (['NONE', 'IN_FORCE', 'PAUSED'] as const).flatMap((t) => cowsAlerts(b, t).map((a) => a.code))));
    expect([...raised].sort()).toEqual([...COWS_ALERT_CODES].sort());
  });

  it('raises nothing for none or mild withdrawal during a taper', () => {
    expect(cowsAlerts('NONE', 'IN_FORCE')).toEqual([]);
    expect(cowsAlerts('MILD', 'IN_FORCE')).toEqual([]);
  });

  it('suggests pausing the taper for moderate withdrawal', () => {
    expect(cowsAlerts('MODERATE', 'IN_FORCE')).toEqual([
      { code: 'CONSIDER_PAUSING_TAPER', message: 'Moderate withdrawal (COWS 13–24) during an active taper: consider pausing the taper.' },
    ]);
  });

  it('asks for a medical review for moderately severe and severe withdrawal', () => {
    expect(cowsAlerts('MODERATELY_SEVERE', 'IN_FORCE')).toEqual([
      {
        code: 'MEDICAL_REVIEW',
        message: 'Moderately severe withdrawal (COWS 25–36) during an active taper: medical review; consider hospital transfer.',
      },
    ]);
    expect(cowsAlerts('SEVERE', 'IN_FORCE')).toEqual([
      { code: 'MEDICAL_REVIEW', message: 'Severe withdrawal (COWS above 36) during an active taper: medical review; consider hospital transfer.' },
    ]);
  });

  it('follows the band a real score lands in', () => {
    const { band } = scoreCows(cows({ pulse: 2, restlessness: 3, pupils: 1, boneJointAches: 2, runnyNoseTearing: 2, yawning: 2, giUpset: 1 }));
    expect(cowsAlerts(band, 'IN_FORCE').map((a) => a.code)).toEqual(['CONSIDER_PAUSING_TAPER']);
  });
});

describe('cowsItemsTotalling', () => {
  it('gives, for every total from 0 to 48, a reading of allowed scores that adds up to it', () => {
    for (let total = 0; total <= COWS_MAX_TOTAL; total++) {
      const items = cowsItemsTotalling(total);
      expect(invalidCowsItems(items)).toEqual([]);
      expect(scoreCows(items).total).toBe(total);
    }
  });

  it('refuses a total above the maximum', () => {
    expect(() => cowsItemsTotalling(COWS_MAX_TOTAL + 1)).toThrow(RangeError);
  });
});
