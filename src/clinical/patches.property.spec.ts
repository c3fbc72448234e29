import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { checkPatchDose, PATCH_WEAR_HOURS, type DoseGivenAt } from './administration.js';

const WEAR = PATCH_WEAR_HOURS.fentanyl!;
import { ClinicalRuleError } from './clinical-error.js';

const HOUR = 3_600_000;
const START = Date.parse('2027-01-04T00:00:00Z');

/** Patches tried at any hour of three weeks, in any order of entry (late entries included). */
const attemptsArb = fc.array(fc.record({ hour: fc.integer({ min: 0, max: 500 }), dose: fc.constantFrom(12.5, 25, 37.5, 50) }), { maxLength: 40 });

describe('fentanyl patch properties', () => {
  it('whatever patches are tried in whatever order, at no hour do the patches on (applied less than 72 hours before) add up to more than the ordered mcg/h', () => {
    fc.assert(
      fc.property(fc.constantFrom(25, 37.5, 50, 75), attemptsArb, (ordered, attempts) => {
        const accepted: DoseGivenAt[] = [];
        for (const { hour, dose } of attempts) {
          const givenAt = new Date(START + hour * HOUR);
          // What the record reads: the patches applied less than the wear before or after.
          const worn = accepted.filter((p) => Math.abs(p.givenAt.getTime() - givenAt.getTime()) < WEAR * HOUR);
          try {
            checkPatchDose({ outcome: 'GIVEN', dose, date: '2027-01-04', unit: 'mcg/h' }, ordered, worn, WEAR);
            accepted.push({ givenAt, dose });
          } catch (error) {
            if (!(error instanceof ClinicalRuleError)) throw error;
            expect(error.code).toBe('ABOVE_SCHEDULED_DOSE');
          }
        }
        // Counted here on its own, hour by hour: what is on is what was applied in the last 72 hours.
        for (let hour = 0; hour <= 500 + WEAR; hour++) {
          const at = START + hour * HOUR;
          const on = accepted.filter((p) => p.givenAt.getTime() <= at && at < p.givenAt.getTime() + WEAR * HOUR).reduce((sum, p) => sum + p.dose, 0);
          expect(on).toBeLessThanOrEqual(ordered);
        }
      }),
      { numRuns: 300 },
    );
  });
});
