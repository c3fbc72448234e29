import { describe, expect, it } from '@jest/globals';
import { checkSupply, supplyNeed, type SupplyOrder } from './supply.js';
import { ruleErrorOf } from '../../test/support/clinical-errors.js';

const step = (n: number, startsOn: string, dailyDose: number) => ({ step: n, startsOn, dailyDose, dailyMme: dailyDose * 1.5, reductionPercent: 0, percentOfStart: 0 });
const taper: SupplyOrder = { kind: 'TAPER', label: 'oxycodone IR taper', schedule: { pauses: [], steps: [step(1, '2027-01-04', 40), step(2, '2027-01-11', 35)] } };
const request = (quantity: number, strength = 5) => ({ drug: 'oxycodone', unit: 'mg', quantity, strength, dispensedOn: '2027-01-08' });

describe('supplyNeed', () => {
  it('sums the scheduled taper doses of the next seven days, the daily pain-plan dose and the as-needed most', () => {
    // 8–10 Jan at 40 mg, 11–14 Jan at 35 mg.
    expect(supplyNeed([taper], '2027-01-08')).toBe(3 * 40 + 4 * 35);
    expect(supplyNeed([{ kind: 'PAIN_PLAN', label: 'paracetamol', dailyDose: 3000 }], '2027-01-08')).toBe(21_000);
    expect(supplyNeed([{ kind: 'AS_NEEDED', label: 'clonidine', dose: 0.1, maxDosesPerDay: 4 }], '2027-01-08')).toBe(2.8);
    expect(supplyNeed([taper], '2027-01-01', 3)).toBe(0);
  });
});

describe('checkSupply', () => {
  it('a seven-day supply passes; one unit more is refused unless a reason is given', () => {
    expect(checkSupply(request(52), [taper])).toEqual([]);
    expect(ruleErrorOf(() => checkSupply(request(53), [taper]))).toMatchObject({ code: 'ABOVE_ORDER_SUPPLY', field: 'quantity' });
    expect(checkSupply({ ...request(53), overrideReason: 'Weekend leave with the family' }, [taper]).map((w) => w.code)).toEqual(['ABOVE_ORDER_SUPPLY']);
  });
  it('nothing is dispensed without an order in force using the drug', () => {
    expect(ruleErrorOf(() => checkSupply(request(1), []))).toMatchObject({ code: 'NO_ACTIVE_ORDER', field: 'drug' });
  });
});
