import { CheckInEntity } from '../modules/aftercare/entities/check-in.entity.js';
import { DischargeEntity } from '../modules/aftercare/entities/discharge.entity.js';
import { ShareConsentEntity } from '../modules/aftercare/entities/share-consent.entity.js';
import { BillingItemEntity } from '../modules/billing/entities/billing-item.entity.js';
import { ChargeEntity } from '../modules/billing/entities/charge.entity.js';
import { DispensationEntity } from '../modules/billing/entities/dispensation.entity.js';
import { InvoiceCounterEntity } from '../modules/billing/entities/invoice-counter.entity.js';
import { InvoiceLineEntity } from '../modules/billing/entities/invoice-line.entity.js';
import { InvoiceEntity } from '../modules/billing/entities/invoice.entity.js';
import { InvoicedDayEntity } from '../modules/billing/entities/invoiced-day.entity.js';
import { PaymentEntity } from '../modules/billing/entities/payment.entity.js';
import { PriceEntity } from '../modules/billing/entities/price.entity.js';
import { PsychConsultEntity } from '../modules/billing/entities/psych-consult.entity.js';
import { AdmissionEntity } from '../modules/admissions/admission.entity.js';
import { EnquiryEntity } from '../modules/enquiries/enquiry.entity.js';
import { AssessmentEntity } from '../modules/intake/assessment.entity.js';
import { ObservationEntity } from '../modules/observations/observation.entity.js';
import { PainMedicationEntity } from '../modules/pain-plan/pain-medication.entity.js';
import { PainTherapyEntity } from '../modules/pain-plan/pain-therapy.entity.js';
import { PatientEntity } from '../modules/patients/patient.entity.js';
import { TaperOrderEntity } from '../modules/taper-orders/taper-order.entity.js';
import { TaperStepEntity } from '../modules/taper-orders/taper-step.entity.js';
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
  TaperOrderEntity,
  TaperStepEntity,
  ObservationEntity,
  PainMedicationEntity,
  PainTherapyEntity,
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
];
