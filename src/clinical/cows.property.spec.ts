import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ClinicalRuleError } from './clinical-error.js';
import { COWS_BANDS, COWS_ITEM_NAMES, COWS_ITEMS, type CowsItem, type CowsItems, cowsBand, invalidCowsItems, scoreCows } from './cows.js';

const itemsArb: fc.Arbitrary<CowsItems> = fc.record(
  Object.fromEntries(COWS_ITEM_NAMES.map((item) => [item, fc.constantFrom(...COWS_ITEMS[item])])) as Record<CowsItem, fc.Arbitrary<number>>,
);
const bandRank = (total: number): number => COWS_BANDS.findIndex((b) => b.band === cowsBand(total));

describe('COWS properties', () => {
  it('any valid item set totals 0–48, the exact sum of its items, and is accepted', () => {
    fc.assert(
      fc.property(itemsArb, (items) => {
        const { total, band } = scoreCows(items);
        expect(total).toBeGreaterThanOrEqual(0);
        expect(total).toBeLessThanOrEqual(48);
        expect(total).toBe(Object.values(items).reduce((a, b) => a + b, 0));
        expect(band).toBe(cowsBand(total));
        expect(invalidCowsItems(items)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('the band never falls as the total rises', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 48 }), fc.integer({ min: 0, max: 48 }), (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(bandRank(low)).toBeLessThanOrEqual(bandRank(high));
      }),
      { numRuns: 500 },
    );
  });

  it('one score outside its item’s set is reported alone and refused', () => {
    const badArb = fc
      .tuple(itemsArb, fc.constantFrom(...COWS_ITEM_NAMES), fc.integer({ min: -3, max: 9 }))
      .filter(([, item, score]) => !(COWS_ITEMS[item] as readonly number[]).includes(score));
    fc.assert(
      fc.property(badArb, ([items, item, score]) => {
        const bad = { ...items, [item]: score };
        expect(invalidCowsItems(bad).map((p) => p.item)).toEqual([item]);
        expect(() => scoreCows(bad)).toThrow(ClinicalRuleError);
      }),
      { numRuns: 300 },
    );
  });
});
