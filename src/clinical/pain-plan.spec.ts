import { describe, expect, it } from '@jest/globals';
import {
  appliedDailyLimit,
  checkMedicationOrder,
  drugDailyLimit,
  isGabapentinoid,
  type MedicationCheck,
  type MedicationOrderInput,
  needsOverride,
  NO_RISK_FACTORS,
  PAIN_DRUGS,
  painDrugRule,
  type PatientRiskFactors,
  type RiskFactor,
} from './pain-plan.js';
import { ruleErrorOf } from '../../test/support/clinical-errors.js';

const HEALTHY = NO_RISK_FACTORS;
const patientWith = (...factors: RiskFactor[]): PatientRiskFactors => ({ ...HEALTHY, ...Object.fromEntries(factors.map((f) => [f, true])) });

const oral = (drug: string, dose: number, timesPerDay: number): MedicationOrderInput => ({ drug, dose, unit: 'mg', timesPerDay, route: 'ORAL' });
const patches = (count: number, route: 'TOPICAL' | 'TRANSDERMAL' = 'TOPICAL'): MedicationOrderInput => ({
  drug: 'lidocaine',
  dose: count,
  unit: 'patch',
  timesPerDay: 1,
  route,
});

const check = (order: MedicationOrderInput, patient: PatientRiskFactors = HEALTHY, active: readonly string[] = []): MedicationCheck =>
  checkMedicationOrder(order, patient, active);
const codes = (result: MedicationCheck): string[] => result.refusals.map((r) => r.code);

/** The single MAX_DAILY_DOSE_EXCEEDED refusal of a result, with its overridability. */
function overMax(result: MedicationCheck, overridable: boolean, message?: string): void {
  expect(result.refusals).toEqual([
    { code: 'MAX_DAILY_DOSE_EXCEEDED', message: message ?? expect.any(String), overridable, field: 'dose', finding: expect.objectContaining({ limit: expect.any(Number) }) },
  ]);
}

describe('the drug table of domain.md §9', () => {
  it('lists the eleven drugs with their default limits as data', () => {
    const limits = Object.fromEntries(
      Object.values(PAIN_DRUGS).map((r) => [r.drug, [r.maxDaily, r.absoluteMaxDaily ?? null, r.unit, r.nsaid, [...r.routes]]]),
    );
    expect(limits).toEqual({
      paracetamol: [4000, null, 'mg', false, ['ORAL']],
      ibuprofen: [2400, 3200, 'mg', true, ['ORAL']],
      naproxen: [1000, 1500, 'mg', true, ['ORAL']],
      diclofenac: [150, null, 'mg', true, ['ORAL']],
      celecoxib: [400, null, 'mg', true, ['ORAL']],
      duloxetine: [60, null, 'mg', false, ['ORAL']],
      amitriptyline: [75, null, 'mg', false, ['ORAL']],
      nortriptyline: [75, null, 'mg', false, ['ORAL']],
      gabapentin: [3600, null, 'mg', false, ['ORAL']],
      pregabalin: [600, null, 'mg', false, ['ORAL']],
      lidocaine: [3, null, 'patch', false, ['TOPICAL', 'TRANSDERMAL']],
    });
    for (const [code, rule] of Object.entries(PAIN_DRUGS)) expect(rule.drug).toBe(code);
    expect(PAIN_DRUGS.celecoxib.reducedLimits?.[0].maxDaily).toBe(PAIN_DRUGS.celecoxib.maxDaily / 2);
    expect(PAIN_DRUGS.lidocaine.fixedSchedule).toEqual({ timesPerDay: 1, description: '12 h on, 12 h off' });
    expect(Object.isFrozen(PAIN_DRUGS)).toBe(true);
    expect(Object.isFrozen(PAIN_DRUGS.paracetamol)).toBe(true);
  });

  it('finds rules whatever the case and spacing, never through the prototype', () => {
    expect(painDrugRule('  Paracetamol ')?.drug).toBe('paracetamol');
    expect(painDrugRule('constructor')).toBeUndefined();
    expect(painDrugRule('__proto__')).toBeUndefined();
  });
});

