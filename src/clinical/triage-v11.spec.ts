import { describe, expect, it } from '@jest/globals';
import { DEFAULT_TRIAGE_THRESHOLDS as DEFAULTS, triage, type TriageInput, type TriageOpioid } from './triage.js';

const oxycodone: TriageOpioid = { drug: 'oxycodone', prescribed: true, converted: true };
const streetOxycodone: TriageOpioid = { drug: 'oxycodone', prescribed: false, converted: true };
const buprenorphine: TriageOpioid = { drug: 'buprenorphine', prescribed: true, converted: false };

/** Fits every outpatient condition of domain.md §6 v1.1; each test changes what it needs. */
const BASE: TriageInput = {
  totalDailyMme: 30,
  longActing: false,
  painScore: 4,
  medical: { cardiacDisease: false, respiratoryDisease: false, pregnant: false, benzodiazepineUse: false, seizureHistory: false, complicatedWithdrawalHistory: false },
  social: { prescriberWillingToTaper: true, stableHousehold: true, failedHomeTaperAttempts: 0 },
  opioids: [oxycodone],
  useDisorderSeverity: 'NONE',
};
const input = (top: Partial<TriageInput> = {}, medical: Partial<TriageInput['medical']> = {}): TriageInput => ({ ...BASE, ...top, medical: { ...BASE.medical, ...medical } });
const codes = (i: TriageInput): string[] => triage(i, DEFAULTS).reasons.map((r) => r.code);

describe('outpatient, v1.1: every condition listed', () => {
  it('a prescribed oxycodone patient at 30 MME without a use disorder: outpatient, ten conditions met', () => {
    const outcome = triage(BASE, DEFAULTS);
    expect(outcome.pathway).toBe('OUTPATIENT_TAPER');
    expect(outcome.reasons.map((r) => r.code)).toEqual([
      'PRESCRIBER_WILLING', 'STABLE_HOUSEHOLD', 'NO_FAILED_HOME_TAPER', 'NO_LONG_ACTING', 'BELOW_HIGH_DOSE', 'PAIN_BELOW_LIMIT',
      'NO_BENZODIAZEPINE', 'ALL_OPIOIDS_PRESCRIBED', 'NO_MODERATE_OR_SEVERE_OUD', 'MME_KNOWN',
    ]);
    expect(outcome.reasons.slice(7)).toEqual([
      { code: 'ALL_OPIOIDS_PRESCRIBED', message: 'Every opioid is prescribed.', inputs: { nonPrescribedOpioids: '' } },
      { code: 'NO_MODERATE_OR_SEVERE_OUD', message: 'No opioid use disorder of moderate or severe degree.', inputs: { useDisorderSeverity: 'NONE' } },
      { code: 'MME_KNOWN', message: 'Every opioid has an MME factor.', inputs: { mmeNotKnownFor: '' } },
    ]);
  });
});

describe('the scenarios found by trying the service as a psychiatrist would', () => {
  it('non-prescribed oxycodone (mild use disorder once counted): on-site, and OFFER_OUD_TREATMENT', () => {
    const outcome = triage(input({ opioids: [streetOxycodone], useDisorderSeverity: 'MILD' }), DEFAULTS);
    expect(outcome).toEqual({
      pathway: 'ONSITE_TAPER',
      reasons: [
        {
          code: 'NON_PRESCRIBED_OPIOID',
          message: 'Not prescribed: oxycodone. A home taper needs every opioid under a prescriber.',
          inputs: { nonPrescribedOpioids: 'oxycodone' },
        },
        {
          code: 'OFFER_OUD_TREATMENT',
          message: 'Offer treatment with buprenorphine or methadone, not a taper alone (CDC 2022), because: not prescribed: oxycodone; opioid use disorder, mild.',
          inputs: { nonPrescribedOpioids: 'oxycodone', useDisorderSeverity: 'MILD' },
        },
      ],
    });
  });

  it('benzodiazepine co-use at 30 MME: on-site, not outpatient', () => {
    expect(triage(input({}, { benzodiazepineUse: true }), DEFAULTS)).toEqual({
      pathway: 'ONSITE_TAPER',
      reasons: [
        {
          code: 'BENZODIAZEPINE_CO_USE',
          message: 'Benzodiazepine co-use at any dose rules out a home taper: avoid the combination and taper benzodiazepines separately and gradually (CDC 2022).',
          inputs: { benzodiazepineUse: true },
        },
      ],
    });
  });

  it('buprenorphine only: on-site, "MME not known for buprenorphine", never "0 MME is below the line"', () => {
    const outcome = triage(input({ totalDailyMme: 0, opioids: [buprenorphine] }), DEFAULTS);
    expect(outcome).toEqual({
      pathway: 'ONSITE_TAPER',
      reasons: [
        {
          code: 'MME_NOT_KNOWN',
          message: 'MME not known for buprenorphine: its opioid load cannot be compared with the high-dose line, so not for a home taper.',
          inputs: { mmeNotKnownFor: 'buprenorphine' },
        },
      ],
    });
    expect(JSON.stringify(outcome)).not.toMatch(/0 MME\/day is below/);
  });

  it('buprenorphine beside a converted opioid bars outpatient just the same', () => {
    expect(codes(input({ opioids: [oxycodone, buprenorphine] }))).toEqual(['MME_NOT_KNOWN']);
  });
});

describe('use disorder severity: moderate and severe bar outpatient; any severity offers treatment', () => {
  it.each([
    ['NONE', 'OUTPATIENT_TAPER', false],
    ['MILD', 'OUTPATIENT_TAPER', true],
    ['MODERATE', 'ONSITE_TAPER', true],
    ['SEVERE', 'ONSITE_TAPER', true],
  ] as const)('%s → %s', (severity, pathway, offered) => {
    const outcome = triage(input({ useDisorderSeverity: severity }), DEFAULTS);
    expect(outcome.pathway).toBe(pathway);
    expect(outcome.reasons.some((r) => r.code === 'OFFER_OUD_TREATMENT')).toBe(offered);
    if (pathway === 'ONSITE_TAPER') expect(outcome.reasons[0]).toMatchObject({ code: 'MODERATE_OR_SEVERE_OUD', inputs: { useDisorderSeverity: severity } });
  });

  it('OFFER_OUD_TREATMENT whatever the pathway: with hospital rules too, last', () => {
    expect(codes(input({ useDisorderSeverity: 'SEVERE' }, { pregnant: true }))).toEqual(['PREGNANCY', 'OFFER_OUD_TREATMENT']);
    expect(codes(input({ opioids: [streetOxycodone], totalDailyMme: 250 }))).toEqual(['VERY_HIGH_DOSE', 'OFFER_OUD_TREATMENT']);
  });
});

describe('without the v1.1 inputs (callers not yet passing them)', () => {
  it('judges only the conditions it can: no prescribed, severity or MME-known reasons', () => {
    const { opioids: _o, useDisorderSeverity: _s, ...legacy } = BASE;
    expect(codes(legacy)).toEqual([
      'PRESCRIBER_WILLING', 'STABLE_HOUSEHOLD', 'NO_FAILED_HOME_TAPER', 'NO_LONG_ACTING', 'BELOW_HIGH_DOSE', 'PAIN_BELOW_LIMIT', 'NO_BENZODIAZEPINE',
    ]);
  });
});
