import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ClinicalRuleError } from './clinical-error.js';
import {
  DEFAULT_TRIAGE_THRESHOLDS as DEFAULTS,
  type Pathway,
  triage,
  type TriageInput,
  type TriageThresholds,
  validateThresholds,
} from './triage.js';

/** Fits the outpatient pathway under the default thresholds; each test changes what it needs. */
const BASE: TriageInput = {
  totalDailyMme: 40,
  longActing: false,
  painScore: 4,
  medical: {
    cardiacDisease: false,
    respiratoryDisease: false,
    pregnant: false,
    benzodiazepineUse: false,
    seizureHistory: false,
    complicatedWithdrawalHistory: false,
  },
  social: { prescriberWillingToTaper: true, stableHousehold: true, failedHomeTaperAttempts: 0 },
};

const input = (
  top: Partial<Omit<TriageInput, 'medical' | 'social'>> = {},
  medical: Partial<TriageInput['medical']> = {},
  social: Partial<TriageInput['social']> = {},
): TriageInput => ({ ...BASE, ...top, medical: { ...BASE.medical, ...medical }, social: { ...BASE.social, ...social } });

const codes = (i: TriageInput, t: TriageThresholds = DEFAULTS): string[] => triage(i, t).reasons.map((r) => r.code);

describe('defaults', () => {
  it('are those of domain.md and valid', () => {
    expect(DEFAULTS).toEqual({ highDoseMme: 90, veryHighMme: 200, outpatientMaxPainScore: 7 });
    expect(validateThresholds(DEFAULTS)).toEqual([]);
  });
});

describe('outpatient taper', () => {
  it('is chosen when every condition holds, each listed with its inputs', () => {
    expect(triage(BASE, DEFAULTS)).toEqual({
      pathway: 'OUTPATIENT_TAPER',
      reasons: [
        { code: 'PRESCRIBER_WILLING', message: 'The prescriber is willing to taper.', inputs: { prescriberWillingToTaper: true } },
        { code: 'STABLE_HOUSEHOLD', message: 'The household is stable.', inputs: { stableHousehold: true } },
        { code: 'NO_FAILED_HOME_TAPER', message: 'No failed home taper attempt.', inputs: { failedHomeTaperAttempts: 0 } },
        { code: 'NO_LONG_ACTING', message: 'No long-acting opioid.', inputs: { longActing: false } },
        {
          code: 'BELOW_HIGH_DOSE',
          message: 'Total 40 MME/day is below the high-dose line of 90.',
          inputs: { totalDailyMme: 40, highDoseMme: 90 },
        },
        {
          code: 'PAIN_BELOW_LIMIT',
          message: 'Pain score 4 is below the outpatient limit of 7.',
          inputs: { painScore: 4, outpatientMaxPainScore: 7 },
        },
        { code: 'NO_BENZODIAZEPINE', message: 'No benzodiazepine co-use.', inputs: { benzodiazepineUse: false } },
      ],
    });
  });
});

