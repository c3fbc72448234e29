import { describe, expect, it } from '@jest/globals';
import {
  CDC2022,
  computeMme,
  dailyMmeOf,
  doseUnitOf,
  FACTOR_TABLES,
  type FactorTable,
  hasMmeFactor,
  isLongActing,
  opioidUnitOf,
  type OpioidRegimen,
} from './mme.js';
import { ruleErrorOf } from '../../test/support/clinical-errors.js';

const regimen = (drug: string, dose: number, timesPerDay: number, extra: Partial<OpioidRegimen> = {}): OpioidRegimen => ({
  drug,
  formulation: 'IR',
  dose,
  unit: 'mg',
  timesPerDay,
  ...extra,
});
const patch = (drug: string, mcgPerHour: number): OpioidRegimen =>
  regimen(drug, mcgPerHour, 1, { formulation: 'TRANSDERMAL', unit: 'mcg/h' });

describe('CDC 2022 factor table', () => {
  // One row per factor of domain.md §3: [regimen, daily dose, factor, daily MME].
  const cases: [OpioidRegimen, number, number, number][] = [
    [regimen('codeine', 30, 4), 120, 0.15, 18],
    [patch('fentanyl', 25), 25, 2.4, 60],
    [regimen('hydrocodone', 5, 4), 20, 1, 20],
    [regimen('hydromorphone', 2, 4), 8, 5, 40],
    [regimen('methadone', 10, 3), 30, 4.7, 141],
    [regimen('morphine', 30, 2, { formulation: 'ER' }), 60, 1, 60],
    [regimen('oxycodone', 10, 2, { formulation: 'ER' }), 20, 1.5, 30],
    [regimen('oxymorphone', 5, 4), 20, 3, 60],
    [regimen('tapentadol', 50, 4), 200, 0.4, 80],
    [regimen('tramadol', 50, 4), 200, 0.2, 40],
  ];

  it('covers exactly the ten opioids of domain.md, buprenorphine aside', () => {
    expect(Object.keys(CDC2022.factors).sort()).toEqual(cases.map(([r]) => r.drug).sort());
    expect(CDC2022.notConverted).toEqual(['buprenorphine']);
    expect(FACTOR_TABLES.CDC2022).toBe(CDC2022);
    expect(Object.isFrozen(CDC2022.factors)).toBe(true);
  });

  it.each(cases)('%o: daily dose %d × factor %d = %d MME', (r, dailyDose, factor, mme) => {
    const result = computeMme([r]);
    expect(result.lines).toEqual([{ drug: r.drug, dailyDose, unit: r.unit, factor, dailyMme: mme, converted: true }]);
    expect(result.totalDailyMme).toBe(mme);
    expect(result.factorTable).toBe('CDC2022');
  });

  it('gives the two worked examples of the guideline', () => {
    expect(computeMme([regimen('hydrocodone', 5, 4)])).toMatchObject({ totalDailyMme: 20, longActing: false });
    expect(computeMme([regimen('oxycodone', 10, 2, { formulation: 'ER' })])).toMatchObject({ totalDailyMme: 30, longActing: true });
  });

  it('counts a 25 mcg/h fentanyl patch as 60 MME/day, dailyDose being the strength', () => {
    const result = computeMme([patch('fentanyl', 25)]);
    expect(result.lines[0]).toMatchObject({ dailyDose: 25, unit: 'mcg/h', dailyMme: 60 });
    expect(result.longActing).toBe(true);
  });
});

describe('computeMme with several opioids', () => {
  it('sums the lines into the total', () => {
    const result = computeMme([
      regimen('oxycodone', 20, 2, { formulation: 'ER' }), // 60
      regimen('oxycodone', 5, 4), // 30
      patch('fentanyl', 12), // 28.8
      regimen('tramadol', 50, 3), // 30
    ]);
    expect(result.lines.map((l) => l.dailyMme)).toEqual([60, 30, 28.8, 30]);
    expect(result.totalDailyMme).toBe(148.8);
    expect(result.longActing).toBe(true);
  });

  it('returns an empty result for no opioids', () => {
    expect(computeMme([])).toEqual({ factorTable: 'CDC2022', lines: [], totalDailyMme: 0, longActing: false, warnings: [] });
  });
});

