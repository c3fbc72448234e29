import { defineErrors } from '../../common/errors/error-catalogue.js';

export const TAPER_ORDER_ERRORS = defineErrors({
  ALREADY_SIGNED: { status: 409, description: 'Only a draft can be signed; a signed order never changes.' },
  ACTIVE_ORDER_EXISTS: { status: 409, description: 'An active taper of this opioid already exists for this admission; amend it instead.' },
  NOT_SIGNED: { status: 409, description: 'A draft cannot be amended; change it by writing a new draft.' },
  ROTATION_START_IN_PAST: {
    status: 422,
    description: "A rotation that stops the order of the product it replaces starts today or later (steps already started are never rewritten): start it today or later, or make it a cross-taper.",
  },
  SUPERSEDED: { status: 409, description: 'Only the active version can be amended; this one has been superseded.' },
});
