// The admissions module as other modules see it.
export { AdmissionEntity, ADMISSION_STATUSES, type AdmissionStatus, type ResidentialPathway } from './admission.entity.js';
export { ADMISSION_ERRORS } from './admissions.errors.js';
export { AdmissionsModule } from './admissions.module.js';
export { AdmissionsRepository } from './admissions.repository.js';
export { assertWithinStay } from './stay.js';
