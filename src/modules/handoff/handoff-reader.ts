/**
 * The records behind a handoff summary, read with plain SQL: the hottest read of the service
 * touches twelve tables, and building and hydrating twelve ORM queries cost more than the rest
 * of the request. Rows come out in the shapes of the entities (numeric as numbers, dates as
 * 'YYYY-MM-DD', instants as Date); a test in test/aftercare.e2e-spec.ts ("reads the records exactly
 * as the ORM loads them") holds them equal to what TypeORM loads, so a new column shows up there.
 */
import { NotFound } from '../../common/errors/common.errors.js';
import type { ReadQuery } from '../../common/database/read-snapshot.js';
import type { AdmissionEntity } from '../admissions/index.js';
import type { AdministrationHistoryRepository } from '../administrations/index.js';
import type { HandoffSources } from './handoff-builder.js';
import { AFTERCARE_ERRORS } from '../aftercare/index.js';
import { HANDOFF_ERRORS } from './handoff.errors.js';

export type HandoffRecords = Omit<HandoffSources, 'generatedAt' | 'timeZone' | 'clinic'>;

const ADMISSION = `SELECT id, position, patient_id AS "patientId", enquiry_id AS "enquiryId", triage_decision_id AS "triageDecisionId", pathway,
  admitted_on::text AS "admittedOn", via_partner_hospital AS "viaPartnerHospital", status, discharged_on::text AS "dischargedOn",
  created_by AS "createdBy", created_at AS "createdAt", updated_at AS "updatedAt"
  FROM admissions WHERE id = $1`;
const DISCHARGE = `SELECT admission_id AS "admissionId", discharged_on::text AS "dischargedOn", prescriber_name AS "prescriberName",
  prescriber_practice AS "prescriberPractice", prescriber_phone AS "prescriberPhone", prescriber_email AS "prescriberEmail",
  recorded_by AS "recordedBy", created_at AS "createdAt"
  FROM discharges WHERE admission_id = $1`;
const LATEST_CONSENT = `SELECT id, position, admission_id AS "admissionId", given, recipient_name AS "recipientName", recorded_on::text AS "recordedOn",
  recorded_by AS "recordedBy", created_at AS "createdAt"
  FROM share_consents WHERE admission_id = $1 ORDER BY position DESC LIMIT 1`;
const PATIENT = `SELECT id, hn::text AS hn, given_name AS "givenName", family_name AS "familyName", date_of_birth::text AS "dateOfBirth", sex,
  phone, email, created_at AS "createdAt", updated_at AS "updatedAt"
  FROM patients WHERE id = $1`;
const CURRENT_ASSESSMENT = `SELECT id, enquiry_id AS "enquiryId", patient_id AS "patientId", version, input, factor_table AS "factorTable",
  total_daily_mme::float8 AS "totalDailyMme", mme_lines AS "mmeLines", dsm5_result AS "dsm5Result", classification,
  hyperalgesia_suspected AS "hyperalgesiaSuspected", long_acting AS "longActing", warnings, correction_reason AS "correctionReason", assessed_by AS "assessedBy", created_at AS "createdAt"
  FROM assessments WHERE enquiry_id = $1 ORDER BY version DESC LIMIT 1`;
const TAPER_VERSIONS = `SELECT id, order_id AS "orderId", version, admission_id AS "admissionId", patient_id AS "patientId", status, drug, formulation, unit,
  start_daily_dose::float8 AS "startDailyDose", unit_strengths AS "unitStrengths", allow_half_tablets AS "allowHalfTablets",
  reduction_percent::float8 AS "reductionPercent", interval_days AS "intervalDays", basis, start_date::text AS "startDate",
  target_daily_dose::float8 AS "targetDailyDose", override_reason AS "overrideReason", life_threatening_reason AS "lifeThreateningReason",
  replaces_drug AS "replacesDrug", replaces_formulation AS "replacesFormulation", rotation_reason AS "rotationReason", cross_taper AS "crossTaper", discontinued,
  ends_on::text AS "endsOn", warnings, pauses, supersedes_id AS "supersedesId", effective_from::text AS "effectiveFrom",
  amendment_reason AS "amendmentReason", superseded_from::text AS "supersededFrom", created_by AS "createdBy", created_at AS "createdAt",
  signed_by AS "signedBy", signed_at AS "signedAt"
  FROM taper_orders WHERE admission_id = $1 ORDER BY created_at, version`;