describe('hospital detox first, each rule on its own', () => {
  it.each([
    ['CARDIAC_DISEASE', input({}, { cardiacDisease: true }), { cardiacDisease: true }],
    ['RESPIRATORY_DISEASE', input({}, { respiratoryDisease: true }), { respiratoryDisease: true }],
    ['PREGNANCY', input({}, { pregnant: true }), { pregnant: true }],
    ['VERY_HIGH_DOSE', input({ totalDailyMme: 240 }), { totalDailyMme: 240, veryHighMme: 200 }],
    ['LONG_ACTING_HIGH_DOSE', input({ totalDailyMme: 120, longActing: true }), { longActing: true, totalDailyMme: 120, highDoseMme: 90 }],
    [
      'BENZODIAZEPINE_HIGH_DOSE',
      input({ totalDailyMme: 120 }, { benzodiazepineUse: true }),
      { benzodiazepineUse: true, totalDailyMme: 120, highDoseMme: 90 },
    ],
    ['SEIZURE_OR_COMPLICATED_WITHDRAWAL', input({}, { seizureHistory: true }), { seizureHistory: true, complicatedWithdrawalHistory: false }],
    [
      'SEIZURE_OR_COMPLICATED_WITHDRAWAL',
      input({}, { complicatedWithdrawalHistory: true }),
      { seizureHistory: false, complicatedWithdrawalHistory: true },
    ],
  ])('%s', (code, i, inputs) => {
    const outcome = triage(i, DEFAULTS);
    expect(outcome.pathway).toBe('HOSPITAL_DETOX_FIRST');
    expect(outcome.reasons).toEqual([{ code, message: expect.any(String), inputs }]);
  });

  it('words the reasons for a clinician', () => {
    const [veryHigh] = triage(input({ totalDailyMme: 240 }), DEFAULTS).reasons;
    expect(veryHigh.message).toBe('Total 240 MME/day is at or above the very-high-dose line of 200.');
    const [longActing] = triage(input({ totalDailyMme: 120, longActing: true }), DEFAULTS).reasons;
    expect(longActing.message).toBe('A long-acting opioid with a total of 120 MME/day, at or above the high-dose line of 90.');
    const [history] = triage(input({}, { seizureHistory: true, complicatedWithdrawalHistory: true }), DEFAULTS).reasons;
    expect(history.message).toBe('History of seizures and severe complicated withdrawal: withdrawal should start under hospital monitoring.');
  });

  it('lists every hospital rule that fired, in rule order, and no outpatient reasons', () => {
    const all = input(
      { totalDailyMme: 240, longActing: true, painScore: 9 },
      { cardiacDisease: true, respiratoryDisease: true, pregnant: true, benzodiazepineUse: true, seizureHistory: true },
      { prescriberWillingToTaper: false },
    );
    expect(codes(all)).toEqual([
      'CARDIAC_DISEASE',
      'RESPIRATORY_DISEASE',
      'PREGNANCY',
      'VERY_HIGH_DOSE',
      'LONG_ACTING_HIGH_DOSE',
      'BENZODIAZEPINE_HIGH_DOSE',
      'SEIZURE_OR_COMPLICATED_WITHDRAWAL',
    ]);
  });

  it('goes to hospital over an otherwise perfect outpatient profile', () => {
    expect(triage(input({}, { pregnant: true }), DEFAULTS).pathway).toBe('HOSPITAL_DETOX_FIRST');
  });
});

describe('at and just below each threshold', () => {
  it('very high dose: 200 is hospital, 199.99 is not by that rule', () => {
    expect(codes(input({ totalDailyMme: 200 }))).toEqual(['VERY_HIGH_DOSE']);
    expect(triage(input({ totalDailyMme: 199.99 }), DEFAULTS)).toEqual({
      pathway: 'ONSITE_TAPER',
      reasons: [
        {
          code: 'AT_OR_ABOVE_HIGH_DOSE',
          message: 'Total 199.99 MME/day is at or above the high-dose line of 90.',
          inputs: { totalDailyMme: 199.99, highDoseMme: 90 },
        },
      ],
    });
  });

  it('long-acting: 90 is hospital, 89.99 is on-site because long-acting rules out outpatient', () => {
    expect(codes(input({ totalDailyMme: 90, longActing: true }))).toEqual(['LONG_ACTING_HIGH_DOSE']);
    const below = triage(input({ totalDailyMme: 89.99, longActing: true }), DEFAULTS);
    expect(below).toEqual({
      pathway: 'ONSITE_TAPER',
      reasons: [{ code: 'LONG_ACTING', message: 'A long-acting opioid is in use.', inputs: { longActing: true } }],
    });
  });

  it('benzodiazepine: 90 is hospital, 89.99 on-site (v1.1: co-use at any dose bars outpatient)', () => {
    expect(codes(input({ totalDailyMme: 90 }, { benzodiazepineUse: true }))).toEqual(['BENZODIAZEPINE_HIGH_DOSE']);
    expect(triage(input({ totalDailyMme: 89.99 }, { benzodiazepineUse: true }), DEFAULTS)).toMatchObject({
      pathway: 'ONSITE_TAPER',
      reasons: [{ code: 'BENZODIAZEPINE_CO_USE', inputs: { benzodiazepineUse: true } }],
    });
  });

  it('high dose without long-acting or benzodiazepine: 90 is on-site, 89.99 outpatient', () => {
    expect(triage(input({ totalDailyMme: 90 }), DEFAULTS)).toMatchObject({ pathway: 'ONSITE_TAPER', reasons: [{ code: 'AT_OR_ABOVE_HIGH_DOSE' }] });
    expect(triage(input({ totalDailyMme: 89.99 }), DEFAULTS).pathway).toBe('OUTPATIENT_TAPER');
  });

  it('pain: 7 is on-site, 6 outpatient', () => {
    expect(triage(input({ painScore: 7 }), DEFAULTS)).toEqual({
      pathway: 'ONSITE_TAPER',
      reasons: [
        {
          code: 'PAIN_AT_OR_ABOVE_LIMIT',
          message: 'Pain score 7 is at or above the outpatient limit of 7.',
          inputs: { painScore: 7, outpatientMaxPainScore: 7 },
        },
      ],
    });
    expect(triage(input({ painScore: 6 }), DEFAULTS).pathway).toBe('OUTPATIENT_TAPER');
  });
});

