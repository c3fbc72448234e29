import { defineErrors } from '../../common/errors/error-catalogue.js';

export const INTAKE_ERRORS = defineErrors({
  PATIENT_MISMATCH: { status: 409, description: 'This enquiry is already about another patient.' },
  PATIENT_DETAILS_MISMATCH: { status: 409, description: 'The name or date of birth does not match the record of that patient.' },
});
