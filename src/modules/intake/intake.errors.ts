import { defineErrors } from '../../common/errors/error-catalogue.js';

export const INTAKE_ERRORS = defineErrors({
  PATIENT_MISMATCH: { status: 409, description: 'This enquiry is already about another patient.' },
  PATIENT_DETAILS_MISMATCH: { status: 409, description: 'The name or date of birth does not match the record of that patient.' },
  POSSIBLE_DUPLICATE_PATIENT: {
    status: 409,
    description: 'A patient with this date of birth and the same name, phone or email is already on record: send their patientId, or confirmNewPatient if this is another person.',
  },
});
