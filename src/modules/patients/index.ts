// The patients module as other modules see it.
export { PatientEntity, SEXES, type Sex } from './patient.entity.js';
export { PatientsModule } from './patients.module.js';
export { PatientsRepository } from './patients.repository.js';
