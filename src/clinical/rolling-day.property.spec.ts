import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { carrierDoseRoom, checkRollingDay, nextFit, paracetamolInTaperDoses, ROLLING_DAY_MS } from './rolling-day.js';

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

  it('a combination-opioid dose of the room carrierDoseRoom gives is accepted, one strength step more refused, and the room is a step multiple or the schedule’s remaining', () => {
    const intake = [{ drug: 'hydrocodone', formulation: 'IR' as const, dose: 5, paracetamolPerUnitMg: 325 }];
    const product = { drug: 'hydrocodone', formulation: 'IR' };
    const accepted = (mg: number, taken: readonly { at: number; amount: number }[]): boolean => {
      const [carried] = paracetamolInTaperDoses([{ givenAt: new Date(0), ...product, dose: mg }], intake);
      try {
        checkRollingDay({ outcome: 'GIVEN', dose: carried!.amount, givenAt: new Date(0) }, { drug: 'paracetamol', unit: 'mg', maxDaily: LIMIT, because: [] }, taken.map((d) => ({ givenAt: new Date(d.at), amount: d.amount })));
        return true;
      } catch {
        return false;
      }
    };
    const doses = fc.array(
      fc.record({ minute: fc.integer({ min: -1439, max: 1439 }), amount: fc.constantFrom(162.5, 250, 325, 500, 1000) }).map(({ minute, amount }) => ({ at: minute * MINUTE, amount })),
      { maxLength: 10 },
    );
    fc.assert(
      fc.property(doses, fc.constantFrom(1250, 2500, 5000), fc.integer({ min: 0, max: 16 }), (taken, quantum, steps) => {
        const upTo = quantum * steps;
        const room = carrierDoseRoom(new Date(0), product, intake, LIMIT, taken.map((d) => ({ givenAt: new Date(d.at), amount: d.amount })), { quantum, upTo })!;
        expect(room).toBeLessThanOrEqual(upTo);
        expect(room % quantum).toBe(0);
        if (room > 0) expect(accepted(room / 1000, taken)).toBe(true);
        if (room < upTo) expect(accepted((room + quantum) / 1000, taken)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
