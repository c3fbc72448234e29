import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { addDays } from './calendar-dates.js';
import { ClinicalRuleError } from './clinical-error.js';
import { checkSupply, medicationBalance, supplyNeed, type DispensedStock, type GivenStock, type SupplyOrder } from './supply.js';

const FIRST_DAY = '2027-01-04';
const STRENGTH = 5;

/** A taper of whole milligrams a day, cut by 5 mg every week from its start dose. */
const taperArb: fc.Arbitrary<SupplyOrder> = fc.integer({ min: 2, max: 24 }).map((fives) => ({
  kind: 'TAPER',
  label: 'oxycodone IR taper',
  schedule: {
    pauses: [],
    steps: Array.from({ length: fives }, (_, i) => ({ step: i + 1, startsOn: addDays(FIRST_DAY, 7 * i), dailyDose: (fives - i) * 5, dailyMme: (fives - i) * 7.5, reductionPercent: 0, percentOfStart: 0 })),
  },
}));

/** A ward's days: on each, tablets asked for (some days none, some far too many) and doses given. */
const dayArb = fc.record({ tablets: fc.integer({ min: 0, max: 80 }), givenMg: fc.integer({ min: 0, max: 150 }) });

describe('dispensing properties', () => {
  it('whatever is asked for day after day, the stock on hand after a dispensation without a reason never exceeds the next seven days of need', () => {
    fc.assert(
      fc.property(taperArb, fc.array(dayArb, { minLength: 1, maxLength: 60 }), (taper, days) => {
        const dispensed: DispensedStock[] = [];
        const given: GivenStock[] = [];
        const onHand = () => medicationBalance(dispensed, given)[0]?.onHand ?? 0;
        days.forEach(({ tablets, givenMg }, i) => {
          const day = addDays(FIRST_DAY, i);
          if (tablets > 0) {
            const request = { drug: 'oxycodone', formulation: 'IR', unit: 'mg', strength: STRENGTH, quantity: tablets, dispensedOn: day };
            try {
              checkSupply(request, [taper], onHand());
              dispensed.push(request);
              // Counted here on its own: what is on hand now is at most the week's need.
              expect(Math.max(0, onHand())).toBeLessThanOrEqual(supplyNeed([taper], day));
            } catch (error) {
              if (!(error instanceof ClinicalRuleError)) throw error;
              expect(error.code).toBe('ABOVE_ORDER_SUPPLY');
              expect(Math.max(0, onHand()) + tablets * STRENGTH).toBeGreaterThan(supplyNeed([taper], day));
            }
          }
          if (givenMg > 0) given.push({ drug: 'oxycodone', formulation: 'IR', unit: 'mg', dose: givenMg });
        });
      }),
      { numRuns: 300 },
    );
  });
});
