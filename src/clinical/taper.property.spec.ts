import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { addDays, amendTaper, checkTaperInvariants, daysBetween, generateTaper, quantumOf, type TaperStep } from './taper.js';
import { taperOrderArb } from '../../test/support/taper-arbitraries.js';

const RUNS = { numRuns: 400 };

const orderArb = taperOrderArb;

/** An order, its schedule, and a "today" and effectiveFrom with at least the last step still to come. */
const amendingArb = orderArb.chain((params) => {
  const { steps } = generateTaper(params);
  const span = daysBetween(params.startDate, steps[steps.length - 1].startsOn);
  return fc
    .record({ today: fc.integer({ min: -10, max: span - 1 }), wait: fc.nat({ max: span + 10 }) })
    .map(({ today, wait }) => ({
      params,
      steps,
      today: addDays(params.startDate, today),
      effectiveFrom: addDays(params.startDate, today + Math.min(wait, span - today)),
    }));
});

/**
 * Rule 9, from the strings (YYYY-MM-DD sorts as dates); a pause from the first step's own day
 * keeps that step (its dose is held from the signed start).
 */
const keptBy = (steps: TaperStep[], effectiveFrom: string, today: string, pauseDays = 0): number => {
  const kept = steps.filter((s) => s.startsOn < effectiveFrom || s.startsOn <= today).length;
  return kept === 0 && pauseDays > 0 && steps.length > 1 && steps[0].startsOn === effectiveFrom ? 1 : kept;
};

