import { describe, expect, it } from '@jest/globals';
import { checkDispensedUnits, productInForce, type ProductInForce } from './dispensed-product.js';
import { medicationBalance, stockWarnings, type SupplyOrder } from './supply.js';
import { ruleErrorOf } from '../../test/support/clinical-errors.js';

const step = (n: number, startsOn: string, dailyDose: number) => ({ step: n, startsOn, dailyDose, dailyMme: dailyDose * 1.5, reductionPercent: 0, percentOfStart: 0 });
const taper = (formulation: string, unitStrengths: number[], allowHalfTablets: boolean, wearHours?: number): SupplyOrder => ({
  kind: 'TAPER', label: `oxycodone ${formulation} taper`, schedule: { pauses: [], steps: [step(1, '2027-01-04', 30)] }, unitStrengths, allowHalfTablets, wearHours,
});
const ir: ProductInForce = { formulation: 'IR', orders: [taper('IR', [5], true)] };
const er: ProductInForce = { formulation: 'ER', orders: [taper('ER', [10, 20], false)] };
const paracetamol: ProductInForce = { formulation: null, orders: [{ kind: 'PAIN_PLAN', label: 'paracetamol', dailyDose: 3000 }, { kind: 'AS_NEEDED', label: 'paracetamol prn', dose: 500, maxDosesPerDay: 2 }] };
const on = '2027-01-08';

describe('productInForce', () => {
  it('infers the one product in force; names the formulation when two are (FORMULATION_REQUIRED)', () => {
    expect(productInForce({ drug: 'oxycodone', dispensedOn: on }, [ir])).toBe(ir);
    expect(productInForce({ drug: 'paracetamol', dispensedOn: on }, [paracetamol])).toBe(paracetamol);
    const refused = ruleErrorOf(() => productInForce({ drug: 'oxycodone', dispensedOn: on }, [ir, er]));
    expect(refused).toMatchObject({ code: 'FORMULATION_REQUIRED', field: 'formulation', message: 'Orders of oxycodone IR and ER are in force on 2027-01-08: name the formulation dispensed.' });
    expect(productInForce({ drug: 'oxycodone', formulation: 'ER', dispensedOn: on }, [ir, er])).toBe(er);
  });
  it('a formulation no order in force uses, or none at all, is NO_ACTIVE_ORDER', () => {
    expect(ruleErrorOf(() => productInForce({ drug: 'oxycodone', formulation: 'ER', dispensedOn: on }, [ir]))).toMatchObject({
      code: 'NO_ACTIVE_ORDER', field: 'formulation', message: 'No order in force on 2027-01-08 uses oxycodone ER; the oxycodone orders in force are IR.',
    });
    expect(ruleErrorOf(() => productInForce({ drug: 'paracetamol', formulation: 'IR', dispensedOn: on }, [paracetamol]))).toMatchObject({
      code: 'NO_ACTIVE_ORDER', field: 'formulation', message: 'No order in force on 2027-01-08 uses paracetamol IR; the paracetamol orders name no formulation: leave it out.',
    });
    expect(ruleErrorOf(() => productInForce({ drug: 'morphine', dispensedOn: on }, []))).toMatchObject({ code: 'NO_ACTIVE_ORDER', field: 'drug' });
  });
});

