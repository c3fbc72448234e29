import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { checkAsNeededDose, checkDrugDayTotal, checkTaperDose, orderInForceAt } from './administration.js';
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

  it('a drug on one day under orders written, discontinued and written again at any minutes, doses entered in any order: what is given never exceeds what the orders in force together allowed at any moment', () => {
    const order = fc.record({ from: fc.integer({ min: 0, max: 1439 }), minutes: fc.integer({ min: 1, max: 1440 }), daily: fc.integer({ min: 1, max: 16 }).map((q) => q * 250) });
    fc.assert(
      fc.property(fc.array(order, { minLength: 1, maxLength: 6 }), fc.array(fc.record({ minute: fc.integer({ min: 0, max: 1439 }), dose: fc.constantFrom(250, 500, 1000) }), { maxLength: 40 }), (orders, doses) => {
        const at = (minute: number) => new Date(START + minute * 60_000);
        const written = orders.map((o) => ({ createdAt: at(o.from), discontinuedAt: o.from + o.minutes >= 1440 ? null : at(o.from + o.minutes), daily: o.daily }));
        const allowedAt = (minute: number) => written.filter((o) => orderInForceAt(o, at(minute))).map((o) => o.daily);
        const given: number[] = [];
        for (const { minute, dose } of doses) {
          const allowed = allowedAt(minute);
          const ok = accepted(() => checkDrugDayTotal({ outcome: 'GIVEN', dose, date: '2027-01-04', unit: 'mg', drug: 'paracetamol' }, allowed, given));
          expect(ok).toBe(given.reduce((a, b) => a + b, 0) + dose <= allowed.reduce((a, b) => a + b, 0));
          if (ok) given.push(dose);
        }
        const peak = Math.max(0, ...Array.from({ length: 1440 }, (_, minute) => allowedAt(minute).reduce((a, b) => a + b, 0)));
        expect(given.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(peak);
      }),
      { numRuns: 300 },
    );
  });

  it('an as-needed dose with a COWS threshold is given exactly when the latest score of the two hours before is at or above it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.record({ minutesBefore: fc.integer({ min: -30, max: 240 }), score: fc.integer({ min: 0, max: 48 }) }), { maxLength: 8 }),
        (threshold, readings) => {
          const givenAt = START + 12 * HOUR;
          const scores = readings.map((r, i) => ({ recordedAt: new Date(givenAt - r.minutesBefore * 60_000 + i), score: r.score }));
          const inWindow = scores.filter((s) => s.recordedAt.getTime() <= givenAt && s.recordedAt.getTime() >= givenAt - 2 * HOUR);
          const latest = [...inWindow].sort((a, b) => b.recordedAt.getTime() - a.recordedAt.getTime())[0];
          const order = { dose: 0.1, minIntervalHours: 6, maxDosesPerDay: 4, cowsThreshold: threshold };
          const ok = accepted(() => checkAsNeededDose({ outcome: 'GIVEN', dose: 0.1, givenAt: new Date(givenAt), unit: 'mg' }, order, { givenAt: [], givenThatDay: 0, cowsScores: scores }));
          expect(ok).toBe(latest !== undefined && latest.score >= threshold);
        },
      ),
      { numRuns: 300 },
    );
  });
});
