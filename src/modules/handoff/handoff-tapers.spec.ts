import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { addDays, generateTaper, intakeRegimenOf, mmeInForceOn, type OrderInForce } from '../../clinical/taper.js';
import { taperOrderArb } from '../../../test/support/taper-arbitraries.js';
import { dailyMmeSeries } from './handoff-tapers.js';

describe('dailyMmeSeries', () => {
  it('property: worked out on the days something changes, it equals the regimen rule applied to every day of the stay', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ params: taperOrderArb, endsAfter: fc.option(fc.integer({ min: 0, max: 200 }), { nil: null }) }), { minLength: 0, maxLength: 3 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 400 }),
        (drawn, admitShift, stayDays) => {
          const orders: OrderInForce[] = drawn.map(({ params, endsAfter }) => {
            const steps = generateTaper({ ...params, lifeThreateningReason: 'x' }).steps;
            return { drug: params.drug, formulation: params.formulation, steps, endsOn: endsAfter === null ? null : addDays(params.startDate, endsAfter) };
          });
          const intake = intakeRegimenOf([{ drug: 'oxycodone', formulation: 'IR', dose: 10, unit: 'mg', timesPerDay: 3 }]);
          const first = orders.map((o) => o.steps[0]!.startsOn).sort()[0] ?? '2027-01-04';
          const admittedOn = addDays(first, -admitShift);
          const dischargedOn = addDays(admittedOn, stayDays - 1);
          const naive = [];
          for (let date = admittedOn; date <= dischargedOn; date = addDays(date, 1)) naive.push({ date, mme: mmeInForceOn(date, intake, orders).totalDailyMme });
          expect(dailyMmeSeries(intake, orders, admittedOn, dischargedOn)).toEqual(naive);
        },
      ),
      { numRuns: 150 },
    );
  });
});