describe('on-site taper', () => {
  it.each([
    ['PRESCRIBER_NOT_WILLING', input({}, {}, { prescriberWillingToTaper: false }), { prescriberWillingToTaper: false }],
    ['UNSTABLE_HOUSEHOLD', input({}, {}, { stableHousehold: false }), { stableHousehold: false }],
    ['FAILED_HOME_TAPER', input({}, {}, { failedHomeTaperAttempts: 1 }), { failedHomeTaperAttempts: 1 }],
    ['LONG_ACTING', input({ longActing: true }), { longActing: true }],
    ['AT_OR_ABOVE_HIGH_DOSE', input({ totalDailyMme: 150 }), { totalDailyMme: 150, highDoseMme: 90 }],
    ['PAIN_AT_OR_ABOVE_LIMIT', input({ painScore: 10 }), { painScore: 10, outpatientMaxPainScore: 7 }],
    ['BENZODIAZEPINE_CO_USE', input({}, { benzodiazepineUse: true }), { benzodiazepineUse: true }],
  ])('is chosen when only %s stands in the way of outpatient', (code, i, inputs) => {
    expect(triage(i, DEFAULTS)).toEqual({ pathway: 'ONSITE_TAPER', reasons: [{ code, message: expect.any(String), inputs }] });
  });

  it('lists every outpatient condition that was not met', () => {
    const i = input(
      { totalDailyMme: 120, longActing: false, painScore: 8 },
      {},
      { prescriberWillingToTaper: false, stableHousehold: false, failedHomeTaperAttempts: 2 },
    );
    expect(codes(i)).toEqual(['PRESCRIBER_NOT_WILLING', 'UNSTABLE_HOUSEHOLD', 'FAILED_HOME_TAPER', 'AT_OR_ABOVE_HIGH_DOSE', 'PAIN_AT_OR_ABOVE_LIMIT']);
    expect(triage(i, DEFAULTS).reasons[2].message).toBe('Failed home taper attempts: 2.');
  });
});

