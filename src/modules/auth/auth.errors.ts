import { defineErrors } from '../../common/errors/error-catalogue.js';

export const AUTH_ERRORS = defineErrors({
  INVALID_CREDENTIALS: { status: 401, description: 'Invalid email or password (the same answer for both).' },
  INVALID_REFRESH_TOKEN: { status: 401, description: 'The refresh token is not valid.' },
  REFRESH_TOKEN_REUSED: { status: 401, description: 'This refresh token was already used; the session has been ended. Sign in again.' },
  WRONG_CURRENT_PASSWORD: { status: 400, description: 'The current password given to change it is not right.' },
  SAME_PASSWORD: { status: 400, description: 'The new password is the current one.' },
  TOO_MANY_ATTEMPTS: { status: 429, description: 'Too many failed attempts for this account or address from unknown devices (or from this device). Try again after Retry-After seconds.' },
});
