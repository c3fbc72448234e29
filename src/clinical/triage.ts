/**
 * Triage rules (domain.md §6): where the taper happens. First match wins — hospital, then
 * outpatient, else on-site — and every rule that decided is returned with the inputs it saw.
 * Thresholds are settings with a version, so they are always passed in, never written here.
 */
import { ClinicalRuleError } from './clinical-error.js';

export type Pathway = 'HOSPITAL_DETOX_FIRST' | 'ONSITE_TAPER' | 'OUTPATIENT_TAPER';

export interface TriageThresholds {
  highDoseMme: number;
  veryHighMme: number;
  outpatientMaxPainScore: number;
}

/** domain.md §3 and §6 defaults: 90 (CDC 2016 high dose), 200, pain 7. */
export const DEFAULT_TRIAGE_THRESHOLDS: Readonly<TriageThresholds> = Object.freeze({
  highDoseMme: 90,
  veryHighMme: 200,
  outpatientMaxPainScore: 7,
});

export interface TriageInput {
  totalDailyMme: number;
  longActing: boolean;
  painScore: number;
  medical: {
    cardiacDisease: boolean;
    respiratoryDisease: boolean;
    pregnant: boolean;
    benzodiazepineUse: boolean;
    seizureHistory: boolean;
    complicatedWithdrawalHistory: boolean;
  };
  social: { prescriberWillingToTaper: boolean; stableHousehold: boolean; failedHomeTaperAttempts: number };
}

export interface TriageReason {
  code: string;
  message: string;
  inputs: Record<string, number | boolean>;
}

export interface TriageOutcome {
  pathway: Pathway;
  reasons: TriageReason[];
}

export const MAX_PAIN_SCORE = 10;

export function validateThresholds(t: TriageThresholds): string[] {
  const problems: string[] = [];
  const positive = (n: number): boolean => Number.isFinite(n) && n > 0;
  if (!positive(t.highDoseMme)) problems.push('highDoseMme must be a number greater than 0.');
  if (!positive(t.veryHighMme)) problems.push('veryHighMme must be a number greater than 0.');
  if (positive(t.highDoseMme) && positive(t.veryHighMme) && t.veryHighMme <= t.highDoseMme) {
    problems.push(`veryHighMme (${t.veryHighMme}) must exceed highDoseMme (${t.highDoseMme}).`);
  }
  const pain = t.outpatientMaxPainScore;
  // A limit of 0 would close the outpatient pathway altogether: a policy change, not a threshold.
  if (!Number.isInteger(pain) || pain < 1 || pain > MAX_PAIN_SCORE) {
    problems.push(`outpatientMaxPainScore must be a whole number from 1 to ${MAX_PAIN_SCORE}.`);
  }
  return problems;
}

/** Problems with an input the rules cannot judge (NaN would silently fail every comparison). */
export function validateTriageInput(input: TriageInput): string[] {
  const problems: string[] = [];
  if (!Number.isFinite(input.totalDailyMme) || input.totalDailyMme < 0) problems.push('totalDailyMme must be a number of at least 0.');
  if (!Number.isFinite(input.painScore) || input.painScore < 0 || input.painScore > MAX_PAIN_SCORE) {
    problems.push(`painScore must be from 0 to ${MAX_PAIN_SCORE}.`);
  }
  const failed = input.social.failedHomeTaperAttempts;
  if (!Number.isInteger(failed) || failed < 0) problems.push('failedHomeTaperAttempts must be a whole number of at least 0.');
  return problems;
}

interface HospitalRule {
  code: string;
  fires(i: TriageInput, t: TriageThresholds): boolean;
  inputs(i: TriageInput, t: TriageThresholds): Record<string, number | boolean>;
  message(i: TriageInput, t: TriageThresholds): string;
}

const HOSPITAL_RULES: readonly HospitalRule[] = [
  {
    code: 'CARDIAC_DISEASE',
    fires: (i) => i.medical.cardiacDisease,
    inputs: (i) => ({ cardiacDisease: i.medical.cardiacDisease }),
    message: () => 'Significant cardiac disease: withdrawal should start under hospital monitoring.',
  },
  {
    code: 'RESPIRATORY_DISEASE',
    fires: (i) => i.medical.respiratoryDisease,
    inputs: (i) => ({ respiratoryDisease: i.medical.respiratoryDisease }),
    message: () => 'Significant respiratory disease (such as COPD or sleep apnoea): detox should start in hospital.',
  },
  {
    code: 'PREGNANCY',
    fires: (i) => i.medical.pregnant,
    inputs: (i) => ({ pregnant: i.medical.pregnant }),
    message: () => 'Pregnancy: withdrawal needs obstetric and hospital care first.',
  },
  {
    code: 'VERY_HIGH_DOSE',
    fires: (i, t) => i.totalDailyMme >= t.veryHighMme,
    inputs: (i, t) => ({ totalDailyMme: i.totalDailyMme, veryHighMme: t.veryHighMme }),
    message: (i, t) => `Total ${i.totalDailyMme} MME/day is at or above the very-high-dose line of ${t.veryHighMme}.`,
  },
  {
    code: 'LONG_ACTING_HIGH_DOSE',
    fires: (i, t) => i.longActing && i.totalDailyMme >= t.highDoseMme,
    inputs: (i, t) => ({ longActing: i.longActing, totalDailyMme: i.totalDailyMme, highDoseMme: t.highDoseMme }),
    message: (i, t) =>
      `A long-acting opioid with a total of ${i.totalDailyMme} MME/day, at or above the high-dose line of ${t.highDoseMme}.`,
  },
  {
    code: 'BENZODIAZEPINE_HIGH_DOSE',
    fires: (i, t) => i.medical.benzodiazepineUse && i.totalDailyMme >= t.highDoseMme,
    inputs: (i, t) => ({ benzodiazepineUse: i.medical.benzodiazepineUse, totalDailyMme: i.totalDailyMme, highDoseMme: t.highDoseMme }),
    message: (i, t) =>
      `Benzodiazepine co-use with a total of ${i.totalDailyMme} MME/day, at or above the high-dose line of ${t.highDoseMme}.`,
  },
  {
    code: 'SEIZURE_OR_COMPLICATED_WITHDRAWAL',
    fires: (i) => i.medical.seizureHistory || i.medical.complicatedWithdrawalHistory,
    inputs: (i) => ({ seizureHistory: i.medical.seizureHistory, complicatedWithdrawalHistory: i.medical.complicatedWithdrawalHistory }),
    message: (i) => {
      const what = [i.medical.seizureHistory && 'seizures', i.medical.complicatedWithdrawalHistory && 'severe complicated withdrawal'];
      return `History of ${what.filter(Boolean).join(' and ')}: withdrawal should start under hospital monitoring.`;
    },
  },
];

