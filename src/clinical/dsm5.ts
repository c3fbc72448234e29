/**
 * DSM-5 opioid use disorder criteria (domain.md §4): counting with the supervised-use exclusion,
 * severity, and the distinction between physical dependence and a use disorder.
 *
 * The exclusion of tolerance and withdrawal holds only under medical supervision: the patient
 * says the opioids are taken as prescribed AND every recorded opioid was prescribed. An opioid
 * that was not prescribed is not supervised, so both criteria count again.
 */
import type { ClinicalWarning } from './clinical-error.js';

export const DSM5_CRITERIA = [
  'largerOrLonger',
  'cutDownAttempts',
  'timeSpent',
  'craving',
  'roleFailure',
  'socialProblems',
  'activitiesGivenUp',
  'hazardousUse',
  'useDespiteHarm',
  'tolerance',
  'withdrawal',
] as const;

export type Dsm5Criterion = (typeof DSM5_CRITERIA)[number];
export type Dsm5Answers = Record<Dsm5Criterion, boolean>;
export type Dsm5Severity = 'NONE' | 'MILD' | 'MODERATE' | 'SEVERE';
export type DependenceClassification = 'PHYSICAL_DEPENDENCE' | 'OPIOID_USE_DISORDER' | 'NO_DEPENDENCE_FOUND';

export interface Dsm5Result {
  criteriaMet: number;
  criteriaCounted: number;
  excluded: Dsm5Criterion[];
  severity: Dsm5Severity;
  classification: DependenceClassification;
}

/** Expected effects of long-term treatment; DSM-5 does not count them when use is supervised. */
const PHYSIOLOGICAL: readonly Dsm5Criterion[] = ['tolerance', 'withdrawal'];

/** Fewest counted criteria for each severity (DSM-5: 2–3 mild, 4–5 moderate, 6+ severe). */
const SEVERITY_FLOORS: readonly (readonly [number, Dsm5Severity])[] = [
  [6, 'SEVERE'],
  [4, 'MODERATE'],
  [2, 'MILD'],
];

export function severityOf(counted: number): Dsm5Severity {
  return SEVERITY_FLOORS.find(([floor]) => counted >= floor)?.[1] ?? 'NONE';
}

/** One recorded opioid, as far as supervision goes. */
export interface Dsm5Opioid {
  drug: string;
  prescribed: boolean;
}

/** Under medical supervision: taken as prescribed and every opioid prescribed (no opioids given: the answer alone). */
export function isSupervisedUse(takenAsPrescribed: boolean, opioids: readonly Dsm5Opioid[] = []): boolean {
  return takenAsPrescribed === true && opioids.every((o) => o.prescribed === true);
}

/**
 * Counts the criteria. `opioids` (the intake's, with `prescribed`) decides whether use is
 * supervised; callers that leave it out get the answer `takenAsPrescribed` alone, as before v1.1.
 */
export function scoreDsm5(answers: Dsm5Answers, takenAsPrescribed: boolean, opioids?: readonly Dsm5Opioid[]): Dsm5Result {
  const met = DSM5_CRITERIA.filter((c) => answers[c] === true);
  const excluded = isSupervisedUse(takenAsPrescribed, opioids) ? met.filter((c) => PHYSIOLOGICAL.includes(c)) : [];
  const counted = met.length - excluded.length;
  const physiological = met.some((c) => PHYSIOLOGICAL.includes(c));
  const classification: DependenceClassification =
    counted >= 2 ? 'OPIOID_USE_DISORDER' : physiological ? 'PHYSICAL_DEPENDENCE' : 'NO_DEPENDENCE_FOUND';
  return { criteriaMet: met.length, criteriaCounted: counted, excluded, severity: severityOf(counted), classification };
}

const notPrescribed = (opioids: readonly Dsm5Opioid[]): { drug: string; field: string }[] =>
  opioids.flatMap((o, i) => (o.prescribed === true ? [] : [{ drug: o.drug.trim().toLowerCase(), field: `opioids[${i}].prescribed` }]));

function nonPrescribedWarning(found: { drug: string; field: string }[]): ClinicalWarning[] {
  if (found.length === 0) return [];
  const drugs = found.map((f) => f.drug).join(', ');
  return [
    {
      code: 'NON_PRESCRIBED_OPIOID',
      message:
        `Not prescribed: ${drugs}. Use outside medical supervision, so tolerance and withdrawal count towards a use ` +
        'disorder; offer treatment with buprenorphine or methadone, not a taper alone (CDC 2022).',
      fields: found.map((f) => f.field),
    },
  ];
}

/** Answers that contradict "taken as prescribed", so the assessor re-asks them. */
function inconsistentWarning(answers: Dsm5Answers, takenAsPrescribed: boolean, found: { drug: string; field: string }[]): ClinicalWarning[] {
  if (takenAsPrescribed !== true) return [];
  const contradictions = [
    ...(answers.largerOrLonger === true ? [{ field: 'dsm5.largerOrLonger', words: 'taken in larger amounts or for longer than intended (largerOrLonger)' }] : []),
    ...found.map((f) => ({ field: f.field, words: `${f.drug} was not prescribed (${f.field})` })),
  ];
  if (contradictions.length === 0) return [];
  return [
    {
      code: 'INCONSISTENT_ANSWERS',
      message: `"Taken as prescribed" (takenAsPrescribed) contradicts: ${contradictions.map((c) => c.words).join('; ')}. Re-ask these answers.`,
      fields: ['takenAsPrescribed', ...contradictions.map((c) => c.field)],
    },
  ];
}

/** NON_PRESCRIBED_OPIOID and INCONSISTENT_ANSWERS (domain.md §4); the counting rule applies regardless. */
export function dsm5Warnings(answers: Dsm5Answers, takenAsPrescribed: boolean, opioids: readonly Dsm5Opioid[]): ClinicalWarning[] {
  const found = notPrescribed(opioids);
  return [...nonPrescribedWarning(found), ...inconsistentWarning(answers, takenAsPrescribed, found)];
}

const SEVERITY_WORDS: Record<Dsm5Severity, string> = { NONE: 'none', MILD: 'mild', MODERATE: 'moderate', SEVERE: 'severe' };

function countedPhrase(result: Dsm5Result): string {
  const base = `${result.criteriaCounted} of ${DSM5_CRITERIA.length} DSM-5 criteria counted`;
  if (result.excluded.length === 0) return base;
  return `${base}; ${result.excluded.join(' and ')} not counted because the opioids were taken as prescribed under medical supervision`;
}

/**
 * The sentence a prescriber reads. Dependence alone is an expected effect of long-term treatment
 * and the wording never labels the patient (domain.md §4).
 */
export function describeClassification(result: Dsm5Result): string {
  switch (result.classification) {
    case 'OPIOID_USE_DISORDER':
      return `Opioid use disorder, ${SEVERITY_WORDS[result.severity]} (${countedPhrase(result)}).`;
    case 'PHYSICAL_DEPENDENCE':
      return (
        'Physical dependence: tolerance and/or withdrawal, an expected effect of long-term opioid treatment. ' +
        `This is not an opioid use disorder (${countedPhrase(result)}; a use disorder needs at least 2).`
      );
    case 'NO_DEPENDENCE_FOUND':
      return `No physical dependence or opioid use disorder found (${countedPhrase(result)}).`;
  }
}
