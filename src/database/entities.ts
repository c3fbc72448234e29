import { AdmissionEntity } from '../modules/admissions/admission.entity.js';
import { EnquiryEntity } from '../modules/enquiries/enquiry.entity.js';
import { AssessmentEntity } from '../modules/intake/assessment.entity.js';
import { PatientEntity } from '../modules/patients/patient.entity.js';
import { TriageDecisionEntity } from '../modules/triage/triage-decision.entity.js';
import { TriageRuleSetEntity } from '../modules/triage/triage-rule-set.entity.js';
import { RefreshTokenEntity } from '../modules/users/refresh-token.entity.js';
import { UserEntity } from '../modules/users/user.entity.js';

/** Every TypeORM entity of the service. */
export const ENTITIES = [
  UserEntity,
  RefreshTokenEntity,
  PatientEntity,
  EnquiryEntity,
  AssessmentEntity,
  TriageRuleSetEntity,
  TriageDecisionEntity,
  AdmissionEntity,
];
