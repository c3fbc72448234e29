import { defineErrors } from '../../common/errors/error-catalogue.js';

export const TRIAGE_ERRORS = defineErrors({
  ASSESSMENT_REQUIRED: { status: 409, description: 'Record an intake assessment before triage.' },
  STALE_DECISION: { status: 409, description: 'A newer triage decision exists; override the current one.' },
});