/** Every hospital rule that fires for this input, with the inputs it saw. */
export function hospitalReasons(input: TriageInput, t: TriageThresholds): TriageReason[] {
  return HOSPITAL_RULES.filter((r) => r.fires(input, t)).map((r) => ({
    code: r.code,
    message: r.message(input, t),
    inputs: r.inputs(input, t),
  }));
}

export interface OutpatientCheck {
  met: boolean;
  reason: TriageReason;
}

/** A condition's code and message, one pair for "met" and one for "not met". */
type Wording = readonly [code: string, message: string];

function check(met: boolean, inputs: TriageReason['inputs'], ifMet: Wording, ifNot: Wording): OutpatientCheck {
  const [code, message] = met ? ifMet : ifNot;
  return { met, reason: { code, message, inputs } };
}

/** The six outpatient conditions, each as met or not, in the order of domain.md §6. */
export function outpatientChecks(i: TriageInput, t: TriageThresholds): OutpatientCheck[] {
  const { prescriberWillingToTaper: willing, stableHousehold: stable, failedHomeTaperAttempts: failed } = i.social;
  const { totalDailyMme: mme, painScore: pain } = i;
  const { highDoseMme: high, outpatientMaxPainScore: limit } = t;
  return [
    check(willing, { prescriberWillingToTaper: willing },
      ['PRESCRIBER_WILLING', 'The prescriber is willing to taper.'],
      ['PRESCRIBER_NOT_WILLING', 'The prescriber is not willing to taper.']),
    check(stable, { stableHousehold: stable },
      ['STABLE_HOUSEHOLD', 'The household is stable.'],
      ['UNSTABLE_HOUSEHOLD', 'The household is not stable enough for a home taper.']),
    check(failed === 0, { failedHomeTaperAttempts: failed },
      ['NO_FAILED_HOME_TAPER', 'No failed home taper attempt.'],
      ['FAILED_HOME_TAPER', `Failed home taper attempts: ${failed}.`]),
    check(!i.longActing, { longActing: i.longActing },
      ['NO_LONG_ACTING', 'No long-acting opioid.'],
      ['LONG_ACTING', 'A long-acting opioid is in use.']),
    check(mme < high, { totalDailyMme: mme, highDoseMme: high },
      ['BELOW_HIGH_DOSE', `Total ${mme} MME/day is below the high-dose line of ${high}.`],
      ['AT_OR_ABOVE_HIGH_DOSE', `Total ${mme} MME/day is at or above the high-dose line of ${high}.`]),
    check(pain < limit, { painScore: pain, outpatientMaxPainScore: limit },
      ['PAIN_BELOW_LIMIT', `Pain score ${pain} is below the outpatient limit of ${limit}.`],
      ['PAIN_AT_OR_ABOVE_LIMIT', `Pain score ${pain} is at or above the outpatient limit of ${limit}.`]),
  ];
}

/** The pathway and why. Throws ClinicalRuleError for thresholds or inputs the rules cannot judge. */
export function triage(input: TriageInput, thresholds: TriageThresholds): TriageOutcome {
  const thresholdProblems = validateThresholds(thresholds);
  if (thresholdProblems.length > 0) throw new ClinicalRuleError('INVALID_TRIAGE_THRESHOLDS', thresholdProblems.join(' '));
  const inputProblems = validateTriageInput(input);
  if (inputProblems.length > 0) throw new ClinicalRuleError('INVALID_TRIAGE_INPUT', inputProblems.join(' '));

  const hospital = hospitalReasons(input, thresholds);
  if (hospital.length > 0) return { pathway: 'HOSPITAL_DETOX_FIRST', reasons: hospital };
  const checks = outpatientChecks(input, thresholds);
  if (checks.every((c) => c.met)) return { pathway: 'OUTPATIENT_TAPER', reasons: checks.map((c) => c.reason) };
  return { pathway: 'ONSITE_TAPER', reasons: checks.filter((c) => !c.met).map((c) => c.reason) };
}
