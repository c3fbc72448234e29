import { describe, expect, it } from '@jest/globals';
import {
  checkMedicationOrder,
  combinationParacetamol,
  gabapentinoidWithOpioid,
  isGabapentinoid,
  type MedicationCheck,
  type MedicationOrderInput,
  needsOverride,
  NO_RISK_FACTORS,
  painDrugRule,
  type ParacetamolSource,
  type PatientRiskFactors,
  type RiskFactor,
} from './pain-plan.js';
import { ruleErrorOf } from '../../test/support/clinical-errors.js';

const HEALTHY = NO_RISK_FACTORS;
const patientWith = (...factors: RiskFactor[]): PatientRiskFactors => ({ ...HEALTHY, ...Object.fromEntries(factors.map((f) => [f, true])) });
/** A daily dose as the fewest equal doses each within the drug's most a dose (3601 mg of gabapentin: 4 × 900.25). */
const oral = (drug: string, dailyDose: number): MedicationOrderInput => {
  const most = painDrugRule(drug)?.maxSingleDose ?? Number.POSITIVE_INFINITY;
  const daily = Math.round(dailyDose * 1000);
  const times = [1, 2, 3, 4, 5, 6, 8, 10, 12].find((n) => daily % n === 0 && daily / n <= most * 1000) ?? 1;
  return { drug, dose: daily / times / 1000, unit: 'mg', timesPerDay: times, route: 'ORAL' };
};
const codes = (result: MedicationCheck): string[] => result.refusals.map((r) => r.code);
const atClearance = (drug: string, daily: number, creatinineClearance: number | null, patient = HEALTHY): MedicationCheck =>
  checkMedicationOrder(oral(drug, daily), patient, [], { creatinineClearance });

describe('DUPLICATE_GABAPENTINOID', () => {
  it('pregabalin on top of gabapentin is refused, not overridable', () => {
    const result = checkMedicationOrder(oral('pregabalin', 150), HEALTHY, ['Gabapentin', 'ibuprofen']);
    expect(result.refusals).toEqual([
      {
        code: 'DUPLICATE_GABAPENTINOID',
        message: 'Pregabalin is a gabapentinoid and the patient already has gabapentin active; two gabapentinoids at once are not allowed, so discontinue the active one first.',
        overridable: false,
        field: 'drug',
      },
    ]);
    expect(needsOverride(result)).toBe(false);
  });

  it('a second gabapentin order is a duplicate too; other drugs are not', () => {
    expect(codes(checkMedicationOrder(oral('gabapentin', 900), HEALTHY, ['gabapentin']))).toEqual(['DUPLICATE_GABAPENTINOID']);
    expect(codes(checkMedicationOrder(oral('gabapentin', 900), HEALTHY, ['duloxetine', 'ibuprofen', 'unknown']))).toEqual([]);
    expect(codes(checkMedicationOrder(oral('duloxetine', 60), HEALTHY, ['gabapentin', 'pregabalin']))).toEqual([]);
  });
});

