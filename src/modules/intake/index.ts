// The intake module as other modules see it.
export { assessedOnOf } from './assessed-on.js';
export { AssessmentEntity } from './assessment.entity.js';
export type { IntakeInput, MedicalHistory } from './intake-input.js';
export { IntakeModule } from './intake.module.js';
export { IntakeRepository } from './intake.repository.js';
export { IntakeService } from './intake.service.js';
export { IntakeCorrectionRequest } from './dto/assessment.requests.js';
export { AssessmentResponse } from './dto/assessment.responses.js';
