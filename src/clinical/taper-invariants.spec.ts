import { describe, expect, it } from '@jest/globals';
import { checkTaperInvariants, DEFAULT_TAPER_RULES, generateTaper, type TaperStep } from './taper.js';
import { API_EXAMPLE_ORDER } from '../../test/support/taper-example.js';

const oxycodone = API_EXAMPLE_ORDER;
const good = generateTaper(oxycodone).steps;

/** The worked example with one step changed; the checker must notice. */
const withStep = (index: number, change: Partial<TaperStep>): TaperStep[] => good.map((s, i) => (i === index ? { ...s, ...change } : s));

describe('checkTaperInvariants', () => {
  it('passes the worked example', () => {
    expect(checkTaperInvariants(good, oxycodone)).toEqual([]);
  });

  it.each([
    ['no steps', [], 'no steps'],
    ['a first step on another day', withStep(0, { startsOn: '2027-01-05' }), 'not on the start date'],
    ['a first step at another dose', withStep(0, { dailyDose: 57.5, dailyMme: 86.25, percentOfStart: 95.83 }), 'not the starting dose'],
    ['a step numbered twice', withStep(3, { step: 3 }), 'numbered 3'],
    ['a dose that repeats', withStep(2, { dailyDose: 55, dailyMme: 82.5, reductionPercent: 0, percentOfStart: 91.67 }), 'does not fall'],
    ['a dose off the quantum', withStep(2, { dailyDose: 51, dailyMme: 76.5, reductionPercent: 7.27, percentOfStart: 85 }), 'whole multiple of 2.5'],
    ['steps 6 days apart', withStep(1, { startsOn: '2027-01-10' }), 'less than 7'],
    ['a stretched step not stretched', withStep(10, { startsOn: '2027-03-15' }), 'faster than 10% per week'],
    ['a last step that is not the target', good.slice(0, -1), 'not the target 0'],
    ['a wrong MME', withStep(4, { dailyMme: 40 }), 'dailyMme 40 is not 60'],
    ['a wrong reduction', withStep(4, { reductionPercent: 10 }), 'reductionPercent 10'],
    ['a wrong percent of start', withStep(4, { percentOfStart: 66 }), 'percentOfStart 66'],
  ] as [string, TaperStep[], string][])('reports %s', (_, steps, words) => {
    expect(checkTaperInvariants(steps, oxycodone).join(' ')).toContain(words);
  });

  it('exempts the final stop from the rate, but not from the abrupt-stop rule', () => {
    const urgent = { ...oxycodone, reductionPercent: 50, intervalDays: 35, lifeThreateningReason: 'Respiratory depression' };
    const steps = generateTaper(urgent).steps; // 60, 30, 0: the stop cuts 30 mg of 30 in 35 days
    expect(checkTaperInvariants(steps, urgent)).toEqual([]);
    expect(checkTaperInvariants(steps, { ...urgent, lifeThreateningReason: null }).join(' ')).toContain('without a life-threatening reason');
  });

  it('skips the rate check for an order with an override reason, but not the spacing', () => {
    const fast = { ...oxycodone, reductionPercent: 20, overrideReason: 'Reviewed' };
    const steps = generateTaper(fast).steps;
    expect(checkTaperInvariants(steps, fast)).toEqual([]);
    expect(checkTaperInvariants(steps, { ...fast, overrideReason: null }).join(' ')).toContain('faster than 10% per week');
  });

  it('reports a cut of more than 25% unless a reason is given; a one-quantum cut is exempt', () => {
    const halving = { ...oxycodone, basis: 'CURRENT' as const, reductionPercent: 50, intervalDays: 35, lifeThreateningReason: 'Respiratory depression' };
    const steps = generateTaper(halving).steps; // 60, 30, 15, 7.5, 5, 2.5, 0
    expect(checkTaperInvariants(steps, halving)).toEqual([]);
    const problems = checkTaperInvariants(steps, { ...halving, lifeThreateningReason: null });
    expect(problems.filter((p) => p.includes('more than 25%'))).toEqual([
      'Step 2 cuts more than 25% of the previous dose at once.',
      'Step 3 cuts more than 25% of the previous dose at once.',
      'Step 4 cuts more than 25% of the previous dose at once.',
    ]);
    expect(checkTaperInvariants(steps, { ...halving, lifeThreateningReason: null, overrideReason: 'Reviewed' }).join(' ')).not.toContain('more than 25%');
  });

  it('expects dailyMme null for buprenorphine, a number otherwise', () => {
    const bup = { ...oxycodone, drug: 'buprenorphine', startDailyDose: 8, unitStrengths: [2], allowHalfTablets: true };
    const steps = good.slice(0, 1).map((s) => ({ ...s, dailyDose: 8, dailyMme: null, percentOfStart: 100 }));
    expect(checkTaperInvariants([...steps, { step: 2, startsOn: '2027-01-11', dailyDose: 0, dailyMme: null, reductionPercent: 100, percentOfStart: 0 }], { ...bup, lifeThreateningReason: 'x' })).toEqual([]);
    expect(checkTaperInvariants(withStep(4, { dailyMme: null as unknown as number }), oxycodone).join(' ')).toContain('dailyMme null is not 60');
  });

  it('with fromStep, checks spacing and rates of the new part only', () => {
    const slower = { ...oxycodone, intervalDays: 14 };
    expect(checkTaperInvariants(good, slower).join(' ')).toContain('less than 14');
    // Steps 12–15 are 14–35 days apart; 11 (12 days) is out of scope, the stop (7 days) is not.
    expect(checkTaperInvariants(good, slower, DEFAULT_TAPER_RULES, { fromStep: 12 })).toEqual([
      'Step 16 comes 7 days after the previous one, less than 14.',
    ]);
  });
});
