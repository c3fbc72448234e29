import { describe, expect, it } from '@jest/globals';
import { carrierDoseRoom, checkRollingDay, combinationProducts, nextFit, paracetamolInTaperDoses, type DrugTaken, type RollingDayLimit } from './rolling-day.js';
import { ruleErrorOf } from '../../test/support/clinical-errors.js';

const PARACETAMOL: RollingDayLimit = { drug: 'paracetamol', unit: 'mg', maxDaily: 4000, because: [] };
const at = (iso: string): Date => new Date(iso);
const given = (iso: string, amount = 1000): DrugTaken => ({ givenAt: at(iso), amount });
const dose = (iso: string, amount = 1000, outcome = 'GIVEN') => ({ outcome, dose: amount, givenAt: at(iso) });

describe('checkRollingDay: paracetamol over any 24 hours (review finding: 8 g in 8 minutes across midnight)', () => {
  // 23:56–23:59 in Bangkok on 9 December: four clinic-day doses that fill the limit.
  const beforeMidnight = ['2026-12-09T16:56:00Z', '2026-12-09T16:57:00Z', '2026-12-09T16:58:00Z', '2026-12-09T16:59:00Z'].map((iso) => given(iso));

  it('accepts the fourth gram of the 24 hours and refuses the fifth at 00:00 the next clinic day, naming when a gram fits again', () => {
    expect(() => checkRollingDay(dose('2026-12-09T16:59:00Z'), PARACETAMOL, beforeMidnight.slice(0, 3))).not.toThrow();
    const refused = ruleErrorOf(() => checkRollingDay(dose('2026-12-09T17:00:00Z'), PARACETAMOL, beforeMidnight));
    expect(refused).toMatchObject({ code: 'MAX_DAILY_DOSE_EXCEEDED', field: 'dose' });
    expect(refused.message).toBe(
      '4000 mg of paracetamol is already given in the 24 hours from 2026-12-09T16:56:00.000Z, counting every source, and the ' +
        "patient's limit is 4000 mg in any 24 hours; 1000 mg more is too much (at most 0 mg now; a dose of 1000 mg fits from 2026-12-10T16:56:00.000Z).",
    );
  });

  it('one minute before the first dose leaves the 24 hours: refused; at exactly 24 hours: accepted', () => {
    expect(ruleErrorOf(() => checkRollingDay(dose('2026-12-10T16:55:00Z'), PARACETAMOL, beforeMidnight)).code).toBe('MAX_DAILY_DOSE_EXCEEDED');
    expect(() => checkRollingDay(dose('2026-12-10T16:56:00Z'), PARACETAMOL, beforeMidnight)).not.toThrow();
  });

  it('says how much fits now: 500 mg after 3500 mg', () => {
    const taken = [given('2026-12-09T08:00:00Z'), given('2026-12-09T12:00:00Z'), given('2026-12-09T16:00:00Z'), given('2026-12-09T20:00:00Z', 500)];
    expect(() => checkRollingDay(dose('2026-12-10T00:00:00Z', 500), PARACETAMOL, taken)).not.toThrow();
    expect(ruleErrorOf(() => checkRollingDay(dose('2026-12-10T00:00:00Z', 1000), PARACETAMOL, taken)).message).toContain(
      '(at most 500 mg now; a dose of 1000 mg fits from 2026-12-10T08:00:00.000Z)',
    );
  });

  it('counts doses entered after the fact: back-dated 23 h 59 min before the last of four later grams, refused; 24 h before it, accepted', () => {
    const later = ['2026-12-10T08:00:00Z', '2026-12-10T12:00:00Z', '2026-12-10T16:00:00Z', '2026-12-10T20:00:00Z'].map((iso) => given(iso));
    expect(ruleErrorOf(() => checkRollingDay(dose('2026-12-09T20:01:00Z'), PARACETAMOL, later)).code).toBe('MAX_DAILY_DOSE_EXCEEDED');
    expect(() => checkRollingDay(dose('2026-12-09T20:00:00Z'), PARACETAMOL, later)).not.toThrow();
  });

  it('holds a lower limit and says why: 2000 mg with hepatic impairment', () => {
    const hepatic: RollingDayLimit = { ...PARACETAMOL, maxDaily: 2000, because: ['hepatic impairment'] };
    const taken = [given('2026-12-09T22:00:00Z'), given('2026-12-10T02:00:00Z')];
    expect(ruleErrorOf(() => checkRollingDay(dose('2026-12-10T06:00:00Z', 500), hepatic, taken)).message).toContain(
      "the patient's limit is 2000 mg in any 24 hours with hepatic impairment; 500 mg more",
    );
    expect(() => checkRollingDay(dose('2026-12-10T22:00:00Z', 1000), hepatic, taken)).not.toThrow();
  });

  it('checks only doses given: a dose held, refused or omitted is never refused for the total', () => {
    for (const outcome of ['HELD', 'REFUSED', 'OMITTED']) expect(() => checkRollingDay(dose('2026-12-09T17:00:00Z', 1000, outcome), PARACETAMOL, beforeMidnight)).not.toThrow();
  });

  it('says so when no dose of that size fits in the next 24 hours (later doses already fill them)', () => {
    const around = [given('2026-12-09T12:00:00Z', 4000), given('2026-12-10T13:00:00Z', 4000)];
    expect(ruleErrorOf(() => checkRollingDay(dose('2026-12-09T14:00:00Z'), PARACETAMOL, around)).message).toContain('no dose of 1000 mg fits in the 24 hours after it');
  });

  it('nextFit: the dose instant itself when it fits', () => {
    expect(nextFit(0, 1000, 4000, [{ at: -1, amount: 3000 }])).toBe(0);
  });
});

