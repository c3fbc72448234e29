import { AdmissionEntity } from './modules/admissions/index.js';
import { CheckInEntity, DischargeEntity, ShareConsentEntity } from './modules/aftercare/index.js';
import {
  BillingItemEntity,
  ChargeEntity,
  DispensationEntity,
  InvoiceCounterEntity,
  InvoiceEntity,
  InvoiceLineEntity,
  InvoicedDayEntity,
  PaymentEntity,
  PriceEntity,
  PsychConsultEntity,
} from './modules/billing/index.js';
import { EnquiryEntity } from './modules/enquiries/index.js';
import { AssessmentEntity } from './modules/intake/index.js';
import { ObservationEntity } from './modules/observations/index.js';
import { AdministrationEntity } from './modules/administrations/index.js';
import { AsNeededOrderEntity, PainMedicationEntity, PainTherapyEntity } from './modules/pain-plan/index.js';
import { PatientEntity } from './modules/patients/index.js';
import { TaperOrderEntity, TaperStepEntity } from './modules/taper-orders/index.js';
import { TriageDecisionEntity, TriageRuleSetEntity } from './modules/triage/index.js';
import { RefreshTokenEntity, UserEntity } from './modules/users/index.js';

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
  TaperOrderEntity,
  TaperStepEntity,
  ObservationEntity,
  PainMedicationEntity,
  PainTherapyEntity,
  AsNeededOrderEntity,
  BillingItemEntity,
  PriceEntity,
  ChargeEntity,
  InvoiceEntity,
  InvoiceLineEntity,
  InvoicedDayEntity,
  PaymentEntity,
  InvoiceCounterEntity,
  PsychConsultEntity,
  DispensationEntity,
  DischargeEntity,
  ShareConsentEntity,
  CheckInEntity,
  AdministrationEntity,
];
