import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ordersAboveCorrectedIntake } from './intake-correction-review.js';
import { intakeRegimenOf } from './regimen-mme.js';

const line = (drug: string, formulation: 'IR' | 'ER', dose: number, timesPerDay: number) => ({ drug, formulation, dose, unit: 'mg' as const, timesPerDay });
const order = (drug: string, formulation: 'IR' | 'ER', steps: [string, number][], replaces: { drug: string; formulation: 'IR' | 'ER' } | null = null) => ({
  drug, formulation, unit: 'mg', label: `${drug}-${formulation}`, replaces, steps: steps.map(([startsOn, dailyDose]) => ({ startsOn, dailyDose })),
});

describe('orders above a corrected intake', () => {
  const oxycodone = order('oxycodone', 'IR', [['2027-01-04', 60], ['2027-01-11', 55]]);

  it('names nothing while every order is at or below its product and the total at or below the intake', () => {
    expect(ordersAboveCorrectedIntake(intakeRegimenOf([line('oxycodone', 'IR', 20, 3)]), [oxycodone], '2027-01-12')).toEqual([]);
    // 55 mg today against a corrected 55 mg: at the boundary, nothing.
    expect(ordersAboveCorrectedIntake(intakeRegimenOf([line('oxycodone', 'IR', 27.5, 2)]), [oxycodone], '2027-01-12')).toEqual([]);
  });

  it('names the order whose dose today is above its corrected product (55 against 50), and the total MME above the corrected total', () => {
    const warnings = ordersAboveCorrectedIntake(intakeRegimenOf([line('oxycodone', 'IR', 25, 2)]), [oxycodone], '2027-01-12');
    expect(warnings).toEqual([
      { code: 'ORDER_ABOVE_CORRECTED_INTAKE', message: 'The oxycodone IR order gives 55 mg/day today; the corrected intake has 50 mg/day of it: review the order.' },
      { code: 'MME_ABOVE_CORRECTED_INTAKE', message: "The orders in force today come to 82.5 MME a day, above the corrected intake's 75: review them." },
    ]);
  });

  it('looks at every day from today on: an order starting later above the corrected intake is named from its first day, once', () => {
    const later = order('morphine', 'IR', [['2027-01-20', 30], ['2027-01-27', 20]]);
    const warnings = ordersAboveCorrectedIntake(intakeRegimenOf([line('oxycodone', 'IR', 20, 3)]), [oxycodone, later], '2027-01-12');
    expect(warnings).toEqual([
      { code: 'ORDER_ABOVE_CORRECTED_INTAKE', message: 'The morphine IR order gives 30 mg/day from 2027-01-20; it is not in the corrected intake: review the order.' },
      { code: 'MME_ABOVE_CORRECTED_INTAKE', message: "The orders in force from 2027-01-20 come to 112.5 MME a day, above the corrected intake's 90: review them." },
    ]);
  });

  it('names an order of a product the corrected intake no longer lists; a rotation only through the total', () => {
    const morphine = order('morphine', 'IR', [['2027-01-04', 30]]);
    const removed = ordersAboveCorrectedIntake(intakeRegimenOf([line('oxycodone', 'IR', 20, 3)]), [oxycodone, morphine], '2027-01-12');
    expect(removed.map((w) => w.code)).toEqual(['ORDER_ABOVE_CORRECTED_INTAKE', 'MME_ABOVE_CORRECTED_INTAKE']);
    expect(removed[0]!.message).toBe('The morphine IR order gives 30 mg/day today; it is not in the corrected intake: review the order.');
    const rotation = order('morphine', 'IR', [['2027-01-04', 60]], { drug: 'oxycodone', formulation: 'IR' });
    expect(ordersAboveCorrectedIntake(intakeRegimenOf([line('oxycodone', 'IR', 20, 3)]), [rotation], '2027-01-12')).toEqual([]);
  });

  it('names a rotation of a product the corrected intake no longer lists, once (beside the total it adds to)', () => {
    const rotation = order('morphine', 'IR', [['2027-01-20', 20], ['2027-01-27', 10]], { drug: 'oxycodone', formulation: 'IR' });
    const warnings = ordersAboveCorrectedIntake(intakeRegimenOf([line('tramadol', 'IR', 50, 4)]), [rotation], '2027-01-12');
    expect(warnings.map((w) => w.code)).toEqual(['ROTATION_OF_PRODUCT_NOT_IN_INTAKE', 'MME_ABOVE_CORRECTED_INTAKE']);
    expect(warnings[0]!.message).toBe('The morphine IR rotation replaces oxycodone IR, which the corrected intake does not list: review the rotation.');
  });
});

describe('orders above a corrected intake (property)', () => {
  it('names an order exactly when its dose today is above its product in the corrected intake, and the total exactly when above the corrected total', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 28 }), (intakeFivesOf, orderFivesOf, startDay) => {
        const intake = intakeRegimenOf([line('oxycodone', 'IR', intakeFivesOf * 5, 1)]);
        // The order starts before today or later in the month: every day from today on counts.
        const startsOn = `2027-01-${String(startDay).padStart(2, '0')}`;
        const warnings = ordersAboveCorrectedIntake(intake, [order('oxycodone', 'IR', [[startsOn, orderFivesOf * 5]])], '2027-01-05').map((w) => w.code);
        const above = orderFivesOf > intakeFivesOf;
        expect(warnings).toEqual(above ? ['ORDER_ABOVE_CORRECTED_INTAKE', 'MME_ABOVE_CORRECTED_INTAKE'] : []);
      }),
      { numRuns: 300 },
    );
  });
});
