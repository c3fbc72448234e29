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
  it('a fentanyl patch is worn three days: a week needs the patches of days 1, 4 and 7 of it', () => {
    const patches: SupplyOrder = { kind: 'TAPER', label: 'fentanyl TRANSDERMAL taper', wearHours: 72, schedule: { pauses: [], steps: [step(1, '2027-01-04', 50), step(2, '2027-01-11', 37.5)] } };
    // From the 8th: the 8th (50), the 11th (37.5), the 14th (37.5).
    expect(supplyNeed([patches], '2027-01-08')).toBe(125);
    expect(ruleErrorOf(() => checkSupply({ drug: 'fentanyl', unit: 'mcg/h', strength: 25, quantity: 6, dispensedOn: '2027-01-08' }, [patches], 0))).toMatchObject({ code: 'ABOVE_ORDER_SUPPLY' });
    expect(checkSupply({ drug: 'fentanyl', unit: 'mcg/h', strength: 25, quantity: 5, dispensedOn: '2027-01-08' }, [patches], 0)).toEqual([]);
    // A buprenorphine patch is worn 7 days: one a week.
    expect(supplyNeed([{ ...patches, wearHours: 168 }], '2027-01-08')).toBe(50);
  });
  it('counts only the days the calendar has: from 9999-12-30, two', () => {
    expect(supplyNeed([{ kind: 'PAIN_PLAN', label: 'paracetamol', dailyDose: 3000 }], '9999-12-30')).toBe(6000);
    expect(supplyNeed([taper], '9999-12-31')).toBe(35);
  });
});

describe('checkSupply', () => {
  it('a seven-day supply passes; one unit more is refused unless a reason is given', () => {
    expect(checkSupply(request(52), [taper], 0)).toEqual([]);
    expect(ruleErrorOf(() => checkSupply(request(53), [taper], 0))).toMatchObject({ code: 'ABOVE_ORDER_SUPPLY', field: 'quantity' });
    expect(checkSupply({ ...request(53), overrideReason: 'Weekend leave with the family' }, [taper], 0).map((w) => w.code)).toEqual(['ABOVE_ORDER_SUPPLY']);
  });
  it('the stock already on hand counts: it may be topped up to the seven days, not one unit beyond', () => {
    // Need 260 mg; 60 mg on hand leaves room for 200 mg = 40 tablets of 5 mg.
    expect(checkSupply(request(40), [taper], 60)).toEqual([]);
    const refused = ruleErrorOf(() => checkSupply(request(41), [taper], 60));
    expect(refused).toMatchObject({ code: 'ABOVE_ORDER_SUPPLY', field: 'quantity' });
    expect(refused.message).toBe(
      '41 × 5 mg is 205 mg; with the 60 mg already on hand that makes 265 mg, more than the 260 mg the orders need over 7 days from 2027-01-08 (oxycodone IR taper). Dispense less, or give an override reason.',
    );
    // A second full week the day after the first: refused.
    expect(ruleErrorOf(() => checkSupply(request(52), [taper], 260))).toMatchObject({ code: 'ABOVE_ORDER_SUPPLY' });
  });
  it('more given than dispensed (a shortfall) does not make room for more than the seven days', () => {
    expect(checkSupply(request(52), [taper], -40)).toEqual([]);
    expect(ruleErrorOf(() => checkSupply(request(53), [taper], -40))).toMatchObject({ code: 'ABOVE_ORDER_SUPPLY' });
  });
  it('nothing is dispensed without an order in force using the drug', () => {
    expect(ruleErrorOf(() => checkSupply(request(1), [], 0))).toMatchObject({ code: 'NO_ACTIVE_ORDER', field: 'drug' });
  });
});