describe('paracetamol: 4000 mg/day; 2000 with hepatic impairment or heavy alcohol use', () => {
  it('accepts 1000 mg four times a day', () => {
    expect(check(oral('paracetamol', 1000, 4))).toEqual({ drug: 'paracetamol', dailyDose: 4000, maxDailyDose: 4000, renalMaxDailyDose: null, maxSingleDose: 1000, refusals: [], warnings: [] });
  });

  it('refuses 4001 mg/day, not overridable', () => {
    overMax(check(oral('paracetamol', 800.2, 5)), false, '4001 mg/day of paracetamol is above the 4000 mg/day limit.');
  });

  it('refuses 1000 mg five times a day', () => {
    const result = check(oral('paracetamol', 1000, 5));
    expect(result.dailyDose).toBe(5000);
    overMax(result, false, '5000 mg/day of paracetamol is above the 4000 mg/day limit.');
  });

  it('accepts 2000 mg/day with hepatic impairment and refuses 3000 with the reason in the message', () => {
    expect(check(oral('paracetamol', 500, 4), patientWith('hepaticImpairment'))).toMatchObject({ dailyDose: 2000, maxDailyDose: 2000, refusals: [] });
    overMax(
      check(oral('paracetamol', 1000, 3), patientWith('hepaticImpairment')),
      false,
      '3000 mg/day of paracetamol is above the 2000 mg/day limit with hepatic impairment.',
    );
  });

  it('halves the limit for heavy alcohol use too, naming both factors when both apply', () => {
    const alcohol = check(oral('paracetamol', 500, 5), patientWith('heavyAlcoholUse'));
    expect(alcohol.maxDailyDose).toBe(2000);
    overMax(alcohol, false, '2500 mg/day of paracetamol is above the 2000 mg/day limit with heavy alcohol use.');
    overMax(
      check(oral('paracetamol', 667, 3), patientWith('hepaticImpairment', 'heavyAlcoholUse')),
      false,
      '2001 mg/day of paracetamol is above the 2000 mg/day limit with hepatic impairment and heavy alcohol use.',
    );
  });
});

describe('ibuprofen: 2400 mg/day, up to 3200 with an override', () => {
  it('accepts 400 mg six times a day', () => {
    expect(check(oral('ibuprofen', 400, 6))).toMatchObject({ dailyDose: 2400, maxDailyDose: 2400, refusals: [] });
  });

  it('refuses 2800 mg/day but lets an override through', () => {
    const result = check(oral('ibuprofen', 400, 7));
    overMax(result, true, '2800 mg/day of ibuprofen is above the 2400 mg/day limit; up to 3200 mg/day needs an override reason.');
    expect(needsOverride(result)).toBe(true);
  });

  it('lets an override reach exactly 3200 mg/day', () => {
    overMax(check(oral('ibuprofen', 800, 4)), true);
  });

  it('never allows 3201 or 3600 mg/day', () => {
    overMax(check(oral('ibuprofen', 640.2, 5)), false);
    const result = check(oral('ibuprofen', 600, 6));
    overMax(result, false, '3600 mg/day of ibuprofen is above the absolute maximum of 3200 mg/day.');
    expect(needsOverride(result)).toBe(false);
  });
});

describe('naproxen: 1000 mg/day, up to 1500 for short courses with an override', () => {
  it('accepts 500 mg twice a day', () => {
    expect(check(oral('naproxen', 500, 2)).refusals).toEqual([]);
  });

  it('refuses 1500 mg/day unless overridden for a short course', () => {
    overMax(
      check(oral('naproxen', 500, 3)),
      true,
      '1500 mg/day of naproxen is above the 1000 mg/day limit; up to 1500 mg/day for a short course needs an override reason.',
    );
  });

  it('never allows 1501 mg/day', () => {
    overMax(check(oral('naproxen', 375.25, 4)), false, '1501 mg/day of naproxen is above the absolute maximum of 1500 mg/day.');
  });
});

