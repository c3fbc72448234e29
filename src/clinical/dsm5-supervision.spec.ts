import { describe, expect, it } from '@jest/globals';
import { type Dsm5Answers, type Dsm5Criterion, DSM5_CRITERIA, dsm5Warnings, isSupervisedUse, scoreDsm5 } from './dsm5.js';

const NONE: Dsm5Answers = Object.fromEntries(DSM5_CRITERIA.map((c) => [c, false])) as Dsm5Answers;
const answers = (...yes: Dsm5Criterion[]): Dsm5Answers => ({ ...NONE, ...Object.fromEntries(yes.map((c) => [c, true])) });
const prescribed = { drug: 'oxycodone', prescribed: true };
const street = { drug: 'Oxycodone', prescribed: false };

describe('the supervised-use exclusion needs every opioid prescribed (domain.md §4 v1.1)', () => {
  it('oxycodone not prescribed, answered "taken as prescribed": tolerance and withdrawal count → mild use disorder', () => {
    const result = scoreDsm5(answers('tolerance', 'withdrawal'), true, [street]);
    expect(result).toEqual({ criteriaMet: 2, criteriaCounted: 2, excluded: [], severity: 'MILD', classification: 'OPIOID_USE_DISORDER' });
  });

  it('every opioid prescribed and taken as prescribed: excluded as before → physical dependence', () => {
    const result = scoreDsm5(answers('tolerance', 'withdrawal'), true, [prescribed, { drug: 'morphine', prescribed: true }]);
    expect(result).toMatchObject({ criteriaCounted: 0, excluded: ['tolerance', 'withdrawal'], classification: 'PHYSICAL_DEPENDENCE' });
  });

  it('one non-prescribed opioid among prescribed ones is enough to count them', () => {
    expect(scoreDsm5(answers('tolerance', 'withdrawal', 'craving'), true, [prescribed, street])).toMatchObject({ criteriaCounted: 3, severity: 'MILD' });
  });

  it('without the opioids the answer alone decides, as before v1.1', () => {
    expect(scoreDsm5(answers('tolerance', 'withdrawal'), true).excluded).toEqual(['tolerance', 'withdrawal']);
    expect(isSupervisedUse(true)).toBe(true);
    expect(isSupervisedUse(true, [])).toBe(true);
    expect(isSupervisedUse(false, [prescribed])).toBe(false);
    expect(isSupervisedUse(true, [prescribed, street])).toBe(false);
  });
});

describe('NON_PRESCRIBED_OPIOID', () => {
  it('names each non-prescribed opioid and its field, whatever the answer to "taken as prescribed"', () => {
    const warnings = dsm5Warnings(NONE, false, [prescribed, street, { drug: 'fentanyl', prescribed: false }]);
    expect(warnings).toEqual([
      {
        code: 'NON_PRESCRIBED_OPIOID',
        message:
          'Not prescribed: oxycodone, fentanyl. Use outside medical supervision, so tolerance and withdrawal count towards a use ' +
          'disorder; offer treatment with buprenorphine or methadone, not a taper alone (CDC 2022).',
        fields: ['opioids[1].prescribed', 'opioids[2].prescribed'],
      },
    ]);
  });

  it('is absent when every opioid is prescribed', () => {
    expect(dsm5Warnings(answers('tolerance'), true, [prescribed])).toEqual([]);
  });
});

describe('INCONSISTENT_ANSWERS', () => {
  it('names largerOrLonger and the non-prescribed opioid when "taken as prescribed" is yes', () => {
    const warnings = dsm5Warnings(answers('largerOrLonger'), true, [prescribed, street]);
    expect(warnings.map((w) => w.code)).toEqual(['NON_PRESCRIBED_OPIOID', 'INCONSISTENT_ANSWERS']);
    expect(warnings[1]).toEqual({
      code: 'INCONSISTENT_ANSWERS',
      message:
        '"Taken as prescribed" (takenAsPrescribed) contradicts: taken in larger amounts or for longer than intended (largerOrLonger); ' +
        'oxycodone was not prescribed (opioids[1].prescribed). Re-ask these answers.',
      fields: ['takenAsPrescribed', 'dsm5.largerOrLonger', 'opioids[1].prescribed'],
    });
  });

  it('largerOrLonger alone contradicts it too, and the counting rule still excludes (all opioids prescribed)', () => {
    const warnings = dsm5Warnings(answers('largerOrLonger', 'tolerance'), true, [prescribed]);
    expect(warnings.map((w) => [w.code, w.fields])).toEqual([['INCONSISTENT_ANSWERS', ['takenAsPrescribed', 'dsm5.largerOrLonger']]]);
    expect(scoreDsm5(answers('largerOrLonger', 'tolerance'), true, [prescribed]).excluded).toEqual(['tolerance']);
  });

  it('is never raised when "taken as prescribed" is no', () => {
    expect(dsm5Warnings(answers('largerOrLonger'), false, [prescribed]).map((w) => w.code)).toEqual([]);
    expect(dsm5Warnings(answers('largerOrLonger'), false, [street]).map((w) => w.code)).toEqual(['NON_PRESCRIBED_OPIOID']);
  });
});