describe('paracetamolInTaperDoses: the paracetamol of combination-opioid doses given under a taper', () => {
  const intake = [
    { drug: 'hydrocodone', formulation: 'IR' as const, dose: 5, paracetamolPerUnitMg: 325 },
    { drug: 'oxycodone', formulation: 'ER' as const, dose: 10 },
  ];

  it('converts mg of opioid to units and units to paracetamol: 10 mg of hydrocodone 5/325 is 650 mg, 7.5 mg is 487.5 mg', () => {
    const doses = [
      { givenAt: at('2026-12-09T08:00:00Z'), drug: 'hydrocodone', formulation: 'IR', dose: 10 },
      { givenAt: at('2026-12-09T14:00:00Z'), drug: 'Hydrocodone', formulation: 'IR', dose: 7.5 },
    ];
    expect(paracetamolInTaperDoses(doses, intake)).toEqual([
      { givenAt: at('2026-12-09T08:00:00Z'), amount: 650 },
      { givenAt: at('2026-12-09T14:00:00Z'), amount: 487.5 },
    ]);
  });

  it('plain opioids, other formulations of the drug and doses without a formulation carry none', () => {
    const doses = [
      { givenAt: at('2026-12-09T08:00:00Z'), drug: 'oxycodone', formulation: 'ER', dose: 10 },
      { givenAt: at('2026-12-09T08:00:00Z'), drug: 'hydrocodone', formulation: 'ER', dose: 10 },
      { givenAt: at('2026-12-09T08:00:00Z'), drug: 'hydrocodone', formulation: null, dose: 10 },
    ];
    expect(paracetamolInTaperDoses(doses, intake)).toEqual([]);
    expect(combinationProducts(intake)).toEqual([{ drug: 'hydrocodone', formulation: 'IR' }]);
  });

  it('with the pain plan: 1800 mg of paracetamol and 20 mg of hydrocodone 5/325 (1300 mg) leave 900 mg in the 24 hours', () => {
    const taper = paracetamolInTaperDoses(
      ['02:00', '08:00', '14:00', '20:00'].map((time) => ({ givenAt: at(`2026-12-09T${time}:00Z`), drug: 'hydrocodone', formulation: 'IR', dose: 5 })),
      intake,
    );
    const taken = [...taper, given('2026-12-09T03:00:00Z', 900), given('2026-12-09T09:00:00Z', 900)];
    expect(() => checkRollingDay(dose('2026-12-09T21:00:00Z', 900), PARACETAMOL, taken)).not.toThrow();
    expect(ruleErrorOf(() => checkRollingDay(dose('2026-12-09T21:00:00Z', 901), PARACETAMOL, taken)).message).toMatch(
      /^3100 mg of paracetamol is already given in the 24 hours from 2026-12-09T02:00:00.000Z, counting every source, .* \(at most 900 mg now; a dose of 901 mg fits from 2026-12-10T02:00:00.000Z\)\.$/,
    );
  });
});

