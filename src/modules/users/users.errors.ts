import { defineErrors } from '../../common/errors/error-catalogue.js';

export const USER_ERRORS = defineErrors({
  EMAIL_TAKEN: { status: 409, description: 'An account with this email already exists.' },
  LAST_ADMIN: { status: 409, description: 'The clinic must keep at least one active admin.' },
});