describe('diclofenac: 150 mg/day', () => {
  it('accepts 50 mg three times a day', () => {
    expect(check(oral('diclofenac', 50, 3))).toMatchObject({ dailyDose: 150, refusals: [] });
  });

  it('refuses 151 mg/day and 75 mg three times a day, with no override band', () => {
    overMax(check(oral('diclofenac', 37.75, 4)), false);
    overMax(check(oral('diclofenac', 75, 3)), false, '225 mg/day of diclofenac is above the 150 mg/day limit.');
  });
});

describe('celecoxib: 400 mg/day, halved with hepatic impairment', () => {
  it('accepts 200 mg twice a day and refuses 401', () => {
    expect(check(oral('celecoxib', 200, 2)).refusals).toEqual([]);
    overMax(check(oral('celecoxib', 100.25, 4)), false);
  });

  it('limits to 200 mg/day with hepatic impairment', () => {
    const hepatic = patientWith('hepaticImpairment');
    expect(check(oral('celecoxib', 100, 2), hepatic)).toMatchObject({ dailyDose: 200, maxDailyDose: 200, refusals: [] });
    overMax(check(oral('celecoxib', 200, 2), hepatic), false, '400 mg/day of celecoxib is above the 200 mg/day limit with hepatic impairment.');
  });
});

describe('duloxetine: 60 mg/day; avoided in severe renal impairment', () => {
  it('accepts 60 and refuses 61 mg/day', () => {
    expect(check(oral('duloxetine', 60, 1))).toMatchObject({ maxDailyDose: 60, refusals: [], warnings: [] });
    overMax(check(oral('duloxetine', 30.5, 2)), false, '61 mg/day of duloxetine is above the 60 mg/day limit.');
  });

  it('refuses any renal impairment as CONTRAINDICATED, overridable, saying the impairment is ungraded', () => {
    const result = check(oral('duloxetine', 30, 1), patientWith('renalImpairment'));
    expect(result.refusals).toEqual([{ code: 'CONTRAINDICATED', message: expect.any(String), overridable: true, field: 'drug', finding: { factors: ['renalImpairment'] } }]);
    expect(result.refusals[0].message).toBe(
      'Duloxetine with renal impairment: the label says to avoid it in severe renal impairment (creatinine clearance below ' +
        '30 mL/min); the intake records renal impairment without grading it, so it is treated as severe here. ' +
        'Prescribing it anyway needs an override reason.',
    );
    expect(needsOverride(result)).toBe(true);
  });

  it('is not affected by the NSAID risk factors', () => {
    expect(check(oral('duloxetine', 60, 1), patientWith('giBleedHistory', 'heartFailure', 'anticoagulants')).refusals).toEqual([]);
  });
});

describe.each(['amitriptyline', 'nortriptyline'])('%s: 75 mg/day, always flagged for sedation and falls', (drug) => {
  const tcaWarning = {
    code: 'TCA_SEDATION_FALLS',
    message: expect.stringMatching(/sedation.*falls.*anticholinergic/),
  };

  it('accepts 25 mg three times a day with the warning', () => {
    expect(check(oral(drug, 25, 3))).toEqual({ drug, dailyDose: 75, maxDailyDose: 75, renalMaxDailyDose: null, maxSingleDose: 75, refusals: [], warnings: [tcaWarning] });
  });

  it('refuses 76 mg/day and still warns', () => {
    const result = check(oral(drug, 38, 2));
    overMax(result, false, `76 mg/day of ${drug} is above the 75 mg/day limit.`);
    expect(result.warnings).toEqual([tcaWarning]);
  });
});

