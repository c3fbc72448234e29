import { describe, expect, it } from '@jest/globals';
import { asNeededDailyMaximum, checkAsNeededOrder, maxSingleDoseOf } from './as-needed.js';
import { ruleErrorOf } from '../../test/support/clinical-errors.js';

const clonidine = (changes: Record<string, unknown> = {}) => ({ drug: 'clonidine', dose: 0.1, unit: 'mg', route: 'ORAL', minIntervalHours: 6, maxDosesPerDay: 4, ...changes });

describe('checkAsNeededOrder', () => {
  it('accepts the comfort medicines within their daily maximum, and hands paracetamol and ibuprofen to the pain-plan rules', () => {
    expect(checkAsNeededOrder(clonidine())).toBe('COMFORT');
    expect(checkAsNeededOrder({ drug: 'Loperamide ', dose: 2, unit: 'mg', route: 'ORAL', minIntervalHours: 2, maxDosesPerDay: 8 })).toBe('COMFORT');
    expect(checkAsNeededOrder({ drug: 'paracetamol', dose: 1000, unit: 'mg', route: 'ORAL', minIntervalHours: 6, maxDosesPerDay: 4 })).toBe('PAIN_PLAN');
  });
  it('refuses a daily most above the label maximum: 1.2 mg of clonidine a day fits, 1.4 does not', () => {
    expect(checkAsNeededOrder(clonidine({ dose: 0.2, maxDosesPerDay: 6, minIntervalHours: 4 }))).toBe('COMFORT');
    expect(ruleErrorOf(() => checkAsNeededOrder(clonidine({ dose: 0.2, maxDosesPerDay: 7, minIntervalHours: 3 })))).toMatchObject({ code: 'MAX_DAILY_DOSE_EXCEEDED', field: 'maxDosesPerDay' });
  });
  it.each([
    ['clonidine', 0.2],
    ['lofexidine', 0.8],
    ['loperamide', 4],
    ['ondansetron', 8],
  ] as const)('%s: %d mg a dose fits, 0.001 mg more is MAX_SINGLE_DOSE_EXCEEDED on the dose', (drug, most) => {
    const order = { drug, unit: 'mg', route: 'ORAL', minIntervalHours: 24, maxDosesPerDay: 1 };
    expect(checkAsNeededOrder({ ...order, dose: most })).toBe('COMFORT');
    expect(maxSingleDoseOf(drug)).toBe(most);
    const over = ruleErrorOf(() => checkAsNeededOrder({ ...order, dose: most + 0.001 }));
    expect(over).toMatchObject({ code: 'MAX_SINGLE_DOSE_EXCEEDED', field: 'dose', message: `${most + 0.001} mg of ${drug} is above its maximum of ${most} mg a dose.` });
  });
  it('a single 1.2 mg of clonidine is refused for the dose, though 1.2 mg is the most a day', () => {
    expect(ruleErrorOf(() => checkAsNeededOrder(clonidine({ dose: 1.2, maxDosesPerDay: 1, minIntervalHours: 24 })))).toMatchObject({ code: 'MAX_SINGLE_DOSE_EXCEEDED', field: 'dose' });
  });
  it('maxSingleDoseOf: pain-plan and comfort drugs whatever the case; none for an opioid or an unknown code', () => {
    expect([maxSingleDoseOf(' Paracetamol'), maxSingleDoseOf('ibuprofen'), maxSingleDoseOf('gabapentin'), maxSingleDoseOf('lidocaine')]).toEqual([1000, 800, 1200, 3]);
    expect([maxSingleDoseOf('oxycodone'), maxSingleDoseOf('constructor'), maxSingleDoseOf('__proto__')]).toEqual([null, null, null]);
  });
  it('refuses an unknown drug, a wrong unit or route, and more doses a day than the interval allows', () => {
    expect(ruleErrorOf(() => checkAsNeededOrder(clonidine({ drug: 'diazepam' })))).toMatchObject({ code: 'UNKNOWN_DRUG' });
    expect(ruleErrorOf(() => checkAsNeededOrder(clonidine({ unit: 'patch' })))).toMatchObject({ code: 'INVALID_UNIT' });
    expect(ruleErrorOf(() => checkAsNeededOrder(clonidine({ route: 'TOPICAL' })))).toMatchObject({ code: 'INVALID_ROUTE' });
    expect(ruleErrorOf(() => checkAsNeededOrder(clonidine({ minIntervalHours: 6, maxDosesPerDay: 5 })))).toMatchObject({ code: 'INVALID_FREQUENCY' });
    expect(checkAsNeededOrder(clonidine({ minIntervalHours: 5, maxDosesPerDay: 5, dose: 0.2 }))).toBe('COMFORT');
  });
});

describe('asNeededDailyMaximum', () => {
  it('is the dose times the doses a day, exact to the thousandth where floating point is not', () => {
    expect(0.1 * 3).not.toBe(0.3);
    expect(asNeededDailyMaximum({ dose: 0.1, maxDosesPerDay: 3 })).toBe(0.3);
    expect(asNeededDailyMaximum({ dose: 0.075, maxDosesPerDay: 7 })).toBe(0.525);
    expect(asNeededDailyMaximum({ dose: 1000, maxDosesPerDay: 4 })).toBe(4000);
  });
});
