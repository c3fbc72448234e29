import { describe, expect, it } from '@jest/globals';
import { type Dsm5Answers, type Dsm5Criterion, DSM5_CRITERIA, describeClassification, scoreDsm5 } from './dsm5.js';

const NONE: Dsm5Answers = Object.fromEntries(DSM5_CRITERIA.map((c) => [c, false])) as Dsm5Answers;
const answers = (...yes: Dsm5Criterion[]): Dsm5Answers => ({ ...NONE, ...Object.fromEntries(yes.map((c) => [c, true])) });
/** The nine behavioural criteria, in order. */
const BEHAVIOURAL = DSM5_CRITERIA.filter((c) => c !== 'tolerance' && c !== 'withdrawal');

describe('scoreDsm5', () => {
  it('finds nothing when no criterion is met', () => {
    expect(scoreDsm5(NONE, true)).toEqual({
      criteriaMet: 0,
      criteriaCounted: 0,
      excluded: [],
      severity: 'NONE',
      classification: 'NO_DEPENDENCE_FOUND',
    });
  });

  it.each([
    [1, 'NONE', 'NO_DEPENDENCE_FOUND'],
    [2, 'MILD', 'OPIOID_USE_DISORDER'],
    [3, 'MILD', 'OPIOID_USE_DISORDER'],
    [4, 'MODERATE', 'OPIOID_USE_DISORDER'],
    [5, 'MODERATE', 'OPIOID_USE_DISORDER'],
    [6, 'SEVERE', 'OPIOID_USE_DISORDER'],
    [9, 'SEVERE', 'OPIOID_USE_DISORDER'],
  ])('counts %d behavioural criteria as %s, %s', (n, severity, classification) => {
    const result = scoreDsm5(answers(...BEHAVIOURAL.slice(0, n)), true);
    expect(result).toEqual({ criteriaMet: n, criteriaCounted: n, excluded: [], severity, classification });
  });

  it('under supervision leaves out tolerance and withdrawal: physical dependence, not a use disorder', () => {
    const result = scoreDsm5(answers('tolerance', 'withdrawal', 'craving'), true);
    expect(result).toEqual({
      criteriaMet: 3,
      criteriaCounted: 1,
      excluded: ['tolerance', 'withdrawal'],
      severity: 'NONE',
      classification: 'PHYSICAL_DEPENDENCE',
    });
  });

  it('without supervision counts them: the same answers are a mild use disorder', () => {
    const result = scoreDsm5(answers('tolerance', 'withdrawal', 'craving'), false);
    expect(result).toEqual({
      criteriaMet: 3,
      criteriaCounted: 3,
      excluded: [],
      severity: 'MILD',
      classification: 'OPIOID_USE_DISORDER',
    });
  });

  it('lists only the physiological criteria that were actually answered yes', () => {
    expect(scoreDsm5(answers('withdrawal'), true)).toMatchObject({ excluded: ['withdrawal'], criteriaCounted: 0, classification: 'PHYSICAL_DEPENDENCE' });
    expect(scoreDsm5(answers('tolerance'), false)).toMatchObject({ excluded: [], criteriaCounted: 1, classification: 'PHYSICAL_DEPENDENCE' });
  });

  it('reaches moderate under supervision only on behavioural criteria (4 of them plus both physiological)', () => {
    const result = scoreDsm5(answers('tolerance', 'withdrawal', ...BEHAVIOURAL.slice(0, 4)), true);
    expect(result).toMatchObject({ criteriaMet: 6, criteriaCounted: 4, severity: 'MODERATE' });
    expect(scoreDsm5(answers('tolerance', 'withdrawal', ...BEHAVIOURAL.slice(0, 4)), false).severity).toBe('SEVERE');
  });
});

describe('describeClassification', () => {
  it('calls dependence alone an expected effect of treatment, not a use disorder', () => {
    const text = describeClassification(scoreDsm5(answers('tolerance', 'withdrawal', 'craving'), true));
    expect(text).toBe(
      'Physical dependence: tolerance and/or withdrawal, an expected effect of long-term opioid treatment. ' +
        'This is not an opioid use disorder (1 of 11 DSM-5 criteria counted; tolerance and withdrawal not counted ' +
        'because the opioids were taken as prescribed under medical supervision; a use disorder needs at least 2).',
    );
  });

  it('names the severity of a use disorder', () => {
    expect(describeClassification(scoreDsm5(answers(...BEHAVIOURAL.slice(0, 4)), false))).toBe(
      'Opioid use disorder, moderate (4 of 11 DSM-5 criteria counted).',
    );
    expect(describeClassification(scoreDsm5(answers(...BEHAVIOURAL.slice(0, 2)), true))).toMatch(/^Opioid use disorder, mild/);
    expect(describeClassification(scoreDsm5(answers(...BEHAVIOURAL), true))).toMatch(/^Opioid use disorder, severe/);
  });

  it('reports nothing found in plain words', () => {
    expect(describeClassification(scoreDsm5(NONE, false))).toBe(
      'No physical dependence or opioid use disorder found (0 of 11 DSM-5 criteria counted).',
    );
  });
});

describe('every one of the 2^11 × 2 answer sets', () => {
  const all: [Dsm5Answers, boolean][] = [];
  for (let mask = 0; mask < 1 << DSM5_CRITERIA.length; mask++) {
    const a = Object.fromEntries(DSM5_CRITERIA.map((c, bit) => [c, (mask & (1 << bit)) !== 0])) as Dsm5Answers;
    all.push([a, true], [a, false]);
  }

  it('keeps the counting, severity and classification rules of domain.md §4', () => {
    const expectedSeverity = (n: number): string => (n >= 6 ? 'SEVERE' : n >= 4 ? 'MODERATE' : n >= 2 ? 'MILD' : 'NONE');
    for (const [a, supervised] of all) {
      const r = scoreDsm5(a, supervised);
      const met = DSM5_CRITERIA.filter((c) => a[c]).length;
      const physiological = a.tolerance || a.withdrawal;
      expect(r.criteriaMet).toBe(met);
      expect(r.criteriaCounted).toBe(met - r.excluded.length);
      expect(r.criteriaCounted).toBeLessThanOrEqual(r.criteriaMet);
      expect(r.excluded).toEqual(supervised ? (['tolerance', 'withdrawal'] as const).filter((c) => a[c]) : []);
      expect(r.severity).toBe(expectedSeverity(r.criteriaCounted));
      const expected = r.criteriaCounted >= 2 ? 'OPIOID_USE_DISORDER' : physiological ? 'PHYSICAL_DEPENDENCE' : 'NO_DEPENDENCE_FOUND';
      expect(r.classification).toBe(expected);
    }
  });

  it('never words a summary with "addict"', () => {
    const texts = new Set(all.map(([a, supervised]) => describeClassification(scoreDsm5(a, supervised))));
    for (const text of texts) expect(text).not.toMatch(/addict/i);
    expect(texts.size).toBeGreaterThan(10);
  });
});
