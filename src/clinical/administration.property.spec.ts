import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { checkAsNeededDose, checkTaperDose } from './administration.js';
import { ClinicalRuleError } from './clinical-error.js';

const HOUR = 3_600_000;
const START = Date.parse('2027-01-04T00:00:00Z');
/** The day of an instant; UTC stands in for the clinic's calendar here. */
const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

/** Runs `check` and says whether the record took the entry; any refusal must be a clinical rule. */
function accepted(check: () => void): boolean {
  try {
    check();
    return true;
  } catch (error) {
    if (!(error instanceof ClinicalRuleError)) throw error;
    return false;
  }
}

describe('administration record properties', () => {
  it('taper doses in any amounts and order: the doses accepted on a day never add up to more than its schedule, and a day is filled before anything is refused', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(35, 55, 60),
        fc.array(fc.record({ day: fc.integer({ min: 0, max: 4 }), quarters: fc.integer({ min: 1, max: 160 }) }), { maxLength: 60 }),
        (scheduled, attempts) => {
          const given = new Map<number, number[]>();
          for (const { day, quarters } of attempts) {
            const dose = quarters / 4;
            const before = given.get(day) ?? [];
            const ok = accepted(() => checkTaperDose({ outcome: 'GIVEN', dose, date: dayOf(START + day * 24 * HOUR), unit: 'mg' }, scheduled, before));
            const total = before.reduce((a, b) => a + b, 0);
            expect(ok).toBe(total + dose <= scheduled);
            if (ok) given.set(day, [...before, dose]);
          }
          for (const doses of given.values()) expect(doses.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(scheduled);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('as-needed doses tried at any minute, entered in any order: those accepted are at least the interval apart and at most the daily most a day', () => {
    fc.assert(
      fc.property(
        fc.record({ minIntervalHours: fc.constantFrom(1, 4, 6, 8), maxDosesPerDay: fc.integer({ min: 1, max: 6 }) }),
        fc.array(fc.integer({ min: 0, max: 5 * 24 * 60 }), { maxLength: 60 }),
        ({ minIntervalHours, maxDosesPerDay }, minutes) => {
          const order = { dose: 2, minIntervalHours, maxDosesPerDay, cowsThreshold: null };
          const taken: number[] = [];
          for (const minute of minutes) {
            const at = START + minute * 60_000;
            const near = taken.filter((t) => Math.abs(t - at) < minIntervalHours * HOUR).map((t) => new Date(t));
            const history = { givenAt: near, givenThatDay: taken.filter((t) => dayOf(t) === dayOf(at)).length, cowsScores: [] };
            if (accepted(() => checkAsNeededDose({ outcome: 'GIVEN', dose: 2, givenAt: new Date(at), unit: 'mg' }, order, history))) taken.push(at);
          }
          const sorted = [...taken].sort((a, b) => a - b);
          sorted.slice(1).forEach((t, i) => expect(t - sorted[i]!).toBeGreaterThanOrEqual(minIntervalHours * HOUR));
          const perDay = new Map<string, number>();
          for (const t of taken) perDay.set(dayOf(t), (perDay.get(dayOf(t)) ?? 0) + 1);
          for (const count of perDay.values()) expect(count).toBeLessThanOrEqual(maxDosesPerDay);
        },
      ),
      { numRuns: 300 },
    );
  });
});
