// The pain-plan module as other modules see it.
export { AsNeededOrderEntity } from './as-needed-order.entity.js';
export { PainMedicationEntity, type MedicationStatus } from './pain-medication.entity.js';
export { PainOrdersRepository } from './pain-orders.repository.js';
export { PainPlanModule } from './pain-plan.module.js';
export { PainPlanReview } from './pain-plan-review.js';
export { PainTherapyEntity, THERAPY_TYPES, type TherapyType } from './pain-therapy.entity.js';
