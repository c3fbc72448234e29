/**
 * The handoff summary, raw: the same eleven reads as the app's HandoffService in one
 * REPEATABLE READ snapshot, rows mapped to the shapes the app's entities have (numeric columns
 * as numbers, dates as 'YYYY-MM-DD', instants as Date), then the app's own pure
 * `buildHandoffSummary`, then the EXPORT audit row. Only the framework and the ORM differ.
 */
import { buildHandoffSummary, type HandoffSources } from '../../src/modules/aftercare/handoff-builder.js';
import { recordAudit, Refusal, type Answer, type Context, type Services } from './common.js';

const SELECT_ADMISSION = `SELECT id, position, patient_id AS "patientId", enquiry_id AS "enquiryId", triage_decision_id AS "triageDecisionId", pathway,
  admitted_on AS "admittedOn", via_partner_hospital AS "viaPartnerHospital", status, discharged_on AS "dischargedOn", created_by AS "createdBy",
  created_at AS "createdAt", updated_at AS "updatedAt" FROM admissions WHERE id = $1 LIMIT 1`;
const SELECT_DISCHARGE = `SELECT admission_id AS "admissionId", discharged_on AS "dischargedOn", prescriber_name AS "prescriberName",
  prescriber_practice AS "prescriberPractice", prescriber_phone AS "prescriberPhone", prescriber_email AS "prescriberEmail",
  recorded_by AS "recordedBy", created_at AS "createdAt" FROM discharges WHERE admission_id = $1 LIMIT 1`;
const SELECT_CONSENT = `SELECT id, position, admission_id AS "admissionId", given, recipient_name AS "recipientName", recorded_on AS "recordedOn",
  recorded_by AS "recordedBy", created_at AS "createdAt" FROM share_consents WHERE admission_id = $1 ORDER BY position DESC LIMIT 1`;
const SELECT_PATIENTS = `SELECT id, given_name AS "givenName", family_name AS "familyName", date_of_birth AS "dateOfBirth", sex,
  created_at AS "createdAt", updated_at AS "updatedAt" FROM patients WHERE id IN ($1)`;
const SELECT_CURRENT_ASSESSMENT = `SELECT id, enquiry_id AS "enquiryId", patient_id AS "patientId", version, input, factor_table AS "factorTable",
  total_daily_mme AS "totalDailyMme", mme_lines AS "mmeLines", dsm5_result AS "dsm5Result", classification,
  hyperalgesia_suspected AS "hyperalgesiaSuspected", long_acting AS "longActing", warnings, assessed_by AS "assessedBy", created_at AS "createdAt"
  FROM assessments WHERE enquiry_id = $1 ORDER BY version DESC LIMIT 1`;
const SELECT_TAPER_VERSIONS = `SELECT id, order_id AS "orderId", version, admission_id AS "admissionId", patient_id AS "patientId", status, drug, formulation,
  unit, start_daily_dose AS "startDailyDose", unit_strengths AS "unitStrengths", allow_half_tablets AS "allowHalfTablets",
  reduction_percent AS "reductionPercent", interval_days AS "intervalDays", basis, start_date AS "startDate", target_daily_dose AS "targetDailyDose",
  override_reason AS "overrideReason", life_threatening_reason AS "lifeThreateningReason", ends_on AS "endsOn", warnings, pauses,
  supersedes_id AS "supersedesId", effective_from AS "effectiveFrom", amendment_reason AS "amendmentReason", superseded_from AS "supersededFrom",
  created_by AS "createdBy", created_at AS "createdAt", signed_by AS "signedBy", signed_at AS "signedAt"
  FROM taper_orders WHERE admission_id = $1 ORDER BY created_at ASC, version ASC`;
const SELECT_STEPS = `SELECT version_id AS "versionId", step, starts_on AS "startsOn", daily_dose AS "dailyDose", daily_mme AS "dailyMme",
  reduction_percent AS "reductionPercent", percent_of_start AS "percentOfStart" FROM taper_steps WHERE version_id IN`;
const SELECT_MEDICATIONS = `SELECT id, admission_id AS "admissionId", patient_id AS "patientId", drug, dose, unit, times_per_day AS "timesPerDay", route,
  indication, daily_dose AS "dailyDose", max_daily_dose AS "maxDailyDose", status, warnings, overridden, override_reason AS "overrideReason",
  ordered_by AS "orderedBy", created_at AS "createdAt", discontinued_at AS "discontinuedAt", discontinued_by AS "discontinuedBy",
  discontinue_reason AS "discontinueReason" FROM pain_medications WHERE admission_id = $1 ORDER BY created_at ASC, id ASC`;
