// The observations module as other modules see it.
export { ObservationEntity, OBSERVATION_TYPES, type ObservationType } from './observation.entity.js';
export { ObservationsModule } from './observations.module.js';
export { ObservationsRepository } from './observations.repository.js';
