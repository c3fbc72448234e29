import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { overrideCovers, type OverriddenRefusal } from './override-coverage.js';
import { checkMedicationOrder, NO_RISK_FACTORS, patientDrugLimit, type PatientRiskFactors, type RiskFactor } from './pain-plan.js';

const RENAL_1400: OverriddenRefusal = { code: 'RENAL_DOSE_EXCEEDED', message: '1800 mg/day of gabapentin is above the 1400 mg/day limit …', finding: { limit: 1400 } };
const ANTICOAGULANTS: OverriddenRefusal = { code: 'NSAID_CONTRAINDICATED', message: 'Ibuprofen with anticoagulant use: …', finding: { factors: ['anticoagulants'] } };
const now = (code: string, finding: { limit?: number; factors?: string[] }, message: string | null = 'as checked now') => ({ code, finding, message });

describe('overrideCovers: an override reason covers the finding it was given for, or a milder one', () => {
  it('a limit: the same limit and a higher one are covered, one lower is not', () => {
    expect(overrideCovers([RENAL_1400], now('RENAL_DOSE_EXCEEDED', { limit: 1400 }))).toBe(true);
    expect(overrideCovers([RENAL_1400], now('RENAL_DOSE_EXCEEDED', { limit: 1400.001 }))).toBe(true);
    expect(overrideCovers([RENAL_1400], now('RENAL_DOSE_EXCEEDED', { limit: 1399.999 }))).toBe(false);
    expect(overrideCovers([RENAL_1400], now('RENAL_DOSE_EXCEEDED', { limit: 300 }))).toBe(false);
  });

  it('risk factors: the same ones and fewer are covered, one more is not', () => {
    const both: OverriddenRefusal = { ...ANTICOAGULANTS, finding: { factors: ['anticoagulants', 'giBleedHistory'] } };
    expect(overrideCovers([ANTICOAGULANTS], now('NSAID_CONTRAINDICATED', { factors: ['anticoagulants'] }))).toBe(true);
    expect(overrideCovers([both], now('NSAID_CONTRAINDICATED', { factors: ['giBleedHistory'] }))).toBe(true);
    expect(overrideCovers([ANTICOAGULANTS], now('NSAID_CONTRAINDICATED', { factors: ['renalImpairment', 'anticoagulants'] }))).toBe(false);
    expect(overrideCovers([ANTICOAGULANTS], now('NSAID_CONTRAINDICATED', { factors: ['renalImpairment'] }))).toBe(false);
  });

  it('never another code, and never a dimension the override did not weigh', () => {
    expect(overrideCovers([RENAL_1400], now('MAX_DAILY_DOSE_EXCEEDED', { limit: 2400 }))).toBe(false);
    expect(overrideCovers([ANTICOAGULANTS], now('HEPATIC_CONTRAINDICATED', { factors: ['anticoagulants'] }))).toBe(false);
    expect(overrideCovers([RENAL_1400], now('RENAL_DOSE_EXCEEDED', { limit: 1400, factors: ['renalImpairment'] }))).toBe(false);
    expect(overrideCovers([], now('RENAL_DOSE_EXCEEDED', { limit: 3600 }))).toBe(false);
  });

  it('an override stored before findings were (code and message alone) covers only the refusal worded exactly as it was', () => {
    const legacy: OverriddenRefusal = { code: 'RENAL_DOSE_EXCEEDED', message: RENAL_1400.message };
    expect(overrideCovers([legacy], now('RENAL_DOSE_EXCEEDED', { limit: 1400 }, RENAL_1400.message))).toBe(true);
    expect(overrideCovers([legacy], now('RENAL_DOSE_EXCEEDED', { limit: 1400 }, `${RENAL_1400.message} `))).toBe(false);
    // The order's own dose is within the finding now: there is no refusal to compare, so nothing is covered.
    expect(overrideCovers([legacy], now('RENAL_DOSE_EXCEEDED', { limit: 3600 }, null))).toBe(false);
  });
});

describe('the dose given and the correction review read the override the same way', () => {
  const FACTORS: RiskFactor[] = ['hepaticImpairment', 'renalImpairment', 'giBleedHistory', 'anticoagulants', 'heavyAlcoholUse', 'heartFailure'];
  const patient = (found: RiskFactor[]): PatientRiskFactors => ({ ...NO_RISK_FACTORS, ...Object.fromEntries(found.map((f) => [f, true])) });
  const facts = fc.record({ factors: fc.subarray(FACTORS), clearance: fc.option(fc.integer({ min: 0, max: 100 })) });

  it('an order written past its refusals, then any later record: the review names a refusal exactly when the dose given is held below the order', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('gabapentin', 'pregabalin', 'duloxetine', 'ibuprofen', 'naproxen', 'celecoxib'),
        fc.integer({ min: 1, max: 1200 }),
        fc.integer({ min: 1, max: 4 }),
        facts,
        facts,
        fc.boolean(),
        (drug, dose, timesPerDay, before, after, legacy) => {
          const order = { drug, dose, unit: 'mg' as const, timesPerDay, route: 'ORAL' as const };
          const ordered = checkMedicationOrder(order, patient(before.factors), [], { creatinineClearance: before.clearance });
          fc.pre(ordered.refusals.every((r) => r.overridable));
          const overridden = ordered.refusals.map(({ code, message, finding }) => (legacy ? { code, message } : { code, message, finding: finding ?? {} }));
          const later = checkMedicationOrder(order, patient(after.factors), [], { creatinineClearance: after.clearance });
          const named = later.refusals.filter((r) => !overrideCovers(overridden, { code: r.code, finding: r.finding ?? {}, message: r.message }));
          const limit = patientDrugLimit(drug, patient(after.factors), { creatinineClearance: after.clearance }, { dailyDose: ordered.dailyDose, overridden })!;
          expect(named.length > 0).toBe(limit.ruledOut.length > 0 || ordered.dailyDose > limit.maxDaily);
        },
      ),
    );
  });
});
