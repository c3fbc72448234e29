import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { checkAchievableDose, checkAsNeededDose, checkDrugDayTotal, checkPainPlanDose, checkPatchDose, checkSingleDose, checkTaperDose, checkWitness, patchWearHours, type AdministrationOutcome } from './administration.js';
import { ruleErrorOf } from '../../test/support/clinical-errors.js';

const taperEntry = (dose: number, outcome: AdministrationOutcome = 'GIVEN') => ({ outcome, dose, date: '2027-01-11', unit: 'mg' });

describe('checkWitness', () => {
  const base = { opioid: true, givenBy: 'nurse-a', witnessIsNurse: true };
  it('an opioid given needs a second nurse', () => {
    expect(() => checkWitness({ ...base, outcome: 'GIVEN', witnessId: 'nurse-b' })).not.toThrow();
    expect(ruleErrorOf(() => checkWitness({ ...base, outcome: 'GIVEN', witnessId: null }))).toMatchObject({ code: 'WITNESS_REQUIRED', field: 'witnessId' });
    expect(ruleErrorOf(() => checkWitness({ ...base, outcome: 'GIVEN', witnessId: 'nurse-a' }))).toMatchObject({ code: 'WITNESS_REQUIRED' });
    expect(ruleErrorOf(() => checkWitness({ ...base, outcome: 'GIVEN', witnessId: 'billing-clerk', witnessIsNurse: false }))).toMatchObject({ code: 'WITNESS_REQUIRED' });
  });
  it('a dose held, or a non-opioid, needs none', () => {
    expect(() => checkWitness({ ...base, outcome: 'HELD', witnessId: null })).not.toThrow();
    expect(() => checkWitness({ ...base, opioid: false, outcome: 'GIVEN', witnessId: null })).not.toThrow();
  });
  it('a witness named on a held dose or a non-opioid is checked all the same', () => {
    expect(() => checkWitness({ ...base, outcome: 'HELD', witnessId: 'nurse-b' })).not.toThrow();
    expect(ruleErrorOf(() => checkWitness({ ...base, outcome: 'HELD', witnessId: 'psychiatrist', witnessIsNurse: false }))).toMatchObject({ code: 'WITNESS_REQUIRED', field: 'witnessId' });
    expect(ruleErrorOf(() => checkWitness({ ...base, outcome: 'REFUSED', witnessId: 'nurse-a' }))).toMatchObject({ code: 'WITNESS_REQUIRED' });
    expect(ruleErrorOf(() => checkWitness({ ...base, opioid: false, outcome: 'GIVEN', witnessId: 'billing-clerk', witnessIsNurse: false }))).toMatchObject({ code: 'WITNESS_REQUIRED' });
  });
});