describe('kidney dosing by creatinine clearance', () => {
  it.each([
    // drug, clearance (mL/min), at the row limit, its limit
    ['gabapentin', 60, 3600],
    ['gabapentin', 59, 1400],
    ['gabapentin', 30, 1400],
    ['gabapentin', 29.9, 700],
    ['gabapentin', 15, 700],
    ['gabapentin', 14, 300],
    ['gabapentin', 0, 300],
    ['pregabalin', 60, 600],
    ['pregabalin', 59, 300],
    ['pregabalin', 29, 150],
    ['pregabalin', 14.5, 75],
  ] as const)('%s at %d mL/min: %d mg/day accepted, 1 mg more refused (RENAL_DOSE_EXCEEDED unless the row is the normal maximum)', (drug, clearance, limit) => {
    const at = atClearance(drug, limit, clearance);
    expect(at.refusals).toEqual([]);
    expect(at.renalMaxDailyDose).toBe(limit);
    expect(at.warnings.map((w) => w.code)).not.toContain('RENAL_FUNCTION_UNKNOWN');
    const over = atClearance(drug, limit + 1, clearance);
    const normalMax = drug === 'gabapentin' ? 3600 : 600;
    expect(codes(over)).toEqual(limit === normalMax ? ['MAX_DAILY_DOSE_EXCEEDED'] : ['RENAL_DOSE_EXCEEDED']);
    if (limit !== normalMax) expect(needsOverride(over)).toBe(true);
  });

  it('words the refusal with the row and the clearance recorded', () => {
    expect(atClearance('gabapentin', 1500, 40).refusals).toEqual([
      {
        code: 'RENAL_DOSE_EXCEEDED',
        message:
          '1500 mg/day of gabapentin is above the 1400 mg/day limit for a creatinine clearance of 30–59 mL/min (40 mL/min recorded). ' +
          'Prescribing it anyway needs an override reason.',
        overridable: true,
        field: 'dose',
        finding: { limit: 1400 },
      },
    ]);
  });

  it('gabapentin 3600 mg/day with kidney impairment and no clearance → the 30–59 row, refused, and RENAL_FUNCTION_UNKNOWN', () => {
    const result = atClearance('gabapentin', 3600, null, patientWith('renalImpairment'));
    expect(codes(result)).toEqual(['RENAL_DOSE_EXCEEDED']);
    expect(result.refusals[0].message).toContain('(renal impairment recorded without a clearance)');
    expect(result.warnings[0]).toEqual({
      code: 'RENAL_FUNCTION_UNKNOWN',
      message:
        'Gabapentin: renal impairment is recorded without a creatinine clearance, so the 30–59 mL/min row applies (at most 1400 mg/day); ' +
        'record the clearance to dose by it.',
      fields: ['creatinineClearance'],
    });
  });

  it('without a clearance: 1400 accepted with the warning, 1401 refused', () => {
    const impaired = patientWith('renalImpairment');
    expect(atClearance('gabapentin', 1400, null, impaired)).toMatchObject({ refusals: [], renalMaxDailyDose: 1400, warnings: [{ code: 'RENAL_FUNCTION_UNKNOWN' }] });
    expect(codes(atClearance('gabapentin', 1401, null, impaired))).toEqual(['RENAL_DOSE_EXCEEDED']);
  });

  it('no impairment and no clearance: the normal maximum, no kidney row', () => {
    expect(atClearance('gabapentin', 3600, null)).toMatchObject({ refusals: [], renalMaxDailyDose: null, warnings: [] });
  });

  it('a measured clearance decides over the flag: 70 mL/min with renal impairment ticked is the ≥ 60 row', () => {
    expect(atClearance('pregabalin', 600, 70, patientWith('renalImpairment')).refusals).toEqual([]);
  });

  it.each([-1, 250.5, Number.NaN])('refuses a clearance of %d mL/min', (clearance) => {
    expect(ruleErrorOf(() => atClearance('gabapentin', 300, clearance))).toMatchObject({ code: 'INVALID_CREATININE_CLEARANCE', field: 'creatinineClearance' });
  });

  it('a clearance below 60 is renal impairment for the NSAID rule even with the box unticked; 60 is not', () => {
    expect(codes(atClearance('ibuprofen', 1200, 59))).toEqual(['NSAID_CONTRAINDICATED']);
    expect(codes(atClearance('ibuprofen', 1200, 60))).toEqual([]);
  });
});

describe('duloxetine', () => {
  it.each([['hepaticImpairment', 'hepatic impairment'], ['heavyAlcoholUse', 'heavy alcohol use']] as const)(
    'with %s → HEPATIC_CONTRAINDICATED, overridable',
    (factor, words) => {
      const result = checkMedicationOrder(oral('duloxetine', 60), patientWith(factor), []);
      expect(result.refusals).toEqual([
        {
          code: 'HEPATIC_CONTRAINDICATED',
          message:
            `Duloxetine with ${words}: duloxetine can injure the liver; the label says to avoid it in chronic liver disease and substantial ` +
            'alcohol use. Prescribing it anyway needs an override reason.',
          overridable: true,
          field: 'drug',
          finding: { factors: [factor] },
        },
      ]);
      expect(needsOverride(result)).toBe(true);
    },
  );

  it('creatinine clearance 29 mL/min → refused as severe renal impairment; 30 accepted even with the box ticked', () => {
    expect(atClearance('duloxetine', 60, 29).refusals).toEqual([
      {
        code: 'CONTRAINDICATED',
        message:
          'Duloxetine with a creatinine clearance of 29 mL/min (severe renal impairment): the label says to avoid it in severe renal ' +
          'impairment (creatinine clearance below 30 mL/min). Prescribing it anyway needs an override reason.',
        overridable: true,
        field: 'drug',
        finding: { factors: ['renalImpairment'] },
      },
    ]);
    expect(atClearance('duloxetine', 60, 30, patientWith('renalImpairment')).refusals).toEqual([]);
    expect(codes(atClearance('duloxetine', 60, 29.9))).toEqual(['CONTRAINDICATED']);
  });
});

