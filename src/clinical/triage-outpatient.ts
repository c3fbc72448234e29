/**
 * Triage rule 2 (domain.md §6): the conditions of an outpatient taper, each reported as met or
 * not with the inputs it saw; and OFFER_OUD_TREATMENT, added whatever the pathway.
 */
import type { TriageInput, TriageReason, TriageThresholds } from './triage.js';

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

const drugsOf = (opioids: readonly { drug: string }[]): string => [...new Set(opioids.map((o) => o.drug.trim().toLowerCase()))].join(', ');

function socialChecks(i: TriageInput): OutpatientCheck[] {
  const { prescriberWillingToTaper: willing, stableHousehold: stable, failedHomeTaperAttempts: failed } = i.social;
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
  ];
}

function doseAndPainChecks(i: TriageInput, t: TriageThresholds): OutpatientCheck[] {
  const { totalDailyMme: mme, painScore: pain } = i;
  const { highDoseMme: high, outpatientMaxPainScore: limit } = t;
  return [
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

/** CDC 2022 Rec 11: avoid opioids with benzodiazepines, at any dose; taper those separately. */
function benzodiazepineCheck(i: TriageInput): OutpatientCheck {
  const benzodiazepineUse = i.medical.benzodiazepineUse;
  return check(!benzodiazepineUse, { benzodiazepineUse },
    ['NO_BENZODIAZEPINE', 'No benzodiazepine co-use.'],
    ['BENZODIAZEPINE_CO_USE', 'Benzodiazepine co-use at any dose rules out a home taper: avoid the combination and taper benzodiazepines separately and gradually (CDC 2022).']);
}

/** v1.1 checks that need the intake opioids and the DSM-5 result; not judged when left out. */
function v11Checks(i: TriageInput): OutpatientCheck[] {
  const checks: OutpatientCheck[] = [];
  if (i.opioids) {
    const street = i.opioids.filter((o) => !o.prescribed);
    checks.push(check(street.length === 0, { nonPrescribedOpioids: drugsOf(street) },
      ['ALL_OPIOIDS_PRESCRIBED', 'Every opioid is prescribed.'],
      ['NON_PRESCRIBED_OPIOID', `Not prescribed: ${drugsOf(street)}. A home taper needs every opioid under a prescriber.`]));
  }
  if (i.useDisorderSeverity !== undefined) {
    const severity = i.useDisorderSeverity;
    const moderateOrWorse = severity === 'MODERATE' || severity === 'SEVERE';
    checks.push(check(!moderateOrWorse, { useDisorderSeverity: severity },
      ['NO_MODERATE_OR_SEVERE_OUD', 'No opioid use disorder of moderate or severe degree.'],
      ['MODERATE_OR_SEVERE_OUD', `Opioid use disorder, ${severity.toLowerCase()}: not for a home taper.`]));
  }
  if (i.opioids) {
    const unknown = i.opioids.filter((o) => !o.converted);
    // Buprenorphine's load is unknown in MME: never "0 MME is below the line".
    checks.push(check(unknown.length === 0, { mmeNotKnownFor: drugsOf(unknown) },
      ['MME_KNOWN', 'Every opioid has an MME factor.'],
      ['MME_NOT_KNOWN', `MME not known for ${drugsOf(unknown)}: its opioid load cannot be compared with the high-dose line, so not for a home taper.`]));
  }
  return checks;
}

/** The outpatient conditions, each as met or not, in the order of domain.md §6. */
export function outpatientChecks(i: TriageInput, t: TriageThresholds): OutpatientCheck[] {
  return [...socialChecks(i), ...doseAndPainChecks(i, t), benzodiazepineCheck(i), ...v11Checks(i)];
}

/**
 * CDC 2022 Rec 12: a non-prescribed opioid or a use disorder of any severity → offer
 * buprenorphine or methadone treatment, not a taper alone. [] when neither (or not known).
 */
export function offerOudTreatment(i: TriageInput): TriageReason[] {
  const street = (i.opioids ?? []).filter((o) => !o.prescribed);
  const severity = i.useDisorderSeverity ?? 'NONE';
  if (street.length === 0 && severity === 'NONE') return [];
  const why = [
    ...(street.length > 0 ? [`not prescribed: ${drugsOf(street)}`] : []),
    ...(severity !== 'NONE' ? [`opioid use disorder, ${severity.toLowerCase()}`] : []),
  ].join('; ');
  return [
    {
      code: 'OFFER_OUD_TREATMENT',
      message: `Offer treatment with buprenorphine or methadone, not a taper alone (CDC 2022), because: ${why}.`,
      inputs: { nonPrescribedOpioids: drugsOf(street), useDisorderSeverity: severity },
    },
  ];
}