describe.each([
  ['gabapentin', 1200, 3, 3600],
  ['pregabalin', 300, 2, 600],
] as const)('%s: max per day, respiratory depression warning', (drug, dose, times, max) => {
  it(`accepts ${dose} mg ${times}× a day (${max} mg/day) without a warning when nothing triggers one`, () => {
    expect(check(oral(drug, dose, times))).toEqual({ drug, dailyDose: max, maxDailyDose: max, renalMaxDailyDose: null, maxSingleDose: dose, refusals: [], warnings: [] });
  });

  it(`refuses ${max + 1} mg/day`, () => {
    overMax(check(oral(drug, (max + 1) / 4, 4)), false, `${max + 1} mg/day of ${drug} is above the ${max} mg/day limit.`);
  });

  it.each([
    ['opioidInUse', 'current opioid use'],
    ['benzodiazepineUse', 'benzodiazepine use'],
    ['respiratoryDisease', 'respiratory disease'],
  ] as const)('warns with %s, naming it', (factor, words) => {
    const result = check(oral(drug, dose, times), patientWith(factor));
    expect(result.refusals).toEqual([]);
    expect(result.warnings).toEqual([{ code: 'GABAPENTINOID_RESPIRATORY_DEPRESSION', message: expect.stringContaining(`with ${words}:`) }]);
    expect(result.warnings[0].message).toContain('FDA Drug Safety Communication, 19 December 2019');
  });

  it('names all three triggers in one warning', () => {
    const result = check(oral(drug, dose, times), patientWith('respiratoryDisease', 'opioidInUse', 'benzodiazepineUse'));
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0].message).toMatch(
      new RegExp(`^${drug[0].toUpperCase()}${drug.slice(1)} with current opioid use, benzodiazepine use and respiratory disease: risk of serious respiratory depression`),
    );
  });
});

describe('lidocaine 5% patch: 3 patches, 12 h on / 12 h off', () => {
  it('accepts 3 patches once a day, topical or transdermal', () => {
    expect(check(patches(3))).toEqual({ drug: 'lidocaine', dailyDose: 3, maxDailyDose: 3, renalMaxDailyDose: null, maxSingleDose: 3, refusals: [], warnings: [] });
    expect(check(patches(3, 'TRANSDERMAL')).refusals).toEqual([]);
  });

  it('accepts a cut patch', () => {
    expect(check(patches(1.5)).dailyDose).toBe(1.5);
  });

  it('refuses 4 patches: above the day and above one application', () => {
    expect(check(patches(4)).refusals).toEqual([
      { code: 'MAX_DAILY_DOSE_EXCEEDED', message: '4 patches/day of lidocaine is above the 3 patches/day limit.', overridable: false, field: 'dose', finding: { limit: 3 } },
      { code: 'MAX_SINGLE_DOSE_EXCEEDED', message: '4 patches of lidocaine is above its maximum of 3 patches a dose; give it in smaller doses, more times a day.', overridable: false, field: 'dose' },
    ]);
  });

  it('refuses a second application in the day', () => {
    const error = ruleErrorOf(() => check({ ...patches(1), timesPerDay: 2 }));
    expect([error.code, error.field]).toEqual(['INVALID_FREQUENCY', 'timesPerDay']);
    expect(error.message).toBe('Lidocaine follows a fixed schedule (12 h on, 12 h off): timesPerDay must be 1.');
  });

  it('refuses mg and the oral route', () => {
    const unit = ruleErrorOf(() => check({ ...patches(3), unit: 'mg' }));
    expect([unit.code, unit.field, unit.message]).toEqual([
      'INVALID_UNIT',
      'unit',
      'Lidocaine is ordered as a number of patches (unit "patch"), not in "mg".',
    ]);
    const route = ruleErrorOf(() => check({ ...patches(3), route: 'ORAL' }));
    expect([route.code, route.field, route.message]).toEqual([
      'INVALID_ROUTE',
      'route',
      'Lidocaine is given by the TOPICAL or TRANSDERMAL route, not "ORAL".',
    ]);
  });
});