describe('buprenorphine', () => {
  it('is accepted sublingual (IR, mg) and as a patch (mcg/h), not converted and left out of the total, with one warning', () => {
    const result = computeMme([
      regimen('morphine', 10, 3),
      regimen(' Buprenorphine', 8, 2),
      patch('buprenorphine', 10),
    ]);
    expect(result.lines.slice(1)).toEqual([
      { drug: 'buprenorphine', dailyDose: 16, unit: 'mg', factor: null, dailyMme: null, converted: false },
      { drug: 'buprenorphine', dailyDose: 10, unit: 'mcg/h', factor: null, dailyMme: null, converted: false },
    ]);
    expect(result.totalDailyMme).toBe(30);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0].code).toBe('BUPRENORPHINE_NOT_CONVERTED');
    expect(result.warnings[0].message).toMatch(/buprenorphine has no MME factor.*left out of the total/);
    expect(result.longActing).toBe(true); // the patch
  });

  it('alone gives a total of 0 with the warning, and no naloxone warning', () => {
    const result = computeMme([regimen('buprenorphine', 24, 1)]);
    expect(result.totalDailyMme).toBe(0);
    expect(result.warnings.map((w) => w.code)).toEqual(['BUPRENORPHINE_NOT_CONVERTED']);
  });

  it('has no daily MME for a taper schedule to use', () => {
    expect(ruleErrorOf(() => dailyMmeOf('buprenorphine', 'IR', 8)).code).toBe('NO_CONVERSION_FACTOR');
    expect(hasMmeFactor('buprenorphine', 'TRANSDERMAL')).toBe(false);
    expect(hasMmeFactor('oxycodone', 'ER')).toBe(true);
  });

  it('takes mg sublingually and mcg/h as a patch, and nothing else', () => {
    expect(opioidUnitOf('buprenorphine', 'IR')).toBe('mg');
    expect(opioidUnitOf('Buprenorphine', 'TRANSDERMAL')).toBe('mcg/h');
    expect(ruleErrorOf(() => computeMme([regimen('buprenorphine', 8, 1, { unit: 'mcg/h' })]))).toMatchObject({ code: 'UNIT_MISMATCH', field: 'opioids[0].unit' });
    expect(ruleErrorOf(() => computeMme([regimen('buprenorphine', 10, 1, { formulation: 'TRANSDERMAL' })]))).toMatchObject({ code: 'UNIT_MISMATCH', field: 'opioids[0].unit' });
    const extended = ruleErrorOf(() => computeMme([regimen('buprenorphine', 8, 1, { formulation: 'ER' })]));
    expect(extended).toMatchObject({ code: 'UNSUPPORTED_FORMULATION', field: 'opioids[0].formulation' });
    expect(extended.message).toBe('buprenorphine is accepted as IR in mg or TRANSDERMAL in mcg/h, not as ER.');
  });
});

describe('as-needed opioids (domain.md §3)', () => {
  it('count at the most a day they may be taken: oxycodone IR 5 mg up to 4 times a day is 30 MME', () => {
    const result = computeMme([regimen('oxycodone', 5, 4, { asNeeded: true })]);
    expect(result.lines[0]).toEqual({ drug: 'oxycodone', dailyDose: 20, unit: 'mg', factor: 1.5, dailyMme: 30, converted: true });
    expect(result.totalDailyMme).toBe(30);
  });

  it('add to the scheduled opioids: oxycodone ER 10 mg twice a day plus IR 5 mg up to 3 times = 52.5 MME', () => {
    const result = computeMme([regimen('oxycodone', 10, 2, { formulation: 'ER' }), regimen('oxycodone', 5, 3, { asNeeded: true })]);
    expect(result.totalDailyMme).toBe(52.5);
    expect(result.warnings.map((w) => w.code)).toEqual(['NALOXONE_RECOMMENDED']);
  });

  it('refuse an asNeeded that is not a yes or no', () => {
    expect(ruleErrorOf(() => computeMme([regimen('morphine', 10, 2, { asNeeded: 'yes' as never })]))).toMatchObject({
      code: 'INVALID_AS_NEEDED',
      field: 'opioids[0].asNeeded',
    });
  });
});

describe('combination products (paracetamolPerUnitMg)', () => {
  it('are accepted and counted for their opioid only: hydrocodone 5 mg + paracetamol 325 mg four times a day is 20 MME', () => {
    const result = computeMme([regimen('hydrocodone', 5, 4, { paracetamolPerUnitMg: 325 })]);
    expect(result.totalDailyMme).toBe(20);
  });

  it.each([
    ['0 mg', 0],
    ['a negative amount', -325],
    ['more than 1000 mg per unit', 1000.001],
    ['a 4th decimal', 325.0001],
    ['not a number', Number.NaN],
  ])('refuse %s of paracetamol', (_, paracetamolPerUnitMg) => {
    const error = ruleErrorOf(() => computeMme([regimen('hydrocodone', 5, 4, { paracetamolPerUnitMg })]));
    expect(error.field).toBe('opioids[0].paracetamolPerUnitMg');
    expect(['INVALID_PARACETAMOL', 'DOSE_PRECISION']).toContain(error.code);
  });

  it('accept exactly 1000 mg per unit, and refuse paracetamol on a patch', () => {
    expect(computeMme([regimen('hydrocodone', 5, 4, { paracetamolPerUnitMg: 1000 })]).totalDailyMme).toBe(20);
    const onPatch = { ...patch('fentanyl', 25), paracetamolPerUnitMg: 325 };
    expect(ruleErrorOf(() => computeMme([onPatch]))).toMatchObject({ code: 'INVALID_PARACETAMOL', field: 'opioids[0].paracetamolPerUnitMg' });
  });
});

