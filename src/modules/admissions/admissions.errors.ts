import { defineErrors } from '../../common/errors/error-catalogue.js';

export const ADMISSION_ERRORS = defineErrors({
  TRIAGE_REQUIRED: { status: 409, description: 'The enquiry has not been triaged yet.' },
  PATHWAY_NOT_RESIDENTIAL: { status: 409, description: 'Only an enquiry whose current pathway is ONSITE_TAPER or HOSPITAL_DETOX_FIRST can be admitted.' },
  ALREADY_ADMITTED: { status: 409, description: 'This patient already has an active admission.' },
  ADMISSION_NOT_ACTIVE: { status: 409, description: 'The patient has been discharged; this admission is closed.' },
  ADMISSION_BEFORE_BIRTH: { status: 422, description: "The admission date lies before the patient's date of birth." },
  ADMISSION_BEFORE_ASSESSMENT: { status: 422, description: 'The admission date lies before the intake assessment it rests on.' },
  OVERLAPS_PREVIOUS_STAY: { status: 422, description: "The admission date lies on or before the discharge of the patient's previous stay: a patient is in one stay at a time." },
  DATE_OUTSIDE_STAY: { status: 422, description: 'The date lies outside the stay (before the admission, or after the discharge).' },
});
