import { defineErrors } from '../../common/errors/error-catalogue.js';

export const INTAKE_ERRORS = defineErrors({
  PATIENT_MISMATCH: { status: 409, description: 'This enquiry is already about another patient.' },
  PATIENT_DETAILS_MISMATCH: {
    status: 409,
    description:
      "The name or date of birth does not match the record of that patient: a returning patient's, or one another enquiry or a stay shares, which an assessment does not rewrite.",
  },
  DATE_OF_BIRTH_AFTER_CARE: { status: 422, description: 'The date of birth would fall after an assessment or admission already on record for this patient.' },
  POSSIBLE_DUPLICATE_PATIENT: {
    status: 409,
    description: 'A patient with this date of birth and the same name, phone or email is already on record: send their patientId, or confirmNewPatient if this is another person.',
  },
});
