import { describe, expect, it } from '@jest/globals';
import { intakeRegimenOf } from './regimen-mme.js';
import { doseOnDay, dosesTakenAway, type OrderOfRegimen, replacedOn, rotationReplacing } from './taper-stop-dose.js';

const oxycodone = { drug: 'oxycodone', formulation: 'IR' as const };
const lines = [{ ...oxycodone, dose: 10, unit: 'mg' as const, timesPerDay: 4 }];
const intake = { products: intakeRegimenOf(lines).products, lines };
const rotation = (id: string, steps: { startsOn: string; dailyDose: number }[], crossTaper = false): OrderOfRegimen => ({ id, drug: 'morphine', formulation: 'IR', replaces: oxycodone, crossTaper, steps });

describe('what a stop before the first step takes away (domain.md §7)', () => {
  it('doseOnDay: the last step started by the day, null before the first', () => {
    const steps = [{ startsOn: '2027-01-10', dailyDose: 40 }, { startsOn: '2027-01-17', dailyDose: 0 }];
    expect([doseOnDay(steps, '2027-01-09'), doseOnDay(steps, '2027-01-10'), doseOnDay(steps, '2027-01-16'), doseOnDay(steps, '2027-01-17')]).toEqual([null, 40, 40, 0]);
  });

  it('a rotation replaces a product on a day only when it gives a dose above 0 that day', () => {
    const running = rotation('r', [{ startsOn: '2027-01-10', dailyDose: 20 }]);
    expect([replacedOn([running], oxycodone, '2027-01-09'), replacedOn([running], oxycodone, '2027-01-10')]).toEqual([false, true]);
    // Stopped before its first dose: its only step is the stop.
    expect(replacedOn([rotation('r', [{ startsOn: '2027-01-09', dailyDose: 0 }])], oxycodone, '2027-01-10')).toBe(false);
    expect(replacedOn([rotation('r', [{ startsOn: '2027-01-10', dailyDose: 20 }], true)], oxycodone, '2027-01-10')).toBe(true);
    expect(replacedOn([running], oxycodone, '2027-01-10', 'r')).toBe(false);
  });

  it('an order of an intake product takes away its intake dose (the order strengths); a rotation the intake dose of what it replaces (the smallest single dose)', () => {
    const order = { id: 'o', ...oxycodone, replaces: null, crossTaper: false, unitStrengths: [5, 10], steps: [{ startsOn: '2027-01-13', dailyDose: 40 }] };
    expect(dosesTakenAway(order, '2027-01-10', intake, [order])).toEqual([{ name: 'oxycodone IR (intake)', dailyDose: 40, unitStrengths: [5, 10], replaced: false }]);
    const morphine = { ...rotation('m', [{ startsOn: '2027-01-13', dailyDose: 20 }]), unitStrengths: [10] };
    expect(dosesTakenAway(morphine, '2027-01-13', intake, [morphine])).toEqual([{ name: 'oxycodone IR (intake)', dailyDose: 40, unitStrengths: [10], replaced: false }]);
    // An order of the replaced product in force that day gives it: the rotation takes nothing away.
    const oxyOrder = { ...order, steps: [{ startsOn: '2027-01-13', dailyDose: 40 }] };
    expect(dosesTakenAway(morphine, '2027-01-13', intake, [morphine, oxyOrder])).toEqual([]);
    expect(dosesTakenAway(morphine, '2027-01-12', intake, [morphine, oxyOrder])).toHaveLength(1);
  });

  it('rotationReplacing: a rotation that is not a cross-taper, giving a dose on the day or later', () => {
    const later = rotation('r', [{ startsOn: '2027-01-20', dailyDose: 20 }]);
    expect(rotationReplacing([later], oxycodone, '2027-01-10')?.id).toBe('r');
    expect(rotationReplacing([rotation('r', [{ startsOn: '2027-01-20', dailyDose: 20 }], true)], oxycodone, '2027-01-10')).toBeUndefined();
    expect(rotationReplacing([rotation('r', [{ startsOn: '2027-01-09', dailyDose: 0 }])], oxycodone, '2027-01-10')).toBeUndefined();
  });
});