describe('checkTaperDose', () => {
  it('the dose that just fits the day and the one just over', () => {
    expect(() => checkTaperDose(taperEntry(17.5), 35, [17.5])).not.toThrow();
    expect(ruleErrorOf(() => checkTaperDose(taperEntry(17.501), 35, [17.5]))).toMatchObject({ code: 'ABOVE_SCHEDULED_DOSE', field: 'dose' });
    expect(ruleErrorOf(() => checkTaperDose(taperEntry(2.5), 35, [17.5, 17.5])).message).toContain('at most 0 mg more');
  });
  it('a dose held, refused or omitted is at most the day’s scheduled dose; each time at most the ordered dose for the pain plan and as needed', () => {
    expect(() => checkTaperDose(taperEntry(35, 'HELD'), 35, [])).not.toThrow();
    expect(ruleErrorOf(() => checkTaperDose(taperEntry(35.001, 'HELD'), 35, []))).toMatchObject({ code: 'ABOVE_SCHEDULED_DOSE', field: 'dose' });
    expect(ruleErrorOf(() => checkTaperDose(taperEntry(100_000, 'OMITTED'), 35, [])).message).toBe('2027-01-11: 35 mg is scheduled; a dose of 100000 mg was never due.');
    expect(() => checkPainPlanDose({ ...taperEntry(1000, 'REFUSED') }, { dose: 1000, dailyDose: 3000 }, [1000, 1000, 1000])).not.toThrow();
    expect(ruleErrorOf(() => checkPainPlanDose({ ...taperEntry(1000.5, 'REFUSED') }, { dose: 1000, dailyDose: 3000 }, []))).toMatchObject({ code: 'ABOVE_SCHEDULED_DOSE', field: 'dose' });
  });
  it('a day with no scheduled dose is refused whatever the outcome; a held dose does not count', () => {
    expect(ruleErrorOf(() => checkTaperDose(taperEntry(10, 'HELD'), null, []))).toMatchObject({ code: 'ORDER_NOT_IN_FORCE', field: 'orderId' });
    expect(() => checkTaperDose(taperEntry(35, 'REFUSED'), 35, [35])).not.toThrow();
  });
  it('whatever the split of doses accepted one by one, a day never totals more than scheduled', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 20 }), (scheduledQuarters, quarters) => {
        const scheduled = scheduledQuarters / 4;
        const given: number[] = [];
        for (const q of quarters) {
          try {
            checkTaperDose(taperEntry(q / 4), scheduled, given);
            given.push(q / 4);
          } catch {
            // refused: not recorded
          }
        }
        expect(given.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(scheduled);
      }),
    );
  });
});

describe('checkPainPlanDose', () => {
  const order = { dose: 500, dailyDose: 1500 };
  it('no more than the ordered dose each time, nor the ordered daily dose', () => {
    expect(() => checkPainPlanDose({ ...taperEntry(500) }, order, [500, 500])).not.toThrow();
    expect(ruleErrorOf(() => checkPainPlanDose({ ...taperEntry(500) }, order, [500, 500, 500]))).toMatchObject({ code: 'MAX_DAILY_DOSE_EXCEEDED' });
    expect(ruleErrorOf(() => checkPainPlanDose({ ...taperEntry(500.001) }, order, []))).toMatchObject({ code: 'ABOVE_SCHEDULED_DOSE' });
  });
});

describe('checkSingleDose', () => {
  const entry = (dose: number, outcome: AdministrationOutcome = 'GIVEN') => ({ outcome, dose, unit: 'mg', drug: 'paracetamol' });

  it('gives up to the most in one dose, refuses 0.001 mg more given, and never checks a dose not given or a drug without one', () => {
    expect(() => checkSingleDose(entry(1000), 1000)).not.toThrow();
    expect(ruleErrorOf(() => checkSingleDose(entry(1000.001), 1000))).toMatchObject({
      code: 'MAX_SINGLE_DOSE_EXCEEDED',
      field: 'dose',
      message: '1000.001 mg of paracetamol is above its maximum of 1000 mg a dose.',
    });
    expect(() => checkSingleDose(entry(4000, 'HELD'), 1000)).not.toThrow();
    expect(() => checkSingleDose(entry(4000), null)).not.toThrow();
  });
});

describe('checkDrugDayTotal', () => {
  const paracetamol = (dose: number, outcome: AdministrationOutcome = 'GIVEN') => ({ ...taperEntry(dose, outcome), drug: 'paracetamol' });
  it('counts every order of the drug that day against what the orders in force allow together, to the milligram', () => {
    // A re-written order: 4 × 1000 given under the first, the second allows 4000 a day.
    expect(ruleErrorOf(() => checkDrugDayTotal(paracetamol(1000), [4000], [1000, 1000, 1000, 1000]))).toMatchObject({ code: 'MAX_DAILY_DOSE_EXCEEDED', field: 'dose' });
    expect(() => checkDrugDayTotal(paracetamol(1000), [4000], [1000, 1000, 1000])).not.toThrow();
    expect(ruleErrorOf(() => checkDrugDayTotal(paracetamol(1000.001), [4000], [1000, 1000, 1000]))).toMatchObject({ code: 'MAX_DAILY_DOSE_EXCEEDED' });
    // A pain-plan order and an as-needed order in force together: their allowances add up.
    expect(() => checkDrugDayTotal(paracetamol(500), [3000, 1000], [1000, 1000, 1000, 500])).not.toThrow();
    expect(ruleErrorOf(() => checkDrugDayTotal(paracetamol(500), [3000, 1000], [1000, 1000, 1000, 1000]))?.message).toBe(
      '2027-01-11: 4000 mg of paracetamol already given under its orders that day, and the orders now in force allow 4000 mg a day; at most 0 mg more.',
    );
  });

  it('does not count a dose held, refused or omitted', () => {
    for (const outcome of ['HELD', 'REFUSED', 'OMITTED'] as const) expect(() => checkDrugDayTotal(paracetamol(1000, outcome), [4000], [1000, 1000, 1000, 1000])).not.toThrow();
  });
});

