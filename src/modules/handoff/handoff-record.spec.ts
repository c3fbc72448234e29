import { describe, expect, it } from '@jest/globals';
import type { TaperAdministration } from '../administrations/index.js';
import { lastGivenOf, lastOpioidDoseOf, takenOfTaper } from './handoff-record.js';
import type { HandoffTaper } from './handoff-summary.js';

const STAY = { admittedOn: '2026-11-24', dischargedOn: '2026-12-08', timeZone: 'Asia/Bangkok' };

/** An entry at a Bangkok (+07:00) time. */
function entry(drug: string, formulation: string, dose: number, at: string, outcome: TaperAdministration['outcome'] = 'GIVEN'): TaperAdministration {
  const givenAt = new Date(`${at}+07:00`);
  return { orderId: `${drug}-${formulation}`, drug, formulation, dose, unit: formulation === 'TRANSDERMAL' ? 'mcg/h' : 'mg', givenAt, givenOn: at.slice(0, 10), outcome };
}

describe('takenOfTaper: the discharge day', () => {
  // Stay D of the review: hydromorphone 16 mg a day, 15 from 12-01, 14 from 12-08 (the discharge day), 13 from 12-15.
  const schedule = [
    { step: 1, startsOn: '2026-11-24', dailyDose: 16, dailyMme: 80 },
    { step: 2, startsOn: '2026-12-01', dailyDose: 15, dailyMme: 75 },
    { step: 3, startsOn: '2026-12-08', dailyDose: 14, dailyMme: 70 },
    { step: 4, startsOn: '2026-12-15', dailyDose: 13, dailyMme: 65 },
  ];
  const days = (from: string, to: string, dose: number): TaperAdministration[] => {
    const out: TaperAdministration[] = [];
    for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) {
      const date = d.toISOString().slice(0, 10);
      out.push(entry('hydromorphone', 'IR', dose / 2, `${date}T08:00:00`), entry('hydromorphone', 'IR', dose / 2, `${date}T20:00:00`));
    }
    return out;
  };
  const record = [...days('2026-11-24', '2026-11-30', 16), ...days('2026-12-01', '2026-12-07', 15)];

  it('left before the first dose of a step due that day: the step before is the last reached, the new one is still due, the day is not counted', () => {
    const taken = takenOfTaper(schedule, record, STAY, null);
    expect(taken.stepsTaken.map((s) => s.step)).toEqual([1, 2]);
    expect(taken.remainingSteps.map((s) => s.step)).toEqual([3, 4]);
    expect(taken).toMatchObject({ scheduledDays: 14, daysGiven: 14, daysNotRecorded: [], adherence: 'Given on 14 of 14 scheduled days.' });
  });

  it('left after the morning dose of the new step: the step is reached, the day given in part', () => {
    const taken = takenOfTaper(schedule, [...record, entry('hydromorphone', 'IR', 7, '2026-12-08T08:00:00')], STAY, null);
    expect(taken.stepsTaken.map((s) => s.step)).toEqual([1, 2, 3]);
    expect(taken.dosesGiven.at(-1)).toEqual({ dailyDose: 7, firstDay: '2026-12-08', lastDay: '2026-12-08', days: 1, partial: true });
    expect(taken.adherence).toBe("Given on 15 of 15 scheduled days; only in part on the discharge day (2026-12-08), before the patient left.");
  });

  it('a patch still worn on a step day, with no new patch applied, does not reach the step', () => {
    const patchSchedule = [
      { step: 1, startsOn: '2026-11-26', dailyDose: 50, dailyMme: 120 },
      { step: 2, startsOn: '2026-12-08', dailyDose: 37.5, dailyMme: 90 },
    ];
    // Applied 12-05 at 12:30, worn to 12-08 12:30: on the whole of 12-07, not at the end of 12-08.
    const patches = ['2026-11-26', '2026-11-29', '2026-12-02', '2026-12-05'].map((d) => entry('fentanyl', 'TRANSDERMAL', 50, `${d}T12:30:00`));
    const taken = takenOfTaper(patchSchedule, patches, { ...STAY, admittedOn: '2026-11-26' }, 72);
    expect(taken.stepsTaken.map((s) => s.step)).toEqual([1]);
    expect(taken.remainingSteps.map((s) => s.step)).toEqual([2]);
    // 11-26 to 12-07 worn; the discharge day, with no patch on at its end and none applied, is not counted.
    expect(taken).toMatchObject({ scheduledDays: 12, daysGiven: 12, daysNotRecorded: [], adherence: 'Given on 12 of 12 scheduled days.' });
  });
});