// Joined rather than keyed by the versions' ids: one statement whether or not there is an order.
const TAPER_STEPS = `SELECT s.version_id AS "versionId", s.step, s.starts_on::text AS "startsOn", s.daily_dose::float8 AS "dailyDose",
  s.daily_mme::float8 AS "dailyMme", s.reduction_percent::float8 AS "reductionPercent", s.percent_of_start::float8 AS "percentOfStart"
  FROM taper_steps s JOIN taper_orders o ON o.id = s.version_id WHERE o.admission_id = $1 ORDER BY s.version_id, s.step`;
const MEDICATIONS = `SELECT id, admission_id AS "admissionId", patient_id AS "patientId", drug, dose::float8 AS dose, unit, times_per_day AS "timesPerDay",
  route, indication, daily_dose::float8 AS "dailyDose", max_daily_dose::float8 AS "maxDailyDose", status, warnings, overridden,
  override_reason AS "overrideReason", ordered_by AS "orderedBy", created_at AS "createdAt", discontinued_at AS "discontinuedAt",
  discontinued_by AS "discontinuedBy", discontinue_reason AS "discontinueReason"
  FROM pain_medications WHERE admission_id = $1 ORDER BY created_at, id`;
const AS_NEEDED = `SELECT id, drug, dose::float8 AS dose, unit, route, min_interval_hours::float8 AS "minIntervalHours", max_doses_per_day AS "maxDosesPerDay",
  indication, cows_threshold AS "cowsThreshold", status, created_at AS "createdAt", discontinued_at AS "discontinuedAt", discontinue_reason AS "discontinueReason",
  overridden, override_reason AS "overrideReason"
  FROM as_needed_orders WHERE admission_id = $1 ORDER BY created_at, id`;
const THERAPIES = `SELECT id, admission_id AS "admissionId", patient_id AS "patientId", type, frequency, notes, ordered_by AS "orderedBy", created_at AS "createdAt"
  FROM pain_therapies WHERE admission_id = $1 ORDER BY created_at, id`;
const OBSERVATIONS = `SELECT id, position, admission_id AS "admissionId", patient_id AS "patientId", type, recorded_at AS "recordedAt", score, items,
  band, alerts, recorded_by AS "recordedBy", created_at AS "createdAt"
  FROM observations WHERE admission_id = $1 ORDER BY recorded_at, position`;
const CHECK_INS = `SELECT id, admission_id AS "admissionId", patient_id AS "patientId", sequence, due_on::text AS "dueOn", status, notes,
  updated_by AS "updatedBy", updated_at AS "updatedAt"
  FROM aftercare_check_ins WHERE admission_id = $1 ORDER BY sequence`;

/**
 * Everything the summary is built from, with the two conditions for producing it: the stay has
 * ended (409 NOT_DISCHARGED) and the patient's latest word is consent (409 CONSENT_REQUIRED).
 * Call inside one snapshot (readSnapshot): thirteen statements at most, whatever the length of the
 * stay; the administration record's own query comes from its module (`record`).
 */
export async function readHandoffRecords(query: ReadQuery, admissionId: string, record: Pick<AdministrationHistoryRepository, 'taperEntries'>): Promise<HandoffRecords> {
  const [admission] = await query<AdmissionEntity>(ADMISSION, [admissionId]);
  if (!admission) throw new NotFound('Admission');
  const [discharge] = admission.status === 'DISCHARGED' ? await query<HandoffRecords['discharge']>(DISCHARGE, [admissionId]) : [];
  if (!discharge) throw AFTERCARE_ERRORS.NOT_DISCHARGED('The handoff summary is produced at discharge.');
  const [consent] = await query<HandoffRecords['consent']>(LATEST_CONSENT, [admissionId]);
  if (!consent?.given) throw HANDOFF_ERRORS.CONSENT_REQUIRED('The patient has not consented (or has withdrawn consent) to share with the outside prescriber.');
  const [patient] = await query<HandoffRecords['patient']>(PATIENT, [admission.patientId]);
  const [assessment] = await query<HandoffRecords['assessment']>(CURRENT_ASSESSMENT, [admission.enquiryId]);
  if (!patient || !assessment) throw new NotFound('Patient record');
  return {
    admission: { ...admission, dischargedOn: discharge.dischargedOn },
    patient,
    discharge,
    consent,
    assessment,
    taperVersions: await query(TAPER_VERSIONS, [admissionId]),
    taperSteps: await query(TAPER_STEPS, [admissionId]),
    administrations: await record.taperEntries(query, admissionId),
    medications: await query(MEDICATIONS, [admissionId]),
    asNeededOrders: await query(AS_NEEDED, [admissionId]),
    therapies: await query(THERAPIES, [admissionId]),
    observations: await query(OBSERVATIONS, [admissionId]),
    checkIns: await query(CHECK_INS, [admissionId]),
  };
}