describe('drug codes', () => {
  it('match case-insensitively after trimming and report the canonical code', () => {
    const result = computeMme([regimen('  OxyCODONE\t', 10, 2)]);
    expect(result.lines[0]).toMatchObject({ drug: 'oxycodone', dailyMme: 30 });
  });

  it.each(['kratom', 'oxycodeine', '', '   ', 'constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'refuse the unknown drug %j with its field, never as 0',
    (drug) => {
      const error = ruleErrorOf(() => computeMme([regimen('morphine', 10, 1), regimen(drug, 10, 1)]));
      expect(error).toMatchObject({ code: 'UNKNOWN_OPIOID', field: 'opioids[1].drug' });
      expect(error.message).toMatch(/never counted as 0/);
    },
  );

  it('refuse unknown drugs in dailyMmeOf as well', () => {
    expect(ruleErrorOf(() => dailyMmeOf('heroin', 'IR', 10))).toMatchObject({ code: 'UNKNOWN_OPIOID', field: 'drug' });
  });
});

describe('units, formulations and frequency', () => {
  it('refuse fentanyl other than as a patch: the table has no factor for it', () => {
    const error = ruleErrorOf(() => computeMme([regimen('fentanyl', 100, 4, { unit: 'mcg/h' })]));
    expect(error).toMatchObject({ code: 'NO_CONVERSION_FACTOR', field: 'opioids[0].formulation' });
  });

  it('refuse a patch of a drug that has no patch factor', () => {
    expect(ruleErrorOf(() => computeMme([patch('morphine', 25)]))).toMatchObject({ code: 'NO_CONVERSION_FACTOR', field: 'opioids[0].formulation' });
  });

  it('refuse mg for a fentanyl patch and mcg/h for a tablet', () => {
    const mgPatch = regimen('fentanyl', 25, 1, { formulation: 'TRANSDERMAL' });
    expect(ruleErrorOf(() => computeMme([mgPatch]))).toMatchObject({ code: 'UNIT_MISMATCH', field: 'opioids[0].unit' });
    const rateTablet = regimen('oxycodone', 10, 2, { unit: 'mcg/h' });
    expect(ruleErrorOf(() => computeMme([regimen('codeine', 1, 1), rateTablet]))).toMatchObject({ code: 'UNIT_MISMATCH', field: 'opioids[1].unit' });
  });

  it('refuse a patch applied more than once a day', () => {
    const error = ruleErrorOf(() => computeMme([{ ...patch('fentanyl', 25), timesPerDay: 3 }]));
    expect(error).toMatchObject({ code: 'UNIT_MISMATCH', field: 'opioids[0].timesPerDay' });
    expect(ruleErrorOf(() => computeMme([{ ...patch('buprenorphine', 5), timesPerDay: 2 }])).field).toBe('opioids[0].timesPerDay');
  });

  it.each([0, 25, 1.5, Number.NaN])('refuse timesPerDay %d', (timesPerDay) => {
    expect(ruleErrorOf(() => computeMme([regimen('morphine', 10, timesPerDay)]))).toMatchObject({
      code: 'INVALID_FREQUENCY',
      field: 'opioids[0].timesPerDay',
    });
  });

  it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY, 1_000_001])('refuse the dose %d', (dose) => {
    expect(ruleErrorOf(() => computeMme([regimen('morphine', dose, 1)]))).toMatchObject({ code: 'INVALID_DOSE', field: 'opioids[0].dose' });
  });

  it('refuse a 4th decimal rather than round it', () => {
    expect(ruleErrorOf(() => computeMme([regimen('morphine', 1.0005, 1)]))).toMatchObject({ code: 'DOSE_PRECISION', field: 'opioids[0].dose' });
  });

  it('tell the dose unit a drug is given in', () => {
    expect(doseUnitOf('Fentanyl', 'TRANSDERMAL')).toBe('mcg/h');
    expect(doseUnitOf('oxycodone', 'ER')).toBe('mg');
    expect(doseUnitOf('buprenorphine', 'IR')).toBeNull();
  });
});

