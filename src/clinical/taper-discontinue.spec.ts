import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ClinicalRuleError } from './clinical-error.js';
import { checkReplacedNotLeftStopped, checkReplacedStopKept, checkRotationStartsByReplacedStop, discontinueTaper } from './taper-discontinue.js';
import { addDays, generateTaper, scheduledDoseOn } from './taper.js';
import { taperOrderArb } from '../../test/support/taper-arbitraries.js';
import { API_EXAMPLE_ORDER, WORKED_EXAMPLE_STEPS } from '../../test/support/taper-example.js';

const example = { unitStrengths: API_EXAMPLE_ORDER.unitStrengths, steps: WORKED_EXAMPLE_STEPS, pauses: [] };

describe('discontinueTaper (domain.md §7)', () => {
  it('keeps the steps started before the stop and ends with 0 that day', () => {
    const stopped = discontinueTaper(example, { effectiveFrom: '2027-01-13', lifeThreateningReason: 'Respiratory depression' });
    expect(stopped.steps.map((s) => [s.step, s.startsOn, s.dailyDose, s.dailyMme, s.reductionPercent, s.percentOfStart])).toEqual([
      [1, '2027-01-04', 60, 90, 0, 100],
      [2, '2027-01-11', 55, 82.5, 8.33, 91.67],
      [3, '2027-01-13', 0, 0, 100, 0],
    ]);
    expect(stopped.warnings.map((w) => w.code)).toEqual(['ABRUPT_DISCONTINUATION']);
  });

  it('refuses an abrupt stop without a reason, unless a rotation replaces the product by that day', () => {
    expect(() => discontinueTaper(example, { effectiveFrom: '2027-01-13' })).toThrow(expect.objectContaining({ code: 'ABRUPT_DISCONTINUATION', field: 'effectiveFrom' }));
    expect(() => discontinueTaper(example, { effectiveFrom: '2027-01-13', replacedFrom: '2027-01-14' })).toThrow(ClinicalRuleError);
    expect(discontinueTaper(example, { effectiveFrom: '2027-01-13', replacedFrom: '2027-01-13' }).warnings).toEqual([]);
  });

  it('stops at the smallest strength a day without a reason; before the first step it is not abrupt', () => {
    const low = { unitStrengths: [5], steps: [{ step: 1, startsOn: '2027-01-04', dailyDose: 5, dailyMme: 7.5, reductionPercent: 0, percentOfStart: 100 }], pauses: [] };
    expect(discontinueTaper(low, { effectiveFrom: '2027-01-05' }).steps.at(-1)).toMatchObject({ startsOn: '2027-01-05', dailyDose: 0 });
    expect(discontinueTaper(example, { effectiveFrom: '2027-01-02' }).steps).toEqual([{ step: 1, startsOn: '2027-01-02', dailyDose: 0, dailyMme: 0, reductionPercent: 0, percentOfStart: 0 }]);
  });

  it('before the first step nothing the clinic gave is taken away: not refused, but the product left unordered is named (STOPPED_BEFORE_FIRST_DOSE) above the smallest strength', () => {
    const taken = (dailyDose: number, replaced = false) => [{ name: 'oxycodone IR (intake)', dailyDose, unitStrengths: [5, 10], replaced }];
    const codes = (stopped: { warnings: { code: string }[] }) => stopped.warnings.map((w) => w.code);
    const warned = discontinueTaper(example, { effectiveFrom: '2027-01-04', takenAway: taken(7.5) });
    expect(codes(warned)).toEqual(['STOPPED_BEFORE_FIRST_DOSE']);
    expect(warned.warnings[0].message).toBe(
      'Stopped before its first dose: oxycodone IR (intake), 7.5 a day, is not ordered from 2027-01-04 on, so none of it will be given; order it again, or sign its rotation, if the patient is to go on taking it.',
    );
    expect(discontinueTaper(example, { effectiveFrom: '2027-01-04', takenAway: taken(5) }).warnings).toEqual([]);
    expect(discontinueTaper(example, { effectiveFrom: '2027-01-02', takenAway: taken(60, true) }).warnings).toEqual([]);
    expect(discontinueTaper(example, { effectiveFrom: '2027-01-02', takenAway: taken(60), lifeThreateningReason: 'Anaphylaxis' }).warnings[0].message).toContain('for the recorded life-threatening reason');
  });

  it('a step that started today is never dropped: a stop from today on that step’s day → STEP_ALREADY_STARTED; from tomorrow it stops from that step', () => {
    expect(() => discontinueTaper(example, { effectiveFrom: '2027-01-11', today: '2027-01-11', lifeThreateningReason: 'Sepsis' }))
      .toThrow(expect.objectContaining({ code: 'STEP_ALREADY_STARTED', field: 'effectiveFrom', message: expect.stringContaining('stop from 2027-01-12 at the earliest') }));
    expect(discontinueTaper(example, { effectiveFrom: '2027-01-12', today: '2027-01-11', lifeThreateningReason: 'Sepsis' }).steps.at(-2)).toMatchObject({ startsOn: '2027-01-11', dailyDose: 55 });
    // A step starting on the stop day but after today has not started: the stop replaces it.
    expect(discontinueTaper(example, { effectiveFrom: '2027-01-11', today: '2027-01-10', lifeThreateningReason: 'Sepsis' }).steps.at(-1)).toMatchObject({ startsOn: '2027-01-11', dailyDose: 0 });
  });

  it('an amendment of an order a rotation replaces keeps the stop the rotation put on it → else REPLACED_BY_ROTATION', () => {
    const rotation = { name: 'morphine IR', firstDoseOn: '2027-01-18' };
    const before = [{ startsOn: '2027-01-08', dailyDose: 40 }, { startsOn: '2027-01-18', dailyDose: 0 }];
    const check = (after: { startsOn: string; dailyDose: number }[]) => () => checkReplacedStopKept('oxycodone IR', rotation, { before, after }, 'pauseDays');
    expect(check([{ startsOn: '2027-01-08', dailyDose: 40 }, { startsOn: '2027-01-15', dailyDose: 37.5 }, { startsOn: '2027-01-18', dailyDose: 0 }])).not.toThrow();
    expect(check([{ startsOn: '2027-01-08', dailyDose: 40 }, { startsOn: '2027-01-19', dailyDose: 0 }])).toThrow(expect.objectContaining({ code: 'REPLACED_BY_ROTATION', field: 'pauseDays', message: expect.stringMatching(/move the stop to 2027-01-19, so both would be given meanwhile\. Amend or stop the rotation first\.$/) }));
    expect(check([{ startsOn: '2027-01-08', dailyDose: 40 }, { startsOn: '2027-01-17', dailyDose: 0 }])).toThrow(/move the stop to 2027-01-17, leaving days with neither/);
    expect(check([{ startsOn: '2027-01-08', dailyDose: 40 }, { startsOn: '2027-01-17', dailyDose: 37.5 }])).toThrow(/drop that stop, so both would be given/);
  });

  it('ends a pause in force on the stop day and drops later ones; a taper already stopped → TAPER_ALREADY_STOPPED', () => {
    const paused = { ...example, pauses: [{ from: '2027-01-12', days: 7, reason: 'COWS 14' }, { from: '2027-02-01', days: 3, reason: 'Flu' }] };
    expect(discontinueTaper(paused, { effectiveFrom: '2027-01-15', lifeThreateningReason: 'Sepsis' }).pauses).toEqual([{ from: '2027-01-12', days: 3, reason: 'COWS 14' }]);
    const last = WORKED_EXAMPLE_STEPS.at(-1)!;
    expect(() => discontinueTaper(example, { effectiveFrom: last.startsOn })).toThrow(expect.objectContaining({ code: 'TAPER_ALREADY_STOPPED' }));
    expect(() => discontinueTaper(example, { effectiveFrom: addDays(last.startsOn, 9) })).toThrow(expect.objectContaining({ code: 'TAPER_ALREADY_STOPPED' }));
  });

  it('a rotation stopped before its first dose may not leave the product it replaced stopped from more than the smallest strength', () => {
    const rotation = { startDate: '2027-01-10', name: 'morphine IR' };
    const replaced = (before: number) => ({ name: 'oxycodone IR', unitStrengths: [5, 10], steps: [{ startsOn: '2027-01-04', dailyDose: before }, { startsOn: '2027-01-10', dailyDose: 0 }] });
    expect(() => checkReplacedNotLeftStopped({ effectiveFrom: '2027-01-10' }, rotation, replaced(7.5))).toThrow(expect.objectContaining({ code: 'ABRUPT_DISCONTINUATION', field: 'effectiveFrom' }));
    expect(() => checkReplacedNotLeftStopped({ effectiveFrom: '2027-01-10' }, rotation, replaced(5))).not.toThrow();
    expect(() => checkReplacedNotLeftStopped({ effectiveFrom: '2027-01-11' }, rotation, replaced(60))).not.toThrow();
    expect(() => checkReplacedNotLeftStopped({ effectiveFrom: '2027-01-09', lifeThreateningReason: 'Anaphylaxis' }, rotation, replaced(60))).not.toThrow();
    expect(() => checkReplacedNotLeftStopped({ effectiveFrom: '2027-01-09' }, rotation, null)).not.toThrow();
  });

  it('a rotation whose start an amendment moves may not start after the day the replaced order stops for it, unless that stop is from the smallest strength', () => {
    const replaced = (before: number) => ({ name: 'oxycodone IR', unitStrengths: [5, 10], steps: [{ startsOn: '2027-01-04', dailyDose: before }, { startsOn: '2027-01-11', dailyDose: 0 }] });
    const starting = (firstDoseOn: string) => ({ firstDoseOn, name: 'morphine IR' });
    expect(() => checkRotationStartsByReplacedStop(starting('2027-01-12'), replaced(60), 'pauseDays')).toThrow(expect.objectContaining({ code: 'ABRUPT_DISCONTINUATION', field: 'pauseDays' }));
    expect(() => checkRotationStartsByReplacedStop(starting('2027-01-11'), replaced(60), 'pauseDays')).not.toThrow();
    expect(() => checkRotationStartsByReplacedStop(starting('2027-01-12'), replaced(5), 'pauseDays')).not.toThrow();
    expect(() => checkRotationStartsByReplacedStop(starting('2027-01-12'), null, 'pauseDays')).not.toThrow();
    // The replaced order goes on (no stop step): nothing is left without a dose.
    const goingOn = { ...replaced(60), steps: [{ startsOn: '2027-01-04', dailyDose: 60 }, { startsOn: '2027-01-11', dailyDose: 55 }] };
    expect(() => checkRotationStartsByReplacedStop(starting('2027-01-20'), goingOn, 'pauseDays')).not.toThrow();
  });

  it('property: the days before the stop are as ordered, the stop day gives 0, and nothing is given after it', () => {
    fc.assert(
      fc.property(taperOrderArb, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (params, share) => {
        const schedule = generateTaper({ ...params, lifeThreateningReason: 'x' });
        const first = schedule.steps[0]!.startsOn;
        const span = Math.max(1, schedule.steps.length * 7);
        const stopDay = addDays(first, Math.floor(share * span));
        const version = { unitStrengths: params.unitStrengths, steps: schedule.steps, pauses: [] };
        let stopped;
        try {
          stopped = discontinueTaper(version, { effectiveFrom: stopDay, lifeThreateningReason: 'x' });
        } catch (error) {
          expect((error as ClinicalRuleError).code).toBe('TAPER_ALREADY_STOPPED');
          return;
        }
        for (let day = first; day < stopDay; day = addDays(day, 1)) expect(scheduledDoseOn(stopped, day)).toEqual(scheduledDoseOn(version, day));
        expect(scheduledDoseOn(stopped, stopDay)?.dailyDose).toBe(0);
        expect(scheduledDoseOn(stopped, addDays(stopDay, 1))).toBeNull();
        expect(stopped.steps.every((s, i) => i === 0 || s.dailyDose < stopped.steps[i - 1]!.dailyDose)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