describe('custom thresholds', () => {
  const strict: TriageThresholds = { highDoseMme: 60, veryHighMme: 120, outpatientMaxPainScore: 5 };

  it('change the outcome of the same patient', () => {
    const longActing60 = input({ totalDailyMme: 60, longActing: true });
    expect(triage(longActing60, DEFAULTS).pathway).toBe('ONSITE_TAPER');
    expect(triage(longActing60, strict).reasons).toEqual([
      { code: 'LONG_ACTING_HIGH_DOSE', message: expect.any(String), inputs: { longActing: true, totalDailyMme: 60, highDoseMme: 60 } },
    ]);
    expect(codes(input({ totalDailyMme: 150 }), strict)).toEqual(['VERY_HIGH_DOSE']);
    expect(triage(input({ painScore: 5 }), DEFAULTS).pathway).toBe('OUTPATIENT_TAPER');
    expect(triage(input({ painScore: 5 }), strict).pathway).toBe('ONSITE_TAPER');
  });

  it('are quoted in the messages', () => {
    expect(triage(input({ totalDailyMme: 130 }), strict).reasons[0].message).toBe(
      'Total 130 MME/day is at or above the very-high-dose line of 120.',
    );
  });
});

describe('validation', () => {
  it.each([
    [{ highDoseMme: 90, veryHighMme: 90, outpatientMaxPainScore: 7 }, ['veryHighMme (90) must exceed highDoseMme (90).']],
    [{ highDoseMme: 200, veryHighMme: 90, outpatientMaxPainScore: 7 }, ['veryHighMme (90) must exceed highDoseMme (200).']],
    [{ highDoseMme: 0, veryHighMme: 200, outpatientMaxPainScore: 7 }, ['highDoseMme must be a number greater than 0.']],
    [{ highDoseMme: 90, veryHighMme: Number.NaN, outpatientMaxPainScore: 7 }, ['veryHighMme must be a number greater than 0.']],
    [{ highDoseMme: 90, veryHighMme: 200, outpatientMaxPainScore: 0 }, ['outpatientMaxPainScore must be a whole number from 1 to 10.']],
    [{ highDoseMme: 90, veryHighMme: 200, outpatientMaxPainScore: 11 }, ['outpatientMaxPainScore must be a whole number from 1 to 10.']],
    [{ highDoseMme: 90, veryHighMme: 200, outpatientMaxPainScore: 6.5 }, ['outpatientMaxPainScore must be a whole number from 1 to 10.']],
  ])('finds the problems of %o', (t, problems) => {
    expect(validateThresholds(t)).toEqual(problems);
    expect(() => triage(BASE, t)).toThrow(problems[0]);
    expect(() => triage(BASE, t)).toThrow(ClinicalRuleError);
  });

  it.each([
    input({ totalDailyMme: Number.NaN }),
    input({ totalDailyMme: -1 }),
    input({ painScore: 11 }),
    input({}, {}, { failedHomeTaperAttempts: -1 }),
    input({}, {}, { failedHomeTaperAttempts: 0.5 }),
  ])('refuses an input the rules cannot judge: %o', (i) => {
    let thrown: unknown;
    try {
      triage(i, DEFAULTS);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ClinicalRuleError);
    expect(thrown).toMatchObject({ code: 'INVALID_TRIAGE_INPUT', message: expect.stringMatching(/must be/) });
  });
});

