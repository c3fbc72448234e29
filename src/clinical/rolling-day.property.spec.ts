import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { checkRollingDay, nextFit, ROLLING_DAY_MS } from './rolling-day.js';

const MINUTE = 60_000;
const LIMIT = 4000;

/**
 * An independent oracle on a minute grid: every dose lies on a whole minute, so every 24 hours
 * that can hold the dose starts on one of the 1440 minutes up to it.
 */
function fitsAt(at: number, dose: number, taken: readonly { at: number; amount: number }[]): boolean {
  for (let from = at - ROLLING_DAY_MS + MINUTE; from <= at; from += MINUTE) {
    const total = taken.filter((d) => d.at >= from && d.at < from + ROLLING_DAY_MS).reduce((sum, d) => sum + d.amount, 0);
    if (total + dose > LIMIT) return false;
  }
  return true;
}

/** Doses of 250–1000 mg on whole minutes from 24 h before to 48 h after the new dose (at 0). */
const takenArb = fc.array(
  fc.record({ minute: fc.integer({ min: -1439, max: 2 * 1440 - 1 }), amount: fc.constantFrom(250, 500, 750, 1000) }).map(({ minute, amount }) => ({ at: minute * MINUTE, amount })),
  { maxLength: 12 },
);

describe('rolling 24-hour limit properties', () => {
  it('a dose is accepted exactly when every 24 hours that hold it stay within the limit', () => {
    fc.assert(
      fc.property(takenArb, fc.constantFrom(250, 500, 1000), (taken, dose) => {
        const accepted = (() => {
          try {
            checkRollingDay({ outcome: 'GIVEN', dose, givenAt: new Date(0) }, { drug: 'paracetamol', unit: 'mg', maxDaily: LIMIT, because: [] }, taken.map((d) => ({ givenAt: new Date(d.at), amount: d.amount })));
            return true;
          } catch {
            return false;
          }
        })();
        expect(accepted).toBe(fitsAt(0, dose, taken));
      }),
      { numRuns: 300 },
    );
  });

  it('the next time a dose fits does fit; the minute before it and every half hour from the dose up to it do not', () => {
    fc.assert(
      fc.property(takenArb, fc.constantFrom(250, 500, 1000), (taken, dose) => {
        const next = nextFit(0, dose, LIMIT, taken);
        const upTo = next ?? ROLLING_DAY_MS;
        for (let at = 0; at < upTo; at += 30 * MINUTE) expect(fitsAt(at, dose, taken)).toBe(false);
        if (next !== null) {
          expect(fitsAt(next, dose, taken)).toBe(true);
          if (next > 0) expect(fitsAt(next - MINUTE, dose, taken)).toBe(false);
        }
      }),
      { numRuns: 100 },
    );
  });
});
