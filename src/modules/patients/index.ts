// The patients module as other modules see it.
export { formatHn } from './hospital-number.js';
export { PatientEntity, SEXES, type Sex } from './patient.entity.js';
export { PatientsModule } from './patients.module.js';
export { PatientsRepository, type PatientRecordUse } from './patients.repository.js';
