import { Foundation1795810400000 } from './1795810400000-foundation.js';
import { Intake1795811450971 } from './1795811450971-intake.js';
import { TaperObservationsPainPlan1795812811544 } from './1795812811544-taper-observations-pain-plan.js';
import { Billing1795813118817 } from './1795813118817-billing.js';
import { Aftercare1795813863060 } from './1795813863060-aftercare.js';
import { FentanylTwelvePointFive1795824501656 } from './1795824501656-fentanyl-twelve-point-five.js';
import { SessionsAndDevices1796600000000 } from './1796600000000-sessions-and-devices.js';
import { TaperOrdersPerProduct1796651700000 } from './1796651700000-taper-orders-per-product.js';
import { HospitalNumbers1796652260078 } from './1796652260078-hospital-numbers.js';
import { PatientSearch1796652320000 } from './1796652320000-patient-search.js';
import { MedicationAdministrationRecord1796655437500 } from './1796655437500-medication-administration-record.js';
import { DispensingReconciled1796660000000 } from './1796660000000-dispensing-reconciled.js';
import { DispensationOverrideCheck1796670000000 } from './1796670000000-dispensation-override-check.js';
import { PatientDateOfBirthIndex1796680000000 } from './1796680000000-patient-date-of-birth-index.js';
import { PaymentAndChargeCorrections1796690000000 } from './1796690000000-payment-and-charge-corrections.js';
import { DispensationsPerProduct1796691000000 } from './1796691000000-dispensations-per-product.js';
import { RotationCrossTaper1796692000000 } from './1796692000000-rotation-cross-taper.js';
import { PsychConsultVoid1796693000000 } from './1796693000000-psych-consult-void.js';
import { TaperDiscontinued1796694000000 } from './1796694000000-taper-discontinued.js';
import { PhoneSearchPrefixes1796694600000 } from './1796694600000-phone-search-prefixes.js';
import { IntakeCorrections1796695000000 } from './1796695000000-intake-corrections.js';
import { AuditSequenceDrawn1796696000000 } from './1796696000000-audit-sequence-drawn.js';

/**
 * Every migration, oldest first. A new migration file is added here too (a test checks that
 * every file in this folder is listed).
 */
export const MIGRATIONS = [
  Foundation1795810400000,
  Intake1795811450971,
  TaperObservationsPainPlan1795812811544,
  Billing1795813118817,
  Aftercare1795813863060,
  FentanylTwelvePointFive1795824501656,
  SessionsAndDevices1796600000000,
  TaperOrdersPerProduct1796651700000,
  HospitalNumbers1796652260078,
  PatientSearch1796652320000,
  MedicationAdministrationRecord1796655437500,
  DispensingReconciled1796660000000,
  DispensationOverrideCheck1796670000000,
  PatientDateOfBirthIndex1796680000000,
  PaymentAndChargeCorrections1796690000000,
  DispensationsPerProduct1796691000000,
  RotationCrossTaper1796692000000,
  PsychConsultVoid1796693000000,
  TaperDiscontinued1796694000000,
  PhoneSearchPrefixes1796694600000,
  IntakeCorrections1796695000000,
  AuditSequenceDrawn1796696000000,
];
