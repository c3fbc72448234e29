import type { Dsm5Answers } from '../../clinical/dsm5.js';
import type { DoseUnit, OpioidFormulation } from '../../clinical/mme.js';
import type { Sex } from '../patients/index.js';

export const PAIN_CONDITIONS = ['POST_SURGICAL', 'CANCER', 'MOTOR_VEHICLE_ACCIDENT', 'FIBROMYALGIA', 'CHRONIC_BACK', 'OTHER'] as const;
export type PainCondition = (typeof PAIN_CONDITIONS)[number];

/** What an intake assessment records (api.md §Enquiries, intake, triage), as stored with it. */
export interface IntakeInput {
  /** The day the patient was assessed; absent from assessments recorded before it was asked (their creation day counts). */
  assessedOn?: string;
  /** phone and email (v1.1) only when they were given. */
  patient: { givenName: string; familyName: string; dateOfBirth: string; sex: Sex; phone?: string; email?: string };
  opioids: {
    drug: string;
    formulation: OpioidFormulation;
    dose: number;
    unit: DoseUnit;
    timesPerDay: number;
    monthsOnTherapy: number;
    prescribed: boolean;
    asNeeded?: boolean;
    paracetamolPerUnitMg?: number;
  }[];
  takenAsPrescribed: boolean;
  dsm5: Dsm5Answers;
  pain: {
    condition: PainCondition;
    score: number;
    spreadBeyondOriginalSite: boolean;
    worseBetweenDoses: boolean;
    /** Optional in the request (false when not asked); absent from assessments recorded before they existed. */
    diffuse?: boolean;
    worseAfterDoseIncrease?: boolean;
  };
  medical: MedicalHistory;
  social: { prescriberWillingToTaper: boolean; stableHousehold: boolean; failedHomeTaperAttempts: number };
}

export interface MedicalHistory {
  cardiacDisease: boolean;
  respiratoryDisease: boolean;
  hepaticImpairment: boolean;
  renalImpairment: boolean;
  giBleedHistory: boolean;
  heartFailure: boolean;
  anticoagulants: boolean;
  pregnant: boolean;
  benzodiazepineUse: boolean;
  heavyAlcoholUse: boolean;
  seizureHistory: boolean;
  /** Severe or complicated withdrawal before (delirium, seizures). Optional in requests (added to the API later); stored as false when left out. */
  complicatedWithdrawalHistory: boolean;
  /** mL/min, when measured. */
  creatinineClearance?: number;
}
