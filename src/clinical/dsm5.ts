/**
 * DSM-5 opioid use disorder criteria (domain.md §4): counting with the supervised-use exclusion,
 * severity, and the distinction between physical dependence and a use disorder.
 */

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

export function scoreDsm5(answers: Dsm5Answers, takenAsPrescribed: boolean): Dsm5Result {
  const met = DSM5_CRITERIA.filter((c) => answers[c] === true);
  const excluded = takenAsPrescribed ? met.filter((c) => PHYSIOLOGICAL.includes(c)) : [];
  const counted = met.length - excluded.length;
  const physiological = met.some((c) => PHYSIOLOGICAL.includes(c));
  const classification: DependenceClassification =
    counted >= 2 ? 'OPIOID_USE_DISORDER' : physiological ? 'PHYSICAL_DEPENDENCE' : 'NO_DEPENDENCE_FOUND';
  return { criteriaMet: met.length, criteriaCounted: counted, excluded, severity: severityOf(counted), classification };
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
