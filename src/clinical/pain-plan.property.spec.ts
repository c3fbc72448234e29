import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { checkMedicationOrder, type MedicationOrderInput, PAIN_DRUGS, type PainDrugRule, type PatientRiskFactors } from './pain-plan.js';

const FACTORS = [
  'hepaticImpairment',
  'renalImpairment',
  'giBleedHistory',
  'heartFailure',
  'cardiacDisease',
  'anticoagulants',
  'heavyAlcoholUse',
  'respiratoryDisease',
  'benzodiazepineUse',
  'opioidInUse',
] as const;

const patientArb: fc.Arbitrary<PatientRiskFactors> = fc.record(
  Object.fromEntries(FACTORS.map((f) => [f, fc.boolean()])) as Record<(typeof FACTORS)[number], fc.Arbitrary<boolean>>,
);

/** Orders of every drug with doses built from whole thousandths, around and beyond the limits. */
const orderArb = fc
  .record({
    rule: fc.constantFrom(...Object.values(PAIN_DRUGS)),
    thousandths: fc.integer({ min: 1, max: 5_000_000 }),
    times: fc.integer({ min: 1, max: 24 }),
  })
  .map(({ rule, thousandths, times }) => ({
    rule,
    thousandths,
    order: {
      drug: rule.drug,
      dose: thousandths / 1000,
      unit: rule.unit,
      timesPerDay: rule.fixedSchedule?.timesPerDay ?? times,
      route: rule.routes[0],
    } satisfies MedicationOrderInput,
  }));

/** Independent oracle for the limit that applies, in thousandths. */
function expectedLimit(rule: PainDrugRule, patient: PatientRiskFactors): { max: number; absolute: number | null } {
  const reduced = (rule.reducedLimits ?? []).filter((r) => r.factors.some((f) => patient[f])).map((r) => r.maxDaily);
  if (reduced.length > 0) return { max: Math.min(...reduced) * 1000, absolute: null };
  return { max: rule.maxDaily * 1000, absolute: rule.absoluteMaxDaily === undefined ? null : rule.absoluteMaxDaily * 1000 };
}

describe('pain-plan properties', () => {
  it('the daily dose is exact and MAX_DAILY_DOSE_EXCEEDED appears exactly above the applicable limit', () => {
    fc.assert(
      fc.property(orderArb, patientArb, ({ rule, thousandths, order }, patient) => {
        const result = checkMedicationOrder(order, patient, []);
        const daily = thousandths * order.timesPerDay;
        expect(Math.round(result.dailyDose * 1000)).toBe(daily);
        expect(result.dailyDose).toBe(daily / 1000);
        const { max, absolute } = expectedLimit(rule, patient);
        expect(result.maxDailyDose * 1000).toBe(max);
        const refusal = result.refusals.find((r) => r.code === 'MAX_DAILY_DOSE_EXCEEDED');
        expect(refusal !== undefined).toBe(daily > max);
        if (refusal) expect(refusal.overridable).toBe(absolute !== null && daily <= absolute);
      }),
      { numRuns: 1000 },
    );
  });

  it('MAX_SINGLE_DOSE_EXCEEDED appears exactly above the drug\'s most in one dose, and is never overridable', () => {
    fc.assert(
      fc.property(orderArb, patientArb, ({ rule, thousandths, order }, patient) => {
        const refusal = checkMedicationOrder(order, patient, []).refusals.find((r) => r.code === 'MAX_SINGLE_DOSE_EXCEEDED');
        expect(refusal !== undefined).toBe(thousandths > rule.maxSingleDose * 1000);
        if (refusal) expect([refusal.overridable, refusal.field]).toEqual([false, 'dose']);
      }),
      { numRuns: 1000 },
    );
  });

  it('warnings never refuse: without the dose and NSAID rules, an order with warnings has no refusals', () => {
    fc.assert(
      fc.property(patientArb, fc.constantFrom('amitriptyline', 'nortriptyline', 'gabapentin', 'pregabalin'), (patient, drug) => {
        const result = checkMedicationOrder({ drug, dose: 1, unit: 'mg', timesPerDay: 1, route: 'ORAL' }, patient, ['ibuprofen']);
        expect(result.refusals).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('kidney dosing properties (domain.md §9 v1.1)', () => {
  /** The rows of domain.md, written out again: [from clearance, gabapentin, pregabalin]. */
  const ROWS: [number, number, number][] = [
    [60, 3600, 600],
    [30, 1400, 300],
    [15, 700, 150],
    [0, 300, 75],
  ];
  const gabapentinoidArb = fc.record({
    drug: fc.constantFrom('gabapentin', 'pregabalin'),
    daily: fc.integer({ min: 1, max: 4000 }),
    clearance: fc.option(fc.integer({ min: 0, max: 1500 }).map((n) => n / 10), { nil: null }),
    renalImpairment: fc.boolean(),
  });

  it('RENAL_DOSE_EXCEEDED exactly above the row of the clearance (30–59 when impaired and unmeasured), and only below the normal maximum', () => {
    fc.assert(
      fc.property(gabapentinoidArb, ({ drug, daily, clearance, renalImpairment }) => {
        const patient = { ...Object.fromEntries(FACTORS.map((f) => [f, false])), renalImpairment } as PatientRiskFactors;
        const result = checkMedicationOrder({ drug, dose: daily, unit: 'mg', timesPerDay: 1, route: 'ORAL' }, patient, [], { creatinineClearance: clearance });
        const used = clearance ?? (renalImpairment ? 30 : null);
        const row = used === null ? null : ROWS.find(([from]) => used >= from)!;
        const rowMax = row === null ? null : drug === 'gabapentin' ? row[1] : row[2];
        const normalMax = drug === 'gabapentin' ? 3600 : 600;
        expect(result.renalMaxDailyDose).toBe(rowMax);
        const expected = rowMax !== null && rowMax < normalMax && daily > rowMax;
        expect(result.refusals.some((r) => r.code === 'RENAL_DOSE_EXCEEDED')).toBe(expected);
        expect(result.warnings.some((w) => w.code === 'RENAL_FUNCTION_UNKNOWN')).toBe(clearance === null && renalImpairment);
      }),
      { numRuns: 1000 },
    );
  });
});
