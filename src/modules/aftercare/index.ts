// The aftercare module as other modules see it.
export { AFTERCARE_ERRORS } from './aftercare.errors.js';
export { AftercareModule } from './aftercare.module.js';
export { CheckInEntity } from './entities/check-in.entity.js';
export { DischargeEntity } from './entities/discharge.entity.js';
export { ShareConsentEntity } from './entities/share-consent.entity.js';