describe('naloxone warning (CDC 2022: 50 MME/day)', () => {
  it('is absent at 49.99 and present at exactly 50', () => {
    expect(computeMme([regimen('morphine', 49.99, 1)]).warnings).toEqual([]);
    const warnings = computeMme([regimen('morphine', 25, 2)]).warnings;
    expect(warnings).toEqual([{ code: 'NALOXONE_RECOMMENDED', message: expect.stringMatching(/^Total 50 MME\/day .*naloxone/) }]);
  });

  it('looks at the total, not at one opioid', () => {
    const codes = computeMme([regimen('morphine', 20, 1), regimen('oxycodone', 20, 1)]).warnings.map((w) => w.code);
    expect(codes).toEqual(['NALOXONE_RECOMMENDED']); // 20 + 30
  });
});

describe('long-acting detection', () => {
  it.each([
    [{ drug: 'oxycodone', formulation: 'ER' }, true],
    [{ drug: 'fentanyl', formulation: 'TRANSDERMAL' }, true],
    [{ drug: 'buprenorphine', formulation: 'TRANSDERMAL' }, true],
    [{ drug: 'methadone', formulation: 'IR' }, true],
    [{ drug: ' Methadone ', formulation: 'IR' }, true],
    [{ drug: 'oxycodone', formulation: 'IR' }, false],
    [{ drug: 'morphine', formulation: 'IR' }, false],
  ] as const)('%o → %s', (r, expected) => {
    expect(isLongActing(r)).toBe(expected);
  });

  it('marks the whole result long-acting when any one opioid is', () => {
    expect(computeMme([regimen('oxycodone', 5, 4), regimen('methadone', 5, 2)]).longActing).toBe(true);
    expect(computeMme([regimen('oxycodone', 5, 4), regimen('tramadol', 50, 2)]).longActing).toBe(false);
  });
});

describe('exact arithmetic', () => {
  it('gives codeine 30 mg × 4 as exactly 18', () => {
    expect(computeMme([regimen('codeine', 30, 4)]).totalDailyMme).toBe(18);
  });

  it('avoids the binary errors of naive multiplication (why the integers)', () => {
    expect(2.4 * 12).toBe(28.799999999999997);
    expect(computeMme([patch('fentanyl', 12)]).totalDailyMme).toBe(28.8);
    expect(0.7 * 3 * 0.2).toBe(0.41999999999999993);
    expect(computeMme([regimen('tramadol', 0.7, 3)]).totalDailyMme).toBe(0.42);
    expect(1.5 * 0.1 + 1.5 * 0.2).toBe(0.45000000000000007);
    expect(computeMme([regimen('oxycodone', 0.1, 1), regimen('oxycodone', 0.2, 1)]).totalDailyMme).toBe(0.45);
  });

  it('keeps decimal doses and sums exact', () => {
    expect(computeMme([regimen('morphine', 0.1, 3)]).lines[0]).toMatchObject({ dailyDose: 0.3, dailyMme: 0.3 });
    expect(computeMme([regimen('methadone', 2.5, 3)]).totalDailyMme).toBe(35.25);
    expect(computeMme([regimen('codeine', 0.001, 1)]).totalDailyMme).toBe(0.00015);
    expect(computeMme([regimen('hydromorphone', 0.3, 3)]).totalDailyMme).toBe(4.5);
  });

  it('accepts binary noise such as 0.1 + 0.2 as the 3-decimal dose it stands for', () => {
    expect(computeMme([regimen('morphine', 0.1 + 0.2, 1)]).totalDailyMme).toBe(0.3);
  });

  it('gives one daily dose for taper schedules, including a zero dose', () => {
    expect(dailyMmeOf('methadone', 'ER', 20)).toBe(94);
    expect(dailyMmeOf('fentanyl', 'TRANSDERMAL', 37.5)).toBe(90);
    expect(dailyMmeOf('codeine', 'IR', 0)).toBe(0);
    expect(ruleErrorOf(() => dailyMmeOf('codeine', 'IR', -1))).toMatchObject({ code: 'INVALID_DOSE', field: 'dailyDose' });
  });

  it('refuses a factor table it could not compute exactly', () => {
    const table: FactorTable = { version: 'CDC2022', factors: { oddone: [{ factor: 0.125, unit: 'mg', formulations: ['IR'] }] }, notConverted: [] };
    expect(ruleErrorOf(() => computeMme([regimen('oddone', 1, 1)], table)).code).toBe('INVALID_FACTOR_TABLE');
  });
});
