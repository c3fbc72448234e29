import { describe, expect, it } from '@jest/globals';
import { checkAmendmentAgainstGiven } from './amendment-given.js';
import { ruleErrorOf } from '../../test/support/clinical-errors.js';

const step = (n: number, startsOn: string, dailyDose: number) => ({ step: n, startsOn, dailyDose, dailyMme: dailyDose * 1.5, reductionPercent: 0, percentOfStart: 0 });
// The amended version: 55 mg until the 16th, 50 mg from the 17th (today).
const amended = { pauses: [], steps: [step(1, '2027-01-10', 55), step(2, '2027-01-17', 50)] };
const today = { effectiveFrom: '2027-01-17', unit: 'mg' };
const given = (date: string, dose: number) => ({ date, dose, outcome: 'GIVEN' as const, givenAt: `${date}T01:00:00.000Z` });

describe('checkAmendmentAgainstGiven', () => {
  it('today’s new dose may equal what was given today, not be below it', () => {
    expect(() => checkAmendmentAgainstGiven(amended, today, [given('2027-01-17', 25), given('2027-01-17', 25)])).not.toThrow();
    const refused = ruleErrorOf(() => checkAmendmentAgainstGiven(amended, today, [given('2027-01-17', 25), given('2027-01-17', 25.001)]));
    expect(refused).toMatchObject({ code: 'DOSE_ALREADY_GIVEN', field: 'effectiveFrom' });
    expect(refused.message).toBe('The administration record already holds 50.001 mg of this taper on 2027-01-17; the amended schedule gives 50 mg that day. Make the amendment effective from 2027-01-18.');
  });
  it('nothing taken from the effective date on meets no dose; days before it do not count', () => {
    expect(() => checkAmendmentAgainstGiven(amended, today, [])).not.toThrow();
    expect(() => checkAmendmentAgainstGiven(amended, { ...today, effectiveFrom: '2027-01-18' }, [given('2027-01-17', 55)])).not.toThrow();
  });
  it('a patch still on for days: every one of them counts, and the amendment is open from the day after the last', () => {
    const worn = ['2027-01-17', '2027-01-18', '2027-01-19'].map((day) => given(day, 55));
    expect(ruleErrorOf(() => checkAmendmentAgainstGiven(amended, { ...today, effectiveFrom: '2027-01-18' }, worn)).message).toBe(
      'The administration record already holds 55 mg of this taper on 2027-01-18; the amended schedule gives 50 mg that day. Make the amendment effective from 2027-01-20.',
    );
    expect(() => checkAmendmentAgainstGiven(amended, { ...today, effectiveFrom: '2027-01-20' }, worn)).not.toThrow();
  });
});