describe('checkDispensedUnits', () => {
  const units = (strength: number, quantity: number, unit = 'mg', overrideReason?: string) => ({ drug: 'oxycodone', strength, unit, quantity, overrideReason });
  it('a taper strength is one of the order’s unitStrengths, unless a reason (then a warning)', () => {
    expect(checkDispensedUnits(units(10, 2), er)).toEqual([]);
    expect(checkDispensedUnits(units(20, 2), er)).toEqual([]);
    expect(ruleErrorOf(() => checkDispensedUnits(units(5, 2), er))).toMatchObject({
      code: 'STRENGTH_NOT_ORDERED', field: 'strength', message: '5 mg is not a strength the oxycodone ER taper order uses (10 mg, 20 mg). Dispense a strength of the order, or give an override reason.',
    });
    expect(checkDispensedUnits(units(5, 2, 'mg', 'Pharmacy out of 10 mg'), er)).toEqual([{ code: 'STRENGTH_NOT_ORDERED', message: expect.stringMatching(/Allowed with the recorded reason\.$/) }]);
    // Pain-plan orders list no strengths.
    expect(checkDispensedUnits({ drug: 'paracetamol', strength: 500, unit: 'mg', quantity: 4 }, paracetamol)).toEqual([]);
  });
  it('whole tablets, halves only where the order allows them, whole patches; never a reason', () => {
    expect(checkDispensedUnits(units(5, 0.5), ir)).toEqual([]);
    expect(checkDispensedUnits(units(5, 7.5), ir)).toEqual([]);
    expect(ruleErrorOf(() => checkDispensedUnits(units(5, 0.25), ir))).toMatchObject({ code: 'QUANTITY_NOT_DISPENSABLE', field: 'quantity' });
    expect(ruleErrorOf(() => checkDispensedUnits(units(10, 0.5, 'mg', 'reason'), er))).toMatchObject({
      code: 'QUANTITY_NOT_DISPENSABLE', message: '0.5 units of oxycodone ER cannot be dispensed: tablets are dispensed whole (the order does not allow half tablets).',
    });
    expect(ruleErrorOf(() => checkDispensedUnits(units(10, 0.337), er))).toMatchObject({ code: 'QUANTITY_NOT_DISPENSABLE' });
    expect(ruleErrorOf(() => checkDispensedUnits({ drug: 'paracetamol', strength: 500, unit: 'mg', quantity: 2.5 }, paracetamol))).toMatchObject({ code: 'QUANTITY_NOT_DISPENSABLE' });
    const patches: ProductInForce = { formulation: 'TRANSDERMAL', orders: [taper('TRANSDERMAL', [12.5, 25], true, 72)] };
    expect(checkDispensedUnits({ drug: 'fentanyl', strength: 25, unit: 'mcg/h', quantity: 2 }, patches)).toEqual([]);
    expect(ruleErrorOf(() => checkDispensedUnits({ drug: 'fentanyl', strength: 25, unit: 'mcg/h', quantity: 1.5 }, patches))).toMatchObject({
      code: 'QUANTITY_NOT_DISPENSABLE', message: '1.5 units of fentanyl TRANSDERMAL cannot be dispensed: patches are dispensed whole.',
    });
  });
});

describe('medicationBalance per product', () => {
  it('keeps oxycodone IR and ER apart, and what was given comes off its own product', () => {
    const lines = medicationBalance(
      [
        { drug: 'oxycodone', formulation: 'IR', strength: 5, unit: 'mg', quantity: 14 },
        { drug: 'oxycodone', formulation: 'ER', strength: 10, unit: 'mg', quantity: 4 },
        { drug: 'paracetamol', formulation: null, strength: 500, unit: 'mg', quantity: 4 },
      ],
      [{ drug: 'oxycodone', formulation: 'ER', unit: 'mg', dose: 50 }],
    );
    expect(lines).toEqual([
      { drug: 'oxycodone', formulation: 'ER', unit: 'mg', dispensed: 40, given: 50, onHand: -10 },
      { drug: 'oxycodone', formulation: 'IR', unit: 'mg', dispensed: 70, given: 0, onHand: 70 },
      { drug: 'paracetamol', formulation: null, unit: 'mg', dispensed: 2000, given: 0, onHand: 2000 },
    ]);
    expect(stockWarnings(lines[0], { drug: 'oxycodone', formulation: 'ER' }, 'mg')).toEqual([
      { code: 'STOCK_NOT_DISPENSED', message: '50 mg of oxycodone ER given in all, but only 40 mg dispensed for this admission: record the dispensation.' },
    ]);
    expect(stockWarnings(lines[1], { drug: 'oxycodone', formulation: 'IR' }, 'mg', 70)).toEqual([]);
  });
});
