/**
 * Triage rules (domain.md §6): where the taper happens. First match wins — hospital, then
 * outpatient, else on-site — and every rule that decided is returned with the inputs it saw.
 * Thresholds are settings with a version, so they are always passed in, never written here.
 */
import { ClinicalRuleError } from './clinical-error.js';
import type { Dsm5Severity } from './dsm5.js';
import { offerOudTreatment, outpatientChecks } from './triage-outpatient.js';

export { offerOudTreatment, type OutpatientCheck, outpatientChecks } from './triage-outpatient.js';

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
  /**
   * v1.1 (domain.md §6): the intake opioids. Needed for "every opioid prescribed" and "no opioid
   * without an MME factor"; when left out those two rules are not judged (the pre-v1.1 rules).
   */
  opioids?: readonly TriageOpioid[];
  /** v1.1: the DSM-5 severity of the intake ('NONE' without a use disorder); left out, not judged. */
  useDisorderSeverity?: Dsm5Severity;
}

/** One intake opioid as triage sees it: `converted` is the MME line's (false for buprenorphine). */
export interface TriageOpioid {
  drug: string;
  prescribed: boolean;
  converted: boolean;
}

export interface TriageReason {
  code: string;
  message: string;
  inputs: Record<string, number | boolean | string>;
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

/** The pathway and why. Throws ClinicalRuleError for thresholds or inputs the rules cannot judge. */
export function triage(input: TriageInput, thresholds: TriageThresholds): TriageOutcome {
  const thresholdProblems = validateThresholds(thresholds);
  if (thresholdProblems.length > 0) throw new ClinicalRuleError('INVALID_TRIAGE_THRESHOLDS', thresholdProblems.join(' '));
  const inputProblems = validateTriageInput(input);
  if (inputProblems.length > 0) throw new ClinicalRuleError('INVALID_TRIAGE_INPUT', inputProblems.join(' '));

  // Whatever the pathway: it informs the psychiatrist, it does not choose the pathway (§6).
  const oud = offerOudTreatment(input);
  const hospital = hospitalReasons(input, thresholds);
  if (hospital.length > 0) return { pathway: 'HOSPITAL_DETOX_FIRST', reasons: [...hospital, ...oud] };
  const checks = outpatientChecks(input, thresholds);
  if (checks.every((c) => c.met)) return { pathway: 'OUTPATIENT_TAPER', reasons: [...checks.map((c) => c.reason), ...oud] };
  return { pathway: 'ONSITE_TAPER', reasons: [...checks.filter((c) => !c.met).map((c) => c.reason), ...oud] };
}
