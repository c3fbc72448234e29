import type { EntityManager } from 'typeorm';
import { formatHn, PatientEntity, type PatientsRepository, type Sex } from '../patients/index.js';
import { INTAKE_ERRORS } from './intake.errors.js';

export interface PatientDetails {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  /** Left out: a new patient is 'unknown', an existing one keeps what was recorded. */
  sex?: Sex;
  /** Left out: a new patient has none, an existing one keeps what was recorded. */
  phone?: string;
  email?: string;
}

/**
 * The patient an assessment is about: the enquiry's patient with details corrected by this
 * version; or, on the first assessment, a returning patient named by `requestedId` (checked, not
 * rewritten); or a new patient.
 */
export async function resolveAssessedPatient(
  patients: PatientsRepository,
  manager: EntityManager,
  enquiryPatientId: string | null,
  requested: { patientId?: string; confirmNewPatient?: boolean; patient: PatientDetails },
): Promise<PatientEntity> {
  // UUIDs are compared as PostgreSQL stores them (lower case); the client may send upper case.
  const requestedId = requested.patientId?.toLowerCase() ?? null;
  if (enquiryPatientId && requestedId && enquiryPatientId !== requestedId) throw INTAKE_ERRORS.PATIENT_MISMATCH();
  if (!enquiryPatientId && requestedId) return attachReturning(patients, manager, requestedId, requested.patient);
  const { givenName, familyName, dateOfBirth, sex, phone, email } = requested.patient;
  if (!enquiryPatientId) {
    if (requested.confirmNewPatient !== true) await refuseLikelyDuplicate(patients, manager, requested.patient);
    // The database gives the hospital number (insert() reads it back into the entity).
    const patient = manager.create(PatientEntity, { givenName, familyName, dateOfBirth, sex: sex ?? 'unknown', phone: phone ?? null, email: email?.toLowerCase() ?? null });
    await patients.insert(manager, patient);
    return patient;
  }
  const patient = await patients.lock(manager, enquiryPatientId);
  Object.assign(patient, { givenName, familyName, dateOfBirth, sex: sex ?? patient.sex, phone: phone ?? patient.phone, email: email?.toLowerCase() ?? patient.email });
  await patients.save(manager, patient);
  return patient;
}

/**
 * A second record of one person splits their medication history, lets them hold two stays at
 * once and bills both: a new patient born the same day as one on record, with the same name,
 * phone or email, is refused until the client names the returning patient or confirms another.
 */
async function refuseLikelyDuplicate(patients: PatientsRepository, manager: EntityManager, details: PatientDetails): Promise<void> {
  const likely = await patients.likelySamePerson(manager, details);
  if (likely.length === 0) return;
  const hns = likely.map((p) => formatHn(p.hn)).join(', ');
  throw INTAKE_ERRORS.POSSIBLE_DUPLICATE_PATIENT(
    `${hns} ${likely.length === 1 ? 'is' : 'are'} on record with this date of birth and the same name, phone or email. ` +
      'If this is that patient, send their patientId; if it is another person, send confirmNewPatient: true.',
    [{ field: 'patientId', reason: `may be ${hns} (${likely.map((p) => p.id).join(', ')})` }],
  );
}

/** The details given must name the same person: a mistyped id must not attach, let alone rewrite, someone else. */
async function attachReturning(patients: PatientsRepository, manager: EntityManager, patientId: string, details: PatientDetails): Promise<PatientEntity> {
  const patient = await patients.lock(manager, patientId);
  const same = (a: string, b: string) => a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();
  if (!same(patient.givenName, details.givenName) || !same(patient.familyName, details.familyName) || patient.dateOfBirth !== details.dateOfBirth) {
    throw INTAKE_ERRORS.PATIENT_DETAILS_MISMATCH();
  }
  return patient;
}
