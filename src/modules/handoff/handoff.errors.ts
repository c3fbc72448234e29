import { defineErrors } from '../../common/errors/error-catalogue.js';

export const HANDOFF_ERRORS = defineErrors({
  CONSENT_REQUIRED: { status: 409, description: 'The patient has not consented (or has withdrawn consent) to share the handoff with this recipient.' },
});