describe('taper properties', () => {
  it('every generated schedule meets every invariant of domain.md §7', () => {
    fc.assert(
      fc.property(orderArb, (params) => {
        const schedule = generateTaper(params);
        expect(checkTaperInvariants(schedule.steps, params)).toEqual([]);
        expect(schedule.endsOn).toBe(schedule.steps[schedule.steps.length - 1].startsOn);
        expect(schedule.requestedWeeklyRatePercent).toBeLessThanOrEqual(10);
        expect(schedule.warnings.map((w) => w.code)).not.toContain('FASTER_THAN_GUIDANCE');
        // At most 10% per step, the CDC pattern included, is never a large single cut (rule 7c).
        expect(schedule.warnings.map((w) => w.code)).not.toContain('LARGE_SINGLE_CUT');
      }),
      RUNS,
    );
  });

  it('the guideline schedules meet no new refusal: the CDC pattern (10% of the start a week, START) and CURRENT within guidance, any strengths', () => {
    const guidelineArb = fc.record({ order: orderArb, cdc: fc.boolean() }).map(({ order, cdc }) =>
      cdc ? { ...order, basis: 'START' as const, reductionPercent: 10, intervalDays: 7 } : { ...order, basis: 'CURRENT' as const },
    );
    fc.assert(
      fc.property(guidelineArb, (params) => {
        const schedule = generateTaper(params); // throws on any refusal
        expect(checkTaperInvariants(schedule.steps, params)).toEqual([]);
        const refusable = ['FASTER_THAN_GUIDANCE', 'LARGE_SINGLE_CUT', 'ABRUPT_DISCONTINUATION'];
        expect(schedule.warnings.filter((w) => refusable.includes(w.code))).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('LARGE_SINGLE_CUT exactly when a step above zero cuts more than 25% of the previous dose and more than one quantum: refused without a reason, a warning with one', () => {
    const fastArb = fc.record({ order: orderArb, percent: fc.integer({ min: 1000, max: 9000 }), interval: fc.integer({ min: 7, max: 365 }) });
    fc.assert(
      fc.property(fastArb, ({ order, percent, interval }) => {
        const unreasoned = { ...order, reductionPercent: percent / 100, intervalDays: interval };
        const params = { ...unreasoned, overrideReason: 'Reviewed', lifeThreateningReason: 'Reviewed' };
        const { steps, warnings } = generateTaper(params);
        const quantum = quantumOf(params);
        const large = steps.slice(1).filter((s, i) => {
          const cut = steps[i].dailyDose - s.dailyDose;
          return s.dailyDose > 0 && cut > quantum + 1e-9 && cut * 10_000 > 2500 * steps[i].dailyDose + 1e-6;
        });
        expect(warnings.some((w) => w.code === 'LARGE_SINGLE_CUT')).toBe(large.length > 0);
        const withinRate = percent * 7 <= 1000 * interval;
        const n = steps.length;
        const abrupt = steps[n - 1].dailyDose === 0 && n > 1 && steps[n - 2].dailyDose > Math.min(...params.unitStrengths);
        let code: string | null = null;
        try {
          generateTaper(unreasoned);
        } catch (error) {
          code = (error as { code: string }).code;
        }
        if (large.length === 0) expect(code === 'LARGE_SINGLE_CUT').toBe(false);
        else if (withinRate && !abrupt) expect(code).toBe('LARGE_SINGLE_CUT');
        else expect(code).not.toBeNull();
      }),
      RUNS,
    );
  });

  it('a pause moves every step not yet kept by exactly its length and leaves the kept ones alone', () => {
    fc.assert(
      fc.property(amendingArb, fc.integer({ min: 1, max: 60 }), ({ params, steps, today, effectiveFrom }, pauseDays) => {
        const amended = amendTaper({ params, steps, pauses: [] }, { effectiveFrom, pauseDays }, today);
        // A pause from before a signed-ahead start that runs past it is held from the start, for the days it covers.
        const start = steps[0]!.startsOn;
        const across = steps.length > 1 && start > today && effectiveFrom < start && addDays(effectiveFrom, pauseDays) > start;
        const [from, days] = across ? [start, pauseDays - daysBetween(effectiveFrom, start)] : [effectiveFrom, pauseDays];
        const kept = across ? 1 : keptBy(steps, effectiveFrom, today, pauseDays);
        expect(amended.keptSteps).toBe(kept);
        expect(amended.steps.slice(0, kept)).toEqual(steps.slice(0, kept));
        expect(amended.steps.slice(kept)).toEqual(steps.slice(kept).map((s) => ({ ...s, startsOn: addDays(s.startsOn, days) })));
        // Nothing kept: the whole schedule moves past the pause, which then holds no dose and is not kept.
        expect(amended.pauses).toEqual(kept === 0 ? [] : [{ from, days }]);
        expect(checkTaperInvariants(amended.steps, amended.params)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('a new rate or interval keeps the kept steps and the new part meets the invariants under the new parameters', () => {
    const changeArb = fc.record({
      reductionPercent: fc.integer({ min: 100, max: 1000 }).map((h) => h / 100),
      intervalDays: fc.integer({ min: 7, max: 28 }),
      pauseDays: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
      which: fc.constantFrom('rate', 'interval', 'both'),
    });
    fc.assert(
      fc.property(amendingArb, changeArb, ({ params, steps, today, effectiveFrom }, c) => {
        const amendment = {
          effectiveFrom,
          pauseDays: c.pauseDays,
          reductionPercent: c.which === 'interval' ? undefined : c.reductionPercent,
          intervalDays: c.which === 'rate' ? undefined : c.intervalDays,
        };
        const amended = amendTaper({ params, steps, pauses: [] }, amendment, today);
        const start = steps[0]!.startsOn;
        const across = c.pauseDays !== undefined && steps.length > 1 && start > today && effectiveFrom < start && addDays(effectiveFrom, c.pauseDays) > start;
        const kept = across ? 1 : keptBy(steps, effectiveFrom, today, c.pauseDays);
        expect(amended.keptSteps).toBe(kept);
        expect(amended.steps.slice(0, kept)).toEqual(steps.slice(0, kept));
        expect(amended.steps.map((s) => s.step)).toEqual(amended.steps.map((_, i) => i + 1));
        expect(checkTaperInvariants(amended.steps, amended.params, undefined, { fromStep: kept + 1 })).toEqual([]);
        const firstNew = amended.steps[kept].startsOn;
        if (kept > 0) expect(daysBetween(addDays(effectiveFrom, c.pauseDays ?? 0), firstNew)).toBeGreaterThanOrEqual(0);
        else expect(firstNew).toBe(addDays(params.startDate, c.pauseDays ?? 0));
      }),
      RUNS,
    );
  });
});
