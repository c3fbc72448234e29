import fc from 'fast-check';
import { CDC2022 } from '../../src/clinical/mme.js';
import { addDays, quantumOf, type TaperParams } from '../../src/clinical/taper.js';

/** Every drug/formulation pair of the table, with its unit. */
export const CONVERTIBLE = Object.entries(CDC2022.factors).flatMap(([drug, entries]) =>
  entries.flatMap((e) => e.formulations.map((formulation) => ({ drug, formulation, unit: e.unit }))),
);
/** Smallest strengths seen on real products (mg, or mcg/h for patches). */
const SMALLEST = [0.5, 1, 2, 2.5, 5, 7.5, 10, 12, 12.5, 15, 20, 25, 50];

/** Random orders within guidance: 1–10% every 7–28 days is at most 10% a week. */
export const taperOrderArb: fc.Arbitrary<TaperParams> = fc
  .record({
    kind: fc.constantFrom(...CONVERTIBLE),
    smallest: fc.constantFrom(...SMALLEST),
    larger: fc.subarray([2, 3, 4, 8]),
    halves: fc.boolean(),
    startQuanta: fc.integer({ min: 2, max: 120 }),
    targetShare: fc.option(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { nil: null }),
    percentHundredths: fc.integer({ min: 100, max: 1000 }),
    intervalDays: fc.integer({ min: 7, max: 28 }),
    basis: fc.constantFrom('START' as const, 'CURRENT' as const),
    startOffset: fc.integer({ min: 0, max: 5 * 365 }),
  })
  .map((o) => {
    const allowHalfTablets = o.halves && o.kind.formulation !== 'TRANSDERMAL';
    const unitStrengths = [...o.larger.map((m) => o.smallest * m), o.smallest];
    const quantum = quantumOf({ unitStrengths, allowHalfTablets }) * 1000;
    const targetQuanta = o.targetShare === null ? 0 : 1 + Math.floor(o.targetShare * (o.startQuanta - 1));
    return {
      drug: o.kind.drug,
      formulation: o.kind.formulation,
      unit: o.kind.unit,
      startDailyDose: (o.startQuanta * quantum) / 1000,
      unitStrengths,
      allowHalfTablets,
      reductionPercent: o.percentHundredths / 100,
      intervalDays: o.intervalDays,
      basis: o.basis,
      startDate: addDays('2026-01-01', o.startOffset),
      targetDailyDose: (targetQuanta * quantum) / 1000,
    };
  });
