import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ClinicalRuleError } from './clinical-error.js';
import {
  addDays,
  amendTaper,
  type AmendedTaper,
  checkTaperInvariants,
  daysBetween,
  generateTaper,
  scheduledDoseOn,
  type TaperAmendment,
  type TaperParams,
  type TaperPause,
  type TaperStep,
} from './taper.js';
import { taperOrderArb } from '../../test/support/taper-arbitraries.js';

interface Version {
  params: TaperParams;
  steps: TaperStep[];
  pauses: TaperPause[];
  /** The first step made under `params` (a pause moves steps made under older ones unchanged). */
  segmentStart: number;
}

/** One amendment as drawn: when (as fractions of what is left), what kind, and its figures. */
const amendmentArb = fc.record({
  todayShare: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  waitDays: fc.integer({ min: 0, max: 20 }),
  kind: fc.constantFrom('pause', 'rate', 'pause+rate', 'endPause', 'endPause+rate'),
  pauseDays: fc.integer({ min: 1, max: 30 }),
  reductionPercent: fc.integer({ min: 100, max: 1000 }).map((h) => h / 100),
  intervalDays: fc.integer({ min: 7, max: 28 }),
});
type Drawn = typeof amendmentArb extends fc.Arbitrary<infer T> ? T : never;

function amendmentOf(d: Drawn, effectiveFrom: string): TaperAmendment {
  const rate = d.kind.includes('rate') ? { reductionPercent: d.reductionPercent, intervalDays: d.intervalDays } : {};
  const pause = d.kind.startsWith('pause') ? { pauseDays: d.pauseDays } : {};
  const end = d.kind.startsWith('endPause') ? { endPause: true, reason: 'Reviewed' } : {};
  return { effectiveFrom, ...rate, ...pause, ...end };
}

/** Refusals a random amendment may meet by design; anything else is a failure. */
const EXPECTED = ['NOTHING_TO_AMEND', 'NO_PAUSE_IN_FORCE', 'SCHEDULE_TOO_LONG', 'DATE_OUT_OF_RANGE'];

/** The nurses' list of one day, worked out from the strings alone (YYYY-MM-DD sorts as dates). */
function oracle(v: Pick<Version, 'steps' | 'pauses'>, date: string): { step: number; dailyDose: number; paused: boolean } | null {
  const started = v.steps.filter((s) => s.startsOn <= date);
  if (started.length === 0) return null;
  const step = started[started.length - 1];
  if (step.dailyDose === 0 && step.startsOn < date) return null;
  const held = v.pauses.some((p) => date >= p.from && date < addDays(p.from, p.days));
  return { step: step.step, dailyDose: step.dailyDose, paused: held && step.startsOn !== date };
}

/**
 * The days where the list can change, and their neighbours: every step day, every pause's first
 * and last held days and the day after, effectiveFrom, each ± 1. Between them nothing changes, so
 * checking these is checking every day (and keeps the test fast on schedules years long).
 */
function boundaryDays(v: Pick<Version, 'steps' | 'pauses'>, effectiveFrom: string): string[] {
  const marks = [...v.steps.map((s) => s.startsOn), ...v.pauses.flatMap((p) => [p.from, addDays(p.from, p.days - 1), addDays(p.from, p.days)]), effectiveFrom];
  return [...new Set(marks.flatMap((d) => [addDays(d, -1), d, addDays(d, 1)]))];
}

function checkVersion(before: Version, after: AmendedTaper, effectiveFrom: string, segmentStart: number): void {
  const kept = after.keptSteps;
  expect(after.steps.slice(0, kept)).toEqual(before.steps.slice(0, kept));
  // No step of the new part starts inside a pause; spacing, rates, single cuts and MME hold.
  const fromStep = Math.max(kept + 1, segmentStart);
  expect(checkTaperInvariants(after.steps, after.params, undefined, { fromStep, pauses: after.pauses })).toEqual([]);
  for (const date of boundaryDays(after, effectiveFrom)) {
    const shown = scheduledDoseOn(after, date);
    expect(shown === null ? null : { step: shown.step, dailyDose: shown.dailyDose, paused: shown.paused }).toEqual(oracle(after, date));
    // A day on which a step starts is never paused.
    if (shown && shown.stepStartedOn === date) expect(shown.paused).toBe(false);
    // History is never rewritten: before effectiveFrom the new version shows what the old one did.
    if (date < effectiveFrom) expect(shown).toEqual(scheduledDoseOn(before, date));
  }
  // A paused day shows the dose held since the pause began: the same step throughout.
  for (const p of after.pauses) {
    const held = [p.from, addDays(p.from, p.days - 1)].map((d) => scheduledDoseOn(after, d));
    expect(held[1]?.step).toBe(held[0]?.step);
  }
}

describe('amendments and pauses (properties)', () => {
  it('for random orders and up to four amendments: no step inside a pause, the day list equals the schedule, history kept', () => {
    let amended = 0;
    fc.assert(
      fc.property(taperOrderArb, fc.array(amendmentArb, { minLength: 1, maxLength: 4 }), (params, draws) => {
        let version: Version = { params, steps: generateTaper(params).steps, pauses: [], segmentStart: 1 };
        let today = addDays(params.startDate, -3);
        for (const d of draws) {
          const last = version.steps[version.steps.length - 1].startsOn;
          const left = daysBetween(today, last);
          if (left <= 1) break;
          today = addDays(today, Math.floor(d.todayShare * (left - 1)));
          const effectiveFrom = addDays(today, Math.min(d.waitDays, daysBetween(today, last)));
          let next: AmendedTaper;
          try {
            next = amendTaper(version, amendmentOf(d, effectiveFrom), today);
          } catch (error) {
            if (error instanceof ClinicalRuleError && EXPECTED.includes(error.code)) continue;
            throw error;
          }
          const segmentStart = d.kind.includes('rate') ? next.keptSteps + 1 : version.segmentStart;
          checkVersion(version, next, effectiveFrom, segmentStart);
          version = { ...next, segmentStart };
          amended += 1;
        }
      }),
      { numRuns: 200 },
    );
    expect(amended).toBeGreaterThan(200);
  });
});