describe('carrierDoseRoom: what the nurses\' list offers of a combination-opioid taper dose (review finding: 30 mg offered, 2.5 mg refused)', () => {
  const intake = [{ drug: 'hydrocodone', formulation: 'IR' as const, dose: 10, paracetamolPerUnitMg: 325 }];
  const hydrocodone = { drug: 'hydrocodone', formulation: 'IR' };
  const now = at('2026-12-08T02:50:00Z');
  // 2.5 mg steps (5 mg tablets, halves allowed) up to the 30 mg the schedule leaves, in thousandths.
  const steps = { quantum: 2500, upTo: 30000 };

  it('the schedule’s remaining when its paracetamol fits: 30 mg carries 975 mg, under 4000 mg with 1000 mg given', () => {
    expect(carrierDoseRoom(now, hydrocodone, intake, 4000, [given('2026-12-07T23:00:00Z')], steps)).toBe(30000);
  });

  it('nothing once the 24 hours are full: 2000 mg with hepatic impairment, all given', () => {
    expect(carrierDoseRoom(now, hydrocodone, intake, 2000, [given('2026-12-07T23:00:00Z', 2000)], steps)).toBe(0);
  });

  it('rounds down to a dose the strengths make: 200 mg of room is 6.15 mg of hydrocodone, so 5 mg (162.5 mg); 7.5 mg (243.75 mg) would not fit', () => {
    const taken = [given('2026-12-07T23:00:00Z', 1800)];
    expect(carrierDoseRoom(now, hydrocodone, intake, 2000, taken, steps)).toBe(5000);
    expect(() => checkRollingDay(dose('2026-12-08T02:50:00Z', 162.5), { ...PARACETAMOL, maxDaily: 2000 }, taken)).not.toThrow();
    expect(() => checkRollingDay(dose('2026-12-08T02:50:00Z', 243.75), { ...PARACETAMOL, maxDaily: 2000 }, taken)).toThrow();
    // Whole 5 mg tablets only: 5 mg still; with 10 mg tablets only, nothing.
    expect(carrierDoseRoom(now, hydrocodone, intake, 2000, taken, { quantum: 5000, upTo: 30000 })).toBe(5000);
    expect(carrierDoseRoom(now, hydrocodone, intake, 2000, taken, { quantum: 10000, upTo: 30000 })).toBe(0);
  });

  it('counts the paracetamol of earlier taper doses and ignores doses 24 hours or more away', () => {
    const taper = paracetamolInTaperDoses([{ givenAt: at('2026-12-07T05:00:00Z'), ...hydrocodone, dose: 30 }], intake);
    const taken = [...taper, given('2026-12-07T02:50:00Z', 2000)];
    // 975 mg at 05:00 on the 7th leave 1025 mg of 2000: 30 mg (975 mg) fits.
    expect(carrierDoseRoom(now, hydrocodone, intake, 2000, taken, steps)).toBe(30000);
    expect(carrierDoseRoom(now, hydrocodone, intake, 2000, [...taken, given('2026-12-07T23:00:00Z', 500)], steps)).toBe(15000);
  });

  it('null for a product that carries no paracetamol', () => {
    expect(carrierDoseRoom(now, { drug: 'oxycodone', formulation: 'IR' }, intake, 2000, [], steps)).toBeNull();
    expect(carrierDoseRoom(now, { drug: 'hydrocodone', formulation: 'ER' }, intake, 2000, [], steps)).toBeNull();
  });
});