describe('lastOpioidDoseOf', () => {
  const taper = (orderId: string, steps: [string, number][]): Pick<HandoffTaper, 'orderId' | 'stepsTaken' | 'remainingSteps'> => ({
    orderId,
    stepsTaken: steps.slice(0, 1).map(([startsOn, dailyDose], i) => ({ step: i + 1, startsOn, dailyDose, dailyMme: null })),
    remainingSteps: steps.slice(1).map(([startsOn, dailyDose], i) => ({ step: i + 2, startsOn, dailyDose, dailyMme: null })),
  });

  it('a patch (stay B of the review): on until 72 hours after it was applied; the next one, of the new step’s strength, due then', () => {
    const patches = [entry('fentanyl', 'TRANSDERMAL', 50, '2026-12-02T12:30:00'), entry('fentanyl', 'TRANSDERMAL', 50, '2026-12-05T12:30:00')];
    const tapers = [taper('fentanyl-TRANSDERMAL', [['2026-11-19', 50], ['2026-12-08', 37.5]])] as HandoffTaper[];
    expect(lastOpioidDoseOf(patches, tapers, 'Asia/Bangkok')).toEqual({
      drug: 'fentanyl',
      formulation: 'TRANSDERMAL',
      dose: 50,
      unit: 'mcg/h',
      givenAt: '2026-12-05T05:30:00.000Z',
      onUntil: '2026-12-08T05:30:00.000Z',
      nextPatch: { dueAt: '2026-12-08T05:30:00.000Z', dose: 37.5 },
      alsoGivenThen: [],
    });
  });

  it('a patch coming off after the taper stops: no new patch (dose 0); a dose by mouth has neither', () => {
    const tapers = [taper('fentanyl-TRANSDERMAL', [['2026-11-19', 12.5], ['2026-12-07', 0]])] as HandoffTaper[];
    expect(lastOpioidDoseOf([entry('fentanyl', 'TRANSDERMAL', 12.5, '2026-12-04T12:30:00')], tapers, 'Asia/Bangkok')).toMatchObject({ onUntil: '2026-12-07T05:30:00.000Z', nextPatch: { dose: 0 } });
    expect(lastOpioidDoseOf([entry('oxycodone', 'ER', 20, '2026-12-08T06:00:00')], [], 'Asia/Bangkok')).toMatchObject({ onUntil: null, nextPatch: null });
  });

  describe('two opioids given at the same instant (stay D1 of the review: tramadol 150 mg and oxycodone IR 35 mg at 08:00)', () => {
    const morning = [entry('oxycodone', 'IR', 35, '2026-10-19T08:00:00'), entry('tramadol', 'IR', 150, '2026-10-19T08:00:00')];

    it('names both: the one recorded last leads, the other is beside it in alsoGivenThen', () => {
      const record = [...morning, entry('oxycodone', 'IR', 35, '2026-10-20T08:00:00'), entry('tramadol', 'IR', 150, '2026-10-20T08:00:00')];
      expect(lastOpioidDoseOf(record, [], 'Asia/Bangkok')).toEqual({
        drug: 'tramadol', formulation: 'IR', dose: 150, unit: 'mg', givenAt: '2026-10-20T01:00:00.000Z', onUntil: null, nextPatch: null,
        alsoGivenThen: [{ drug: 'oxycodone', formulation: 'IR', dose: 35, unit: 'mg', givenAt: '2026-10-20T01:00:00.000Z', onUntil: null, nextPatch: null }],
      });
    });

    it('a minute apart is not the same instant; a dose held or refused then is not given', () => {
      const apart = [entry('tramadol', 'IR', 150, '2026-10-20T08:00:00'), entry('oxycodone', 'IR', 35, '2026-10-20T08:01:00')];
      expect(lastOpioidDoseOf(apart, [], 'Asia/Bangkok')).toMatchObject({ drug: 'oxycodone', alsoGivenThen: [] });
      const held = [entry('tramadol', 'IR', 150, '2026-10-20T08:00:00', 'HELD'), entry('oxycodone', 'IR', 35, '2026-10-20T08:00:00')];
      expect(lastOpioidDoseOf(held, [], 'Asia/Bangkok')).toMatchObject({ drug: 'oxycodone', alsoGivenThen: [] });
    });

    it('two entries of one order at that instant are one dose, their total (10 mg and 5 mg tablets entered apart)', () => {
      const split = [entry('oxycodone', 'IR', 10, '2026-10-20T08:00:00'), entry('tramadol', 'IR', 150, '2026-10-20T08:00:00'), entry('oxycodone', 'IR', 5, '2026-10-20T08:00:00')];
      expect(lastOpioidDoseOf(split, [], 'Asia/Bangkok')).toMatchObject({ drug: 'oxycodone', dose: 15, alsoGivenThen: [{ drug: 'tramadol', dose: 150 }] });
      // The taper's own last dose says the same 15 mg, never the one entry recorded last.
      expect(lastGivenOf(split.filter((e) => e.drug === 'oxycodone'), null)).toMatchObject({ dose: 15 });
    });
  });
});
