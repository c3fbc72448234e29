import { describe, expect, it } from '@jest/globals';
import { checkAmendmentAgainstGiven } from './amendment-given.js';
import { ruleErrorOf } from '../../test/support/clinical-errors.js';

const step = (n: number, startsOn: string, dailyDose: number) => ({ step: n, startsOn, dailyDose, dailyMme: dailyDose * 1.5, reductionPercent: 0, percentOfStart: 0 });
// The amended version: 55 mg until the 16th, 50 mg from the 17th (today).
const amended = { pauses: [], steps: [step(1, '2027-01-10', 55), step(2, '2027-01-17', 50)] };
const today = { effectiveFrom: '2027-01-17', today: '2027-01-17', unit: 'mg' };

describe('checkAmendmentAgainstGiven', () => {
  it('today’s new dose may equal what was given today, not be below it', () => {
    expect(() => checkAmendmentAgainstGiven(amended, today, [25, 25])).not.toThrow();
    const refused = ruleErrorOf(() => checkAmendmentAgainstGiven(amended, today, [25, 25.001]));
    expect(refused).toMatchObject({ code: 'DOSE_ALREADY_GIVEN', field: 'effectiveFrom' });
    expect(refused.message).toBe('50.001 mg of this taper was already given today (2027-01-17); the amended schedule gives 50 mg today. Make the amendment effective from 2027-01-18.');
  });
  it('nothing given today, or an amendment from tomorrow, meets no dose', () => {
    expect(() => checkAmendmentAgainstGiven(amended, today, [])).not.toThrow();
    expect(() => checkAmendmentAgainstGiven(amended, { ...today, effectiveFrom: '2027-01-18' }, [55])).not.toThrow();
  });
});
