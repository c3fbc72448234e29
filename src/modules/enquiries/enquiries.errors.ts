import { defineErrors } from '../../common/errors/error-catalogue.js';

export const ENQUIRY_ERRORS = defineErrors({
  INVALID_TRANSITION: { status: 409, description: 'The enquiry cannot move to that state from its current one (domain.md §2).' },
});
