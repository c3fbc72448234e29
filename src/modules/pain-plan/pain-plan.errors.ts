import { defineErrors } from '../../common/errors/error-catalogue.js';

export const PAIN_PLAN_ERRORS = defineErrors({
  DUPLICATE_MEDICATION: { status: 409, description: 'An active order for the same drug already exists; discontinue it first.' },
  ALREADY_DISCONTINUED: { status: 409, description: 'The order was already discontinued.' },
});
