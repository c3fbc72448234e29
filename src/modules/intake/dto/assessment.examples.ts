import type { RequestExample } from '../../../common/http/api-content.js';
import type { AssessmentRequest } from './assessment.requests.js';

export const ASSESSMENT_EXAMPLES: Record<string, { summary: string; value: RequestExample<AssessmentRequest> }> = {
  oxycodone: {
    summary: 'Oxycodone after surgery, physically dependent, pain 7',
    value: {
      patient: { givenName: 'Somchai', familyName: 'Jaidee', dateOfBirth: '1971-03-09', sex: 'male' },
      opioids: [{ drug: 'oxycodone', formulation: 'IR', dose: 10, unit: 'mg', timesPerDay: 3, monthsOnTherapy: 30, prescribed: true }],
      takenAsPrescribed: true,
      dsm5: {
        largerOrLonger: false, cutDownAttempts: true, timeSpent: false, craving: false, roleFailure: false, socialProblems: false,
        activitiesGivenUp: false, hazardousUse: false, useDespiteHarm: false, tolerance: true, withdrawal: true,
      },
      pain: { condition: 'POST_SURGICAL', score: 7, spreadBeyondOriginalSite: false, worseBetweenDoses: false },
      medical: {
        cardiacDisease: false, respiratoryDisease: false, hepaticImpairment: false, renalImpairment: false, giBleedHistory: false,
        heartFailure: false, anticoagulants: false, pregnant: false, benzodiazepineUse: false, heavyAlcoholUse: false, seizureHistory: false,
      },
      social: { prescriberWillingToTaper: true, stableHousehold: true, failedHomeTaperAttempts: 0 },
    },
  },
};
