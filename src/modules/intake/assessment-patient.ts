import type { EntityManager } from 'typeorm';
import type { AuditEntry } from '../../common/audit/audit-event.js';
import { formatHn, PatientEntity, type PatientsRepository } from '../patients/index.js';
import { INTAKE_ERRORS } from './intake.errors.js';
import { applyContact, correctIdentity, fillInSex, requireRecordedIdentity, type PatientDetails } from './patient-identity.js';
import type { IntakeRepository } from './intake.repository.js';

export type { PatientDetails } from './patient-identity.js';

/** What resolving the patient reads and writes through. */
export interface PatientLookups {
  patients: PatientsRepository;
  assessments: IntakeRepository;
  timeZone: string;
}

export interface AssessedPatientRequest {
  patientId?: string;
  confirmNewPatient?: boolean;
  patient: PatientDetails;
}

/**
 * The patient an assessment is about: the enquiry's patient, whose identity a later version may
 * correct only while the record is this enquiry's alone (see patient-identity.ts); or, on the
 * first assessment, a returning patient named by `patientId` (checked, not renamed); or a new
 * patient. Contact details given are recorded either way.
 *
 * A refusal that names or confirms another patient is pushed onto `revealed`: its audit rows
 * would roll back with the transaction, so the caller writes them afterwards.
 */
export async function resolveAssessedPatient(
  lookups: PatientLookups,
  manager: EntityManager,
  enquiry: { id: string; patientId: string | null },
  requested: AssessedPatientRequest,
  revealed: AuditEntry[],
): Promise<PatientEntity> {
  // UUIDs are compared as PostgreSQL stores them (lower case); the client may send upper case.
  const requestedId = requested.patientId?.toLowerCase() ?? null;
  if (enquiry.patientId && requestedId && enquiry.patientId !== requestedId) throw INTAKE_ERRORS.PATIENT_MISMATCH();
  if (enquiry.patientId) return reassessed(lookups, manager, enquiry.id, enquiry.patientId, requested, revealed);
  if (requestedId) return attachReturning(lookups.patients, manager, enquiry.id, requestedId, requested.patient, revealed);
  if (requested.confirmNewPatient !== true) await refuseLikelyDuplicate(lookups.patients, manager, enquiry.id, requested.patient, revealed, NEW_PATIENT_ADVICE);
  const { givenName, familyName, dateOfBirth, sex, phone, email } = requested.patient;
  // The database gives the hospital number (insert() reads it back into the entity).
  const patient = manager.create(PatientEntity, { givenName, familyName, dateOfBirth, sex: sex ?? 'unknown', phone: phone ?? null, email: email?.toLowerCase() ?? null });
  await lookups.patients.insert(manager, patient);
  return patient;
}

const NEW_PATIENT_ADVICE = 'If this is that patient, send their patientId; if it is another person, send confirmNewPatient: true.';
// The enquiry cannot move to another record: the way to that patient is a new enquiry naming them.
const CORRECTION_ADVICE =
  "If this is that patient, close this enquiry and assess them on a new one with that patientId; if it is another person, send confirmNewPatient: true.";

/**
 * A later version: the record is this enquiry's alone and has no stay, so a typo of the first
 * version may be corrected; otherwise another enquiry's assessment, a stay, its documents all
 * rest on that identity, and this enquiry must not rename someone it was attached to.
 */
async function reassessed(
  lookups: PatientLookups,
  manager: EntityManager,
  enquiryId: string,
  patientId: string,
  requested: AssessedPatientRequest,
  revealed: AuditEntry[],
): Promise<PatientEntity> {
  const details = requested.patient;
  const patient = await lookups.patients.lock(manager, patientId);
  const use = await lookups.patients.recordUse(manager, patientId, enquiryId);
  if (use.otherEnquiries > 0 || use.stays > 0) {
    await requireRecordedIdentity(lookups.patients, manager, patient, details, use);
    fillInSex(patient, details);
    applyContact(patient, details);
  } else {
    // "Jon" corrected to "John" may turn this record into a copy of one already on record.
    const renamed = details.dateOfBirth !== patient.dateOfBirth || !(await lookups.patients.hasName(manager, patient.id, details));
    await correctIdentity(lookups, manager, patient, details, use);
    applyContact(patient, details);
    if (renamed && requested.confirmNewPatient !== true) {
      const corrected = { ...details, phone: patient.phone ?? undefined, email: patient.email ?? undefined };
      await refuseLikelyDuplicate(lookups.patients, manager, enquiryId, corrected, revealed, CORRECTION_ADVICE, patient.id);
    }
  }
  await lookups.patients.save(manager, patient);
  return patient;
}

/**
 * A second record of one person splits their medication history, lets them hold two stays at
 * once and bills both: a new patient (or a record renamed by a later version) born the same day
 * as another on record, with the same name, phone or email, is refused until the client names
 * the returning patient or confirms another. The refusal discloses that those people are
 * patients here: a read of each one's record.
 */
async function refuseLikelyDuplicate(
  patients: PatientsRepository,
  manager: EntityManager,
  enquiryId: string,
  details: PatientDetails,
  revealed: AuditEntry[],
  advice: string,
  excludeId: string | null = null,
): Promise<void> {
  const likely = await patients.likelySamePerson(manager, details, excludeId);
  if (likely.length === 0) return;
  for (const p of likely) revealed.push({ action: 'READ', resource: 'patient', resourceId: p.id, patientId: p.id, detail: { refusal: 'POSSIBLE_DUPLICATE_PATIENT', enquiryId } });
  const hns = likely.map((p) => formatHn(p.hn)).join(', ');
  throw INTAKE_ERRORS.POSSIBLE_DUPLICATE_PATIENT(
    `${hns} ${likely.length === 1 ? 'is' : 'are'} on record with this date of birth and the same name, phone or email. ` +
      advice,
    [{ field: 'patientId', reason: `may be ${hns} (${likely.map((p) => p.id).join(', ')})` }],
  );
}

/**
 * The details given must name the same person, compared as the duplicate guard compares them: a
 * mistyped id must not attach, let alone rewrite, someone else. The record's name and date of
 * birth stay as they are; contact details given are recorded.
 */
async function attachReturning(
  patients: PatientsRepository,
  manager: EntityManager,
  enquiryId: string,
  patientId: string,
  details: PatientDetails,
  revealed: AuditEntry[],
): Promise<PatientEntity> {
  const patient = await patients.lock(manager, patientId);
  const same = patient.dateOfBirth === details.dateOfBirth && (await patients.hasName(manager, patient.id, details));
  if (!same) {
    // Tells the caller the id exists: on that patient's trail, as a refused read.
    revealed.push({ action: 'READ', resource: 'patient', resourceId: patient.id, patientId: patient.id, outcome: 'DENIED', detail: { refusal: 'PATIENT_DETAILS_MISMATCH', enquiryId } });
    throw INTAKE_ERRORS.PATIENT_DETAILS_MISMATCH(undefined, [{ field: 'patientId', reason: "is a patient whose recorded name or date of birth is not the one given" }]);
  }
  fillInSex(patient, details);
  applyContact(patient, details);
  await patients.save(manager, patient);
  return patient;
}
