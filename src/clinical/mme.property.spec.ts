import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CDC2022, computeMme, type OpioidRegimen } from './mme.js';

/** Every converted drug/formulation pair of the table, in its own unit. */
const convertible = Object.entries(CDC2022.factors).flatMap(([drug, entries]) =>
  entries.flatMap((e) => e.formulations.map((formulation) => ({ drug, formulation, unit: e.unit, factor: e.factor }))),
);

/** Doses with at most 3 decimals, built from whole thousandths so the oracle is exact. */
const regimenArb: fc.Arbitrary<OpioidRegimen> = fc
  .record({
    kind: fc.constantFrom(...convertible),
    thousandths: fc.integer({ min: 1, max: 2_000_000 }),
    times: fc.integer({ min: 1, max: 24 }),
  })
  .map(({ kind, thousandths, times }) => ({
    drug: kind.drug,
    formulation: kind.formulation,
    unit: kind.unit,
    dose: thousandths / 1000,
    timesPerDay: kind.unit === 'mcg/h' ? 1 : times,
  }));

const withBuprenorphine = fc.oneof(
  { weight: 5, arbitrary: regimenArb },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 32_000 }).map((t): OpioidRegimen => ({ drug: 'buprenorphine', formulation: 'IR', unit: 'mg', dose: t / 1000, timesPerDay: 1 })) },
);

/** Exact total in 1/100 000 MME with BigInt, independent of the implementation. */
function oracle(regimens: readonly OpioidRegimen[]): bigint {
  return regimens.reduce((sum, r) => {
    const entry = CDC2022.factors[r.drug]?.[0];
    if (!entry) return sum;
    return sum + BigInt(Math.round(r.dose * 1000)) * BigInt(r.timesPerDay) * BigInt(Math.round(entry.factor * 100));
  }, 0n);
}

const scaled = (mme: number): number => Math.round(mme * 100_000);

describe('MME properties', () => {
  it('is exact: the total is the double nearest the exact decimal, with at most 5 decimals', () => {
    fc.assert(
      fc.property(fc.array(withBuprenorphine, { maxLength: 8 }), (regimens) => {
        const { totalDailyMme, lines } = computeMme(regimens);
        expect(totalDailyMme).toBe(Number(oracle(regimens)) / 100_000);
        expect(Number(totalDailyMme.toFixed(5))).toBe(totalDailyMme);
        // The total is exactly the sum of the lines.
        expect(lines.reduce((s, l) => s + scaled(l.dailyMme ?? 0), 0)).toBe(scaled(totalDailyMme));
      }),
    );
  });

  it('is additive: the total of a list is the sum of the totals of any split of it', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(withBuprenorphine, fc.boolean()), { maxLength: 10 }), (tagged) => {
        const all = tagged.map(([r]) => r);
        const left = tagged.filter(([, side]) => side).map(([r]) => r);
        const right = tagged.filter(([, side]) => !side).map(([r]) => r);
        const parts = scaled(computeMme(left).totalDailyMme) + scaled(computeMme(right).totalDailyMme);
        expect(scaled(computeMme(all).totalDailyMme)).toBe(parts);
      }),
    );
  });

  it('is monotone in dose: raising any one dose never lowers the total', () => {
    const arb = fc.record({
      regimens: fc.array(withBuprenorphine, { minLength: 1, maxLength: 6 }),
      index: fc.nat(),
      extraThousandths: fc.integer({ min: 1, max: 100_000 }),
    });
    fc.assert(
      fc.property(arb, ({ regimens, index, extraThousandths }) => {
        const i = index % regimens.length;
        const raised = regimens.map((r, j) => (j === i ? { ...r, dose: (Math.round(r.dose * 1000) + extraThousandths) / 1000 } : r));
        const before = computeMme(regimens).totalDailyMme;
        const after = computeMme(raised).totalDailyMme;
        expect(after).toBeGreaterThanOrEqual(before);
        if (regimens[i].drug !== 'buprenorphine') expect(after).toBeGreaterThan(before);
      }),
    );
  });
});