describe('NSAID rules', () => {
  const NSAIDS = ['ibuprofen', 'naproxen', 'diclofenac', 'celecoxib'] as const;
  const within = { ibuprofen: [400, 3], naproxen: [250, 2], diclofenac: [50, 2], celecoxib: [100, 2] } as const;
  const nsaidOrder = (drug: (typeof NSAIDS)[number]): MedicationOrderInput => {
    const [dose, times] = within[drug];
    return oral(drug, dose, times);
  };

  describe('duplicates', () => {
    it.each(NSAIDS.flatMap((drug) => NSAIDS.filter((other) => other !== drug).map((other) => [drug, other])))(
      '%s with %s active → DUPLICATE_NSAID, not overridable',
      (drug, other) => {
        const result = check(nsaidOrder(drug), HEALTHY, ['paracetamol', other]);
        expect(result.refusals).toEqual([
          {
            code: 'DUPLICATE_NSAID',
            message: `${drug[0].toUpperCase()}${drug.slice(1)} is an NSAID and the patient already has ${other} active; two systemic NSAIDs at once are not allowed, so discontinue the active one first.`,
            overridable: false,
            field: 'drug',
          },
        ]);
        expect(needsOverride(result)).toBe(false);
      },
    );

    it('counts a second order of the same NSAID, and reads active codes whatever their case', () => {
      expect(codes(check(nsaidOrder('ibuprofen'), HEALTHY, ['ibuprofen']))).toEqual(['DUPLICATE_NSAID']);
      const result = check(nsaidOrder('celecoxib'), HEALTHY, [' Naproxen', 'DICLOFENAC ', 'naproxen']);
      expect(result.refusals[0].message).toContain('already has naproxen and diclofenac active');
    });

    it('ignores non-NSAIDs and unknown codes among the active drugs', () => {
      expect(check(nsaidOrder('ibuprofen'), HEALTHY, ['paracetamol', 'gabapentin', 'oxycodone', 'constructor', '']).refusals).toEqual([]);
    });

    it('does not apply to a non-NSAID ordered alongside an NSAID', () => {
      expect(check(oral('paracetamol', 1000, 4), HEALTHY, ['ibuprofen']).refusals).toEqual([]);
    });
  });

  describe('contraindications', () => {
    const factors = [
      ['renalImpairment', 'renal impairment'],
      ['giBleedHistory', 'a history of GI bleeding or ulcer'],
      ['heartFailure', 'heart failure'],
      ['cardiacDisease', 'significant cardiac disease'],
      ['anticoagulants', 'anticoagulant use'],
    ] as const;

    it.each(NSAIDS.flatMap((drug) => factors.map(([factor, words]) => [drug, factor, words] as const)))(
      '%s with %s → NSAID_CONTRAINDICATED, overridable',
      (drug, factor, words) => {
        const result = check(nsaidOrder(drug), patientWith(factor));
        expect(result.refusals).toEqual([{ code: 'NSAID_CONTRAINDICATED', message: expect.any(String), overridable: true, field: 'drug', finding: { factors: [factor] } }]);
        expect(result.refusals[0].message).toMatch(new RegExp(`^${drug[0].toUpperCase()}${drug.slice(1)} with ${words}: NSAIDs risk `));
        expect(result.refusals[0].message).toMatch(/Prescribing it anyway needs an override reason\.$/);
      },
    );

    it('names every factor found in one refusal', () => {
      const result = check(nsaidOrder('naproxen'), patientWith(...factors.map(([f]) => f)));
      expect(result.refusals).toHaveLength(1);
      expect(result.refusals[0].message).toBe(
        'Naproxen with renal impairment, a history of GI bleeding or ulcer, heart failure, significant cardiac disease and ' +
          'anticoagulant use: NSAIDs risk kidney injury, GI bleeding, fluid retention and cardiovascular events, and add to ' +
          'the bleeding risk of anticoagulants. Prescribing it anyway needs an override reason.',
      );
    });

    it('ignores risk factors that are not NSAID contraindications', () => {
      const others = patientWith('respiratoryDisease', 'benzodiazepineUse', 'opioidInUse', 'heavyAlcoholUse');
      expect(check(nsaidOrder('ibuprofen'), others)).toMatchObject({ refusals: [], warnings: [] });
    });

    it('reports every refusal together: over the max, a duplicate and a contraindication', () => {
      const result = check(oral('ibuprofen', 400, 7), patientWith('anticoagulants'), ['diclofenac']);
      expect(result.refusals.map((r) => [r.code, r.overridable])).toEqual([
        ['MAX_DAILY_DOSE_EXCEEDED', true],
        ['DUPLICATE_NSAID', false],
        ['NSAID_CONTRAINDICATED', true],
      ]);
      expect(needsOverride(result)).toBe(false);
    });
  });
});