describe('paracetamol from every source', () => {
  const hydrocodone: ParacetamolSource = { source: 'hydrocodone IR (combination product)', dailyMg: 1300 };
  const withSources = (daily: number, patient = HEALTHY, sources = [hydrocodone]): MedicationCheck =>
    checkMedicationOrder(oral('paracetamol', daily), patient, [], { otherParacetamol: sources });

  it('an order of 2700 mg/day beside hydrocodone 5/325 four times a day is 4000: accepted; 2701 is refused', () => {
    expect(withSources(2700).refusals).toEqual([]);
    expect(withSources(2701).refusals).toEqual([
      {
        code: 'MAX_DAILY_DOSE_EXCEEDED',
        message: '2701 mg/day of paracetamol with 1300 mg/day from hydrocodone IR (combination product), 4001 mg/day in all, is above the 4000 mg/day limit.',
        overridable: false,
        field: 'dose',
        finding: { limit: 4000 },
      },
    ]);
  });

  it('with hepatic impairment the 2000 limit counts the combination too: 700 accepted, 701 refused', () => {
    expect(withSources(700, patientWith('hepaticImpairment')).refusals).toEqual([]);
    expect(withSources(701, patientWith('hepaticImpairment')).refusals[0].message).toBe(
      '701 mg/day of paracetamol with 1300 mg/day from hydrocodone IR (combination product), 2001 mg/day in all, is above the 2000 mg/day limit with hepatic impairment.',
    );
  });

  it('adds every source, and other drugs ignore the paracetamol sources', () => {
    const prn: ParacetamolSource = { source: 'as-needed paracetamol', dailyMg: 2000 };
    expect(codes(withSources(1000, HEALTHY, [hydrocodone, prn]))).toEqual(['MAX_DAILY_DOSE_EXCEEDED']);
    expect(codes(withSources(700, HEALTHY, [hydrocodone, prn]))).toEqual([]);
    expect(codes(checkMedicationOrder(oral('ibuprofen', 1200), HEALTHY, [], { otherParacetamol: [prn, prn, prn] }))).toEqual([]);
  });

  it('refuses a source that is not a daily amount', () => {
    expect(ruleErrorOf(() => withSources(500, HEALTHY, [{ source: 'x', dailyMg: -1 }]))).toMatchObject({ code: 'INVALID_PARACETAMOL_SOURCE', field: 'otherParacetamol[0]' });
  });

  it('combinationParacetamol: per unit × units a day (as needed: the most a day); stopped products and plain opioids give none', () => {
    const intake = [
      { drug: 'Hydrocodone', formulation: 'IR' as const, timesPerDay: 4, paracetamolPerUnitMg: 325 },
      { drug: 'oxycodone', formulation: 'IR' as const, timesPerDay: 6, paracetamolPerUnitMg: 325 },
      { drug: 'oxycodone', formulation: 'ER' as const, timesPerDay: 2 },
    ];
    expect(combinationParacetamol(intake)).toEqual([
      { source: 'hydrocodone IR (combination product)', dailyMg: 1300 },
      { source: 'oxycodone IR (combination product)', dailyMg: 1950 },
    ]);
    expect(combinationParacetamol(intake, [{ drug: 'oxycodone', formulation: 'IR' }])).toEqual([{ source: 'hydrocodone IR (combination product)', dailyMg: 1300 }]);
  });
});

describe('one home for the gabapentinoid rule', () => {
  it('isGabapentinoid knows gabapentin and pregabalin in any case, nothing else', () => {
    expect(['gabapentin', ' Pregabalin '].map(isGabapentinoid)).toEqual([true, true]);
    expect(['duloxetine', 'oxycodone', 'constructor'].map(isGabapentinoid)).toEqual([false, false, false]);
  });

  it('gabapentinoidWithOpioid: a gabapentinoid among the drugs while an opioid is in use', () => {
    expect(gabapentinoidWithOpioid(['paracetamol', 'pregabalin'], true)).toBe(true);
    expect(gabapentinoidWithOpioid(['paracetamol', 'pregabalin'], false)).toBe(false);
    expect(gabapentinoidWithOpioid(['paracetamol'], true)).toBe(false);
  });
});