const SELECT_THERAPIES = `SELECT id, admission_id AS "admissionId", patient_id AS "patientId", type, frequency, notes, ordered_by AS "orderedBy",
  created_at AS "createdAt" FROM pain_therapies WHERE admission_id = $1 ORDER BY created_at ASC, id ASC`;
const SELECT_OBSERVATIONS = `SELECT id, position, admission_id AS "admissionId", patient_id AS "patientId", type, recorded_at AS "recordedAt", score, items,
  band, alerts, recorded_by AS "recordedBy", created_at AS "createdAt" FROM observations WHERE admission_id = $1 ORDER BY recorded_at ASC, position ASC`;
const SELECT_CHECK_INS = `SELECT id, admission_id AS "admissionId", patient_id AS "patientId", sequence, due_on AS "dueOn", status, notes,
  updated_by AS "updatedBy", updated_at AS "updatedAt" FROM aftercare_check_ins WHERE admission_id = $1 ORDER BY sequence ASC`;

type Row = Record<string, unknown>;

/** numeric columns arrive as strings; the app's entities hold numbers (numericTransformer). */
function numbers<T extends Row>(rows: T[], columns: string[]): T[] {
  for (const row of rows) for (const column of columns) if (row[column] !== null) (row as Row)[column] = Number(row[column]);
  return rows;
}

export async function produceHandoff(services: Services, context: Context, admissionId: string | undefined, query: URLSearchParams): Promise<Answer> {
  const format = query.get('format') ?? 'json';
  if (format !== 'json') throw new Refusal(501, 'NOT_IN_BASELINE', 'The baseline builds the JSON summary only.');
  const client = await services.pool.connect();
  let sources: HandoffSources;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const admission = (await client.query(SELECT_ADMISSION, [admissionId])).rows[0];
    if (!admission) throw new Refusal(404, 'NOT_FOUND', 'Admission not found.');
    const discharge = admission.status === 'DISCHARGED' ? (await client.query(SELECT_DISCHARGE, [admissionId])).rows[0] : undefined;
    if (!discharge) throw new Refusal(409, 'NOT_DISCHARGED', 'The handoff summary is produced at discharge.');
    const consent = (await client.query(SELECT_CONSENT, [admissionId])).rows[0];
    if (!consent?.given) throw new Refusal(409, 'CONSENT_REQUIRED', 'The patient has not consented (or has withdrawn consent) to share with the outside prescriber.');
    const patient = (await client.query(SELECT_PATIENTS, [admission.patientId])).rows[0];
    const assessment = (await client.query(SELECT_CURRENT_ASSESSMENT, [admission.enquiryId])).rows[0];
    if (!patient || !assessment) throw new Refusal(404, 'NOT_FOUND', 'Patient record not found.');
    assessment.totalDailyMme = Number(assessment.totalDailyMme);
    const versions = numbers((await client.query(SELECT_TAPER_VERSIONS, [admissionId])).rows, ['startDailyDose', 'reductionPercent', 'targetDailyDose']);
    const steps = versions.length
      ? numbers((await client.query(`${SELECT_STEPS} (${versions.map((_, i) => `$${i + 1}`).join(', ')}) ORDER BY step ASC`, versions.map((v) => v.id))).rows, ['dailyDose', 'dailyMme', 'reductionPercent', 'percentOfStart'])
      : [];
    const medications = numbers((await client.query(SELECT_MEDICATIONS, [admissionId])).rows, ['dose', 'dailyDose', 'maxDailyDose']);
    const therapies = (await client.query(SELECT_THERAPIES, [admissionId])).rows;
    const observations = (await client.query(SELECT_OBSERVATIONS, [admissionId])).rows;
    const checkIns = (await client.query(SELECT_CHECK_INS, [admissionId])).rows;
    await client.query('COMMIT');
    sources = {
      generatedAt: new Date(),
      timeZone: services.config.clinicTimeZone,
      clinic: services.config.clinic,
      admission: { ...admission, dischargedOn: discharge.dischargedOn },
      patient,
      discharge,
      consent,
      assessment,
      taperVersions: versions,
      taperSteps: steps,
      observations,
      medications,
      therapies,
      checkIns,
    } as HandoffSources;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  const summary = buildHandoffSummary(sources);
  await recordAudit(services.pool, context, {
    action: 'EXPORT',
    resource: 'handoff',
    resourceId: admissionId,
    patientId: sources.patient.id,
    detail: { format, recipient: summary.recipient.name, practice: summary.recipient.practice },
  });
  return { status: 200, body: summary };
}