describe('orders that cannot be read', () => {
  it.each(['tramadol', 'oxycodone', 'aspirin', '', 'constructor', '__proto__'])('unknown drug %j → UNKNOWN_DRUG', (drug) => {
    const error = ruleErrorOf(() => check(oral(drug, 100, 1)));
    expect([error.code, error.field]).toEqual(['UNKNOWN_DRUG', 'drug']);
    expect(error.message).toContain('is not a drug of the pain plan');
  });

  it('refuses a patch unit for a tablet and a non-oral route for an oral drug', () => {
    const unit = ruleErrorOf(() => check({ ...oral('paracetamol', 1, 1), unit: 'patch' }));
    expect([unit.code, unit.field, unit.message]).toEqual(['INVALID_UNIT', 'unit', 'Paracetamol is ordered as a dose in mg, not in "patch".']);
    for (const route of ['TOPICAL', 'TRANSDERMAL'] as const) {
      const error = ruleErrorOf(() => check({ ...oral('ibuprofen', 400, 3), route }));
      expect([error.code, error.field, error.message]).toEqual(['INVALID_ROUTE', 'route', `Ibuprofen is given by the ORAL route, not "${route}".`]);
    }
  });

  it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY, 1_000_001])('dose %d → INVALID_DOSE', (dose) => {
    const error = ruleErrorOf(() => check(oral('paracetamol', dose, 1)));
    expect([error.code, error.field]).toEqual(['INVALID_DOSE', 'dose']);
  });

  it('refuses a fourth decimal', () => {
    const error = ruleErrorOf(() => check(oral('amitriptyline', 10.0005, 1)));
    expect([error.code, error.field]).toEqual(['DOSE_PRECISION', 'dose']);
  });

  it.each([0, -1, 1.5, 25, Number.NaN])('timesPerDay %d → INVALID_FREQUENCY', (timesPerDay) => {
    const error = ruleErrorOf(() => check(oral('paracetamol', 500, timesPerDay)));
    expect([error.code, error.field]).toEqual(['INVALID_FREQUENCY', 'timesPerDay']);
  });
});

describe('drug codes and arithmetic', () => {
  it('accepts any case and surrounding whitespace, returning the canonical code', () => {
    expect(check(oral('  IBUPROFEN ', 400, 3)).drug).toBe('ibuprofen');
    expect(check({ ...patches(2), drug: '\tLidocaine\n' }).drug).toBe('lidocaine');
  });

  it('computes the daily dose exactly in thousandths', () => {
    expect(check(oral('amitriptyline', 0.1, 3)).dailyDose).toBe(0.3);
    expect(check(oral('paracetamol', 333.333, 12)).dailyDose).toBe(3999.996);
    expect(check(oral('paracetamol', 0.1 + 0.2, 1)).dailyDose).toBe(0.3);
  });

  it('compares at the limit exactly: 4000.001 mg/day is over', () => {
    overMax(check(oral('paracetamol', 571.429, 7)), false, '4000.003 mg/day of paracetamol is above the 4000 mg/day limit.');
    expect(check(oral('duloxetine', 7.5, 8)).refusals).toEqual([]);
  });

  it('needs no override for an order without refusals', () => {
    expect(needsOverride(check(oral('paracetamol', 500, 2)))).toBe(false);
  });
});

describe('isGabapentinoid', () => {
  it('names gabapentin and pregabalin, whatever the case, and no other drug of the plan', () => {
    expect(['gabapentin', ' Pregabalin '].map(isGabapentinoid)).toEqual([true, true]);
    expect(Object.keys(PAIN_DRUGS).filter(isGabapentinoid)).toEqual(['gabapentin', 'pregabalin']);
    expect(isGabapentinoid('oxycodone')).toBe(false);
  });
});

