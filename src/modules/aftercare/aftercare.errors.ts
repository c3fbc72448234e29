import { defineErrors } from '../../common/errors/error-catalogue.js';

export const AFTERCARE_ERRORS = defineErrors({
  ALREADY_DISCHARGED: { status: 409, description: 'This patient has already been discharged.' },
  NOT_DISCHARGED: { status: 409, description: 'The patient has not been discharged yet.' },
  DISCHARGE_BEFORE_ADMISSION: { status: 422, description: 'The discharge date lies before the admission date.' },
  DISCHARGE_BEFORE_RECORDS: { status: 422, description: 'The discharge date lies before care already recorded for the stay (a dose, an observation, a dispensation, a consult or a charge), or before the last day a live invoice bills.' },
  ORDER_STARTS_AFTER_DISCHARGE: { status: 422, description: 'A signed taper order first gives a dose after the discharge date: discontinue it first, or discharge on or after its start.' },
  NOT_DUE_YET: { status: 422, description: 'A check-in cannot be marked missed before it is due (it may be marked done early: a coordinator may call a few days ahead).' },
});
