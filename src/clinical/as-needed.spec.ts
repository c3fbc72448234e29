import { describe, expect, it } from '@jest/globals';
import { asNeededDailyMaximum, checkAsNeededOrder } from './as-needed.js';
import { ruleErrorOf } from '../../test/support/clinical-errors.js';

const clonidine = (changes: Record<string, unknown> = {}) => ({ drug: 'clonidine', dose: 0.1, unit: 'mg', route: 'ORAL', minIntervalHours: 6, maxDosesPerDay: 4, ...changes });

describe('checkAsNeededOrder', () => {
  it('accepts the comfort medicines within their daily maximum, and hands paracetamol and ibuprofen to the pain-plan rules', () => {
    expect(checkAsNeededOrder(clonidine())).toBe('COMFORT');
    expect(checkAsNeededOrder({ drug: 'Loperamide ', dose: 2, unit: 'mg', route: 'ORAL', minIntervalHours: 2, maxDosesPerDay: 8 })).toBe('COMFORT');
    expect(checkAsNeededOrder({ drug: 'paracetamol', dose: 1000, unit: 'mg', route: 'ORAL', minIntervalHours: 6, maxDosesPerDay: 4 })).toBe('PAIN_PLAN');
  });
  it('refuses a daily most above the label maximum: 1.2 mg of clonidine fits, 1.25 does not', () => {
    expect(checkAsNeededOrder(clonidine({ dose: 0.3, maxDosesPerDay: 4 }))).toBe('COMFORT');
    expect(ruleErrorOf(() => checkAsNeededOrder(clonidine({ dose: 0.25, maxDosesPerDay: 5, minIntervalHours: 4 })))).toMatchObject({ code: 'MAX_DAILY_DOSE_EXCEEDED', field: 'maxDosesPerDay' });
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