describe('checkAchievableDose', () => {
  const oxycodone = { unitStrengths: [5, 10], allowHalfTablets: true };
  it('a whole multiple of the smallest strength, or of its half where halves are allowed', () => {
    for (const dose of [2.5, 5, 7.5, 55]) expect(() => checkAchievableDose({ dose, unit: 'mg' }, oxycodone)).not.toThrow();
    for (const dose of [2.4, 3.7, 0.001, 7.501]) expect(ruleErrorOf(() => checkAchievableDose({ dose, unit: 'mg' }, oxycodone))).toMatchObject({ code: 'DOSE_NOT_ACHIEVABLE', field: 'dose' });
    expect(ruleErrorOf(() => checkAchievableDose({ dose: 25, unit: 'mg' }, { unitStrengths: [50], allowHalfTablets: false }))?.message).toBe('25 mg cannot be given from 50 mg: a dose is a whole multiple of 50 mg.');
    expect(() => checkAchievableDose({ dose: 37.5, unit: 'mcg/h' }, { unitStrengths: [12.5, 25], allowHalfTablets: false })).not.toThrow();
  });

  it('property: k quanta are given, k quanta and a part of one never', () => {
    const strengths = fc.array(fc.integer({ min: 1, max: 200_000 }).map((t) => t * 2), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(strengths, fc.boolean(), fc.integer({ min: 1, max: 400 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (scaled, halves, k, part) => {
        const order = { unitStrengths: scaled.map((t) => t / 1000), allowHalfTablets: halves };
        const quantum = Math.min(...scaled) / (halves ? 2 : 1);
        expect(() => checkAchievableDose({ dose: (k * quantum) / 1000, unit: 'mg' }, order)).not.toThrow();
        const off = k * quantum + Math.max(1, Math.floor(part * quantum));
        if (off % quantum !== 0) expect(ruleErrorOf(() => checkAchievableDose({ dose: off / 1000, unit: 'mg' }, order))).toMatchObject({ code: 'DOSE_NOT_ACHIEVABLE' });
      }),
      { numRuns: 300 },
    );
  });
});

describe('patchWearHours', () => {
  it('a fentanyl patch is worn 72 hours, a buprenorphine patch 7 days; tablets are not patches', () => {
    expect(patchWearHours({ drug: 'fentanyl', formulation: 'TRANSDERMAL' })).toBe(72);
    expect(patchWearHours({ drug: 'buprenorphine', formulation: 'TRANSDERMAL' })).toBe(168);
    expect(patchWearHours({ drug: 'oxycodone', formulation: 'ER' })).toBeNull();
    expect(patchWearHours({ drug: 'buprenorphine', formulation: 'IR' })).toBeNull();
  });
});

describe('checkPatchDose', () => {
  const patch = (dose: number, outcome: AdministrationOutcome = 'GIVEN') => ({ outcome, dose, date: '2027-01-11', unit: 'mcg/h' });
  const applied = (iso: string, dose = 25) => ({ givenAt: new Date(iso), dose });
  it('patches on together add up to the day’s scheduled mcg/h at most; one not yet on counts for nothing', () => {
    expect(() => checkPatchDose(patch(25), 25, [], 72)).not.toThrow();
    expect(() => checkPatchDose(patch(12.5), 37.5, [applied('2027-01-11T01:00:00Z')], 72)).not.toThrow();
    const again = ruleErrorOf(() => checkPatchDose(patch(25), 25, [applied('2027-01-10T01:00:00Z')], 72));
    expect(again).toMatchObject({ code: 'ABOVE_SCHEDULED_DOSE', field: 'dose' });
    expect(again.message).toBe('2027-01-11: 25 mcg/h is ordered and 25 mcg/h would still be on (25 mcg/h applied 2027-01-10T01:00:00.000Z; a patch is worn 72 hours); at most 0 mcg/h more.');
    expect(ruleErrorOf(() => checkPatchDose(patch(25.001), 25, [], 72))).toMatchObject({ code: 'ABOVE_SCHEDULED_DOSE' });
  });
  it('a patch held or refused is checked as a taper dose; a day not in force is refused', () => {
    expect(() => checkPatchDose(patch(25, 'HELD'), 25, [applied('2027-01-10T01:00:00Z')], 72)).not.toThrow();
    expect(ruleErrorOf(() => checkPatchDose(patch(25), null, [applied('2027-01-10T01:00:00Z')], 72))).toMatchObject({ code: 'ORDER_NOT_IN_FORCE' });
  });
});

describe('checkAsNeededDose', () => {
  const at = (iso: string) => new Date(iso);
  const order = { dose: 0.1, minIntervalHours: 6, maxDosesPerDay: 3, cowsThreshold: null };
  const entry = (givenAt: string, dose = 0.1) => ({ outcome: 'GIVEN' as const, dose, givenAt: at(givenAt), unit: 'mg' });
  const history = (givenAt: string[], givenThatDay = givenAt.length, cowsScores: { recordedAt: Date; score: number }[] = []) => ({ givenAt: givenAt.map(at), givenThatDay, cowsScores });

  it('one minute before the interval is too soon; at the interval it is fine (before or after the other dose)', () => {
    expect(ruleErrorOf(() => checkAsNeededDose(entry('2027-01-11T07:59:00Z'), order, history(['2027-01-11T02:00:00Z'])))).toMatchObject({
      code: 'PRN_TOO_SOON',
      field: 'givenAt',
      message: 'A dose was given at 2027-01-11T02:00:00.000Z; at least 6 hours apart (not before 2027-01-11T08:00:00.000Z).',
    });
    expect(() => checkAsNeededDose(entry('2027-01-11T08:00:00Z'), order, history(['2027-01-11T02:00:00Z']))).not.toThrow();
    // Entered after the fact, before the other dose: it had to be earlier still.
    expect(ruleErrorOf(() => checkAsNeededDose(entry('2027-01-10T20:01:00Z'), order, history(['2027-01-11T02:00:00Z'], 0)))).toMatchObject({
      code: 'PRN_TOO_SOON',
      message: 'A dose was given at 2027-01-11T02:00:00.000Z; at least 6 hours apart (not after 2027-01-10T20:00:00.000Z).',
    });
    expect(() => checkAsNeededDose(entry('2027-01-10T20:00:00Z'), order, history(['2027-01-11T02:00:00Z'], 0))).not.toThrow();
  });
  it('the drug carried in another medicine (a combination opioid\'s paracetamol) keeps the interval too, and is named', () => {
    const carried = (givenAt: string) => ({ ...history([], 0), carriedIn: [{ givenAt: at(givenAt), source: 'hydrocodone IR 5 mg' }] });
    expect(ruleErrorOf(() => checkAsNeededDose(entry('2027-01-11T07:59:00Z'), order, carried('2027-01-11T02:00:00Z')))).toMatchObject({
      code: 'PRN_TOO_SOON',
      message: 'A dose of hydrocodone IR 5 mg, which carries the drug, was given at 2027-01-11T02:00:00.000Z; at least 6 hours apart (not before 2027-01-11T08:00:00.000Z).',
    });
    expect(() => checkAsNeededDose(entry('2027-01-11T08:00:00Z'), order, carried('2027-01-11T02:00:00Z'))).not.toThrow();
    // Not an as-needed dose of the drug: it does not count toward the doses a day.
    expect(() => checkAsNeededDose(entry('2027-01-11T08:00:00Z'), { ...order, maxDosesPerDay: 1 }, carried('2027-01-11T02:00:00Z'))).not.toThrow();
  });
  it('the daily maximum: the third dose fits, a fourth does not', () => {
    expect(() => checkAsNeededDose(entry('2027-01-11T14:00:00Z'), order, history(['2027-01-11T02:00:00Z', '2027-01-11T08:00:00Z']))).not.toThrow();
    expect(ruleErrorOf(() => checkAsNeededDose(entry('2027-01-11T20:00:00Z'), order, history(['2027-01-11T02:00:00Z', '2027-01-11T08:00:00Z', '2027-01-11T14:00:00Z'])))).toMatchObject({ code: 'PRN_DAILY_MAX' });
  });
  it('a COWS threshold: a score at it within two hours indicates the dose; just below, or too old, does not', () => {
    const withdrawal = { ...order, cowsThreshold: 8 };
    const score = (recordedAt: string, value: number) => [{ recordedAt: at(recordedAt), score: value }];
    expect(() => checkAsNeededDose(entry('2027-01-11T10:00:00Z'), withdrawal, history([], 0, score('2027-01-11T08:00:00Z', 8)))).not.toThrow();
    expect(ruleErrorOf(() => checkAsNeededDose(entry('2027-01-11T10:00:00Z'), withdrawal, history([], 0, score('2027-01-11T09:00:00Z', 7))))).toMatchObject({ code: 'PRN_NOT_INDICATED' });
    expect(ruleErrorOf(() => checkAsNeededDose(entry('2027-01-11T10:00:00Z'), withdrawal, history([], 0, score('2027-01-11T07:59:00Z', 12))))).toMatchObject({ code: 'PRN_NOT_INDICATED' });
  });
  it('the latest score of the window decides: a 15 then a 0 does not indicate the dose; a 5 then an 8 does', () => {
    const withdrawal = { ...order, cowsThreshold: 8 };
    const scores = (...pairs: [string, number][]) => pairs.map(([recordedAt, score]) => ({ recordedAt: at(recordedAt), score }));
    const settled = ruleErrorOf(() => checkAsNeededDose(entry('2027-01-11T10:00:00Z'), withdrawal, history([], 0, scores(['2027-01-11T08:30:00Z', 15], ['2027-01-11T09:55:00Z', 0]))));
    expect(settled).toMatchObject({ code: 'PRN_NOT_INDICATED', field: 'givenAt' });
    expect(settled?.message).toContain('the latest score in the 2 hours before, 0 at 2027-01-11T09:55:00.000Z, is below it');
    expect(() => checkAsNeededDose(entry('2027-01-11T10:00:00Z'), withdrawal, history([], 0, scores(['2027-01-11T09:55:00Z', 8], ['2027-01-11T08:30:00Z', 5])))).not.toThrow();
    // A score recorded after the dose does not count.
    expect(() => checkAsNeededDose(entry('2027-01-11T10:00:00Z'), withdrawal, history([], 0, scores(['2027-01-11T09:00:00Z', 9], ['2027-01-11T10:01:00Z', 0])))).not.toThrow();
  });
  it('more than the ordered dose is refused; a refused dose is recorded whatever the history', () => {
    expect(ruleErrorOf(() => checkAsNeededDose(entry('2027-01-11T10:00:00Z', 0.2), order, history([])))).toMatchObject({ code: 'ABOVE_SCHEDULED_DOSE' });
    expect(() => checkAsNeededDose({ ...entry('2027-01-11T02:01:00Z'), outcome: 'REFUSED' }, order, history(['2027-01-11T02:00:00Z']))).not.toThrow();
  });
});