describe('triage is total (fast-check)', () => {
  const thresholdsArb = fc
    .record({ high: fc.integer({ min: 1, max: 30_000 }), gap: fc.integer({ min: 1, max: 30_000 }), pain: fc.integer({ min: 1, max: 10 }) })
    .map(({ high, gap, pain }): TriageThresholds => ({ highDoseMme: high / 100, veryHighMme: (high + gap) / 100, outpatientMaxPainScore: pain }));

  /** Risk flags true one time in five, so every pathway comes up often enough. */
  const rarely = fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });

  const inputArb = (t: TriageThresholds): fc.Arbitrary<TriageInput> =>
    fc.record({
      // Half the totals sit on or next to a threshold, where mistakes hide.
      totalDailyMme: fc.oneof(
        fc.integer({ min: 0, max: 80_000 }).map((n) => n / 100),
        fc.constantFrom(t.highDoseMme, t.veryHighMme, Math.max(0, t.highDoseMme - 0.01), t.veryHighMme - 0.01),
      ),
      longActing: fc.boolean(),
      painScore: fc.integer({ min: 0, max: 10 }),
      medical: fc.record({
        cardiacDisease: rarely,
        respiratoryDisease: rarely,
        pregnant: rarely,
        benzodiazepineUse: fc.boolean(),
        seizureHistory: rarely,
        complicatedWithdrawalHistory: rarely,
      }),
      social: fc.record({
        prescriberWillingToTaper: rarely.map((b) => !b),
        stableHousehold: rarely.map((b) => !b),
        failedHomeTaperAttempts: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }) }),
      }),
      // v1.1 inputs, sometimes left out as by callers written before them.
      opioids: fc.option(fc.array(fc.record({ drug: fc.constantFrom('oxycodone', 'buprenorphine'), prescribed: rarely.map((b) => !b), converted: rarely.map((b) => !b) }), { maxLength: 3 }), { nil: undefined }),
      useDisorderSeverity: fc.option(fc.constantFrom('NONE' as const, 'NONE' as const, 'MILD' as const, 'MODERATE' as const, 'SEVERE' as const), { nil: undefined }),
    });

  /** domain.md §6 rule 1, written out independently of the implementation. */
  const needsHospital = (i: TriageInput, t: TriageThresholds): boolean =>
    i.medical.cardiacDisease ||
    i.medical.respiratoryDisease ||
    i.medical.pregnant ||
    i.totalDailyMme >= t.veryHighMme ||
    (i.longActing && i.totalDailyMme >= t.highDoseMme) ||
    (i.medical.benzodiazepineUse && i.totalDailyMme >= t.highDoseMme) ||
    i.medical.seizureHistory ||
    i.medical.complicatedWithdrawalHistory;

  const fitsOutpatient = (i: TriageInput, t: TriageThresholds): boolean =>
    i.social.prescriberWillingToTaper &&
    i.social.stableHousehold &&
    i.social.failedHomeTaperAttempts === 0 &&
    !i.longActing &&
    i.totalDailyMme < t.highDoseMme &&
    i.painScore < t.outpatientMaxPainScore &&
    !i.medical.benzodiazepineUse &&
    (i.opioids ?? []).every((o) => o.prescribed && o.converted) &&
    i.useDisorderSeverity !== 'MODERATE' &&
    i.useDisorderSeverity !== 'SEVERE';

  const offersOudTreatment = (i: TriageInput): boolean =>
    (i.opioids ?? []).some((o) => !o.prescribed) || (i.useDisorderSeverity !== undefined && i.useDisorderSeverity !== 'NONE');

  it('gives every valid input exactly one pathway with reasons, hospital iff a hospital rule holds', () => {
    const arb = thresholdsArb.chain((t) => fc.tuple(fc.constant(t), inputArb(t)));
    const seen = new Set<Pathway>();
    fc.assert(
      fc.property(arb, ([t, i]) => {
        const { pathway, reasons } = triage(i, t);
        const expected: Pathway = needsHospital(i, t) ? 'HOSPITAL_DETOX_FIRST' : fitsOutpatient(i, t) ? 'OUTPATIENT_TAPER' : 'ONSITE_TAPER';
        expect(pathway).toBe(expected);
        seen.add(pathway);
        expect(reasons.length).toBeGreaterThan(0);
        expect(new Set(reasons.map((r) => r.code)).size).toBe(reasons.length);
        for (const r of reasons) expect(Object.keys(r.inputs).length).toBeGreaterThan(0);
        const offered = offersOudTreatment(i);
        expect(reasons.some((r) => r.code === 'OFFER_OUD_TREATMENT')).toBe(offered);
        const v11 = (i.opioids ? 2 : 0) + (i.useDisorderSeverity !== undefined ? 1 : 0);
        if (pathway === 'OUTPATIENT_TAPER') expect(reasons).toHaveLength(7 + v11 + (offered ? 1 : 0));
      }),
      { numRuns: 2000 },
    );
    expect([...seen].sort()).toEqual(['HOSPITAL_DETOX_FIRST', 'ONSITE_TAPER', 'OUTPATIENT_TAPER']);
  });
});