describe('the most in one dose (review finding: 4 g of paracetamol in one dose was accepted)', () => {
  it.each([
    ['paracetamol', 1000],
    ['ibuprofen', 800],
    ['naproxen', 500],
    ['diclofenac', 75],
    ['celecoxib', 200],
    ['duloxetine', 60],
    ['amitriptyline', 75],
    ['nortriptyline', 75],
    ['gabapentin', 1200],
    ['pregabalin', 300],
  ] as const)('%s: %d mg a dose accepted, 0.001 mg more refused on the dose, never overridable', (drug, most) => {
    expect(PAIN_DRUGS[drug].maxSingleDose).toBe(most);
    expect(codes(check(oral(drug, most, 1)))).toEqual([]);
    const over = check(oral(drug, most + 0.001, 1));
    expect(over.refusals.filter((r) => r.code === 'MAX_SINGLE_DOSE_EXCEEDED')).toEqual([
      {
        code: 'MAX_SINGLE_DOSE_EXCEEDED',
        message: `${most + 0.001} mg of ${drug} is above its maximum of ${most} mg a dose; give it in smaller doses, more times a day.`,
        overridable: false,
        field: 'dose',
      },
    ]);
    expect(needsOverride(over)).toBe(false);
  });

  it('refuses paracetamol 4000 mg once a day, ibuprofen 2400 mg once and gabapentin 3600 mg once, though each day is within the limit', () => {
    expect(codes(check(oral('paracetamol', 4000, 1)))).toEqual(['MAX_SINGLE_DOSE_EXCEEDED']);
    expect(codes(check(oral('ibuprofen', 2400, 1)))).toEqual(['MAX_SINGLE_DOSE_EXCEEDED']);
    expect(codes(check(oral('gabapentin', 3600, 1)))).toEqual(['MAX_SINGLE_DOSE_EXCEEDED']);
  });

  it('is refused with an overridable refusal too: the override band of ibuprofen never lifts it', () => {
    const result = check(oral('ibuprofen', 1600, 2), patientWith('giBleedHistory'));
    expect(result.refusals.map((r) => [r.code, r.overridable])).toEqual([
      ['MAX_DAILY_DOSE_EXCEEDED', true],
      ['MAX_SINGLE_DOSE_EXCEEDED', false],
      ['NSAID_CONTRAINDICATED', true],
    ]);
    expect(needsOverride(result)).toBe(false);
  });
});

describe('the limit a day that applied (review finding: gabapentin at a clearance of 40 showed 3600)', () => {
  it('is the kidney row where it is lower, the drug limit otherwise', () => {
    const at40 = checkMedicationOrder(oral('gabapentin', 600, 3), HEALTHY, [], { creatinineClearance: 40 });
    expect(appliedDailyLimit(at40)).toBe(1400);
    expect(appliedDailyLimit(checkMedicationOrder(oral('gabapentin', 600, 3), HEALTHY, [], { creatinineClearance: 60 }))).toBe(3600);
    expect(appliedDailyLimit(check(oral('ibuprofen', 400, 3)))).toBe(2400);
  });

  it('for paracetamol is the patient\'s limit for every source together, whatever the other sources take', () => {
    const withCombination = checkMedicationOrder(oral('paracetamol', 900, 3), HEALTHY, [], { otherParacetamol: [{ source: 'hydrocodone IR (combination product)', dailyMg: 1300 }] });
    expect(appliedDailyLimit(withCombination)).toBe(4000);
    expect(appliedDailyLimit(check(oral('paracetamol', 500, 2), patientWith('heavyAlcoholUse')))).toBe(2000);
  });

  it('drugDailyLimit gives the same figure from the risk factors alone, naming those that lowered it', () => {
    expect(drugDailyLimit('paracetamol', {})).toEqual({ maxDaily: 4000, because: [] });
    expect(drugDailyLimit('Paracetamol', { hepaticImpairment: true, heavyAlcoholUse: true })).toEqual({ maxDaily: 2000, because: ['hepaticImpairment', 'heavyAlcoholUse'] });
    expect(drugDailyLimit('oxycodone', {})).toBeUndefined();
  });
});
