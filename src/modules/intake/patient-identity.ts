import type { EntityManager } from 'typeorm';
import type { ErrorDetail } from '../../common/errors/domain-error.js';
import { formatHn, type PatientEntity, type PatientRecordUse, type PatientsRepository, type Sex } from '../patients/index.js';
import { INTAKE_ERRORS } from './intake.errors.js';
import type { IntakeRepository } from './intake.repository.js';

/** The person as an assessment describes them. */
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

/** A phone or email given is recorded (the email in lower case); one left out keeps the record's (api.md). */
export function applyContact(patient: PatientEntity, details: PatientDetails): void {
  if (details.phone !== undefined) patient.phone = details.phone;
  if (details.email !== undefined) patient.email = details.email.toLowerCase();
}

/** On a record whose identity may not change, a sex is only filled in where none was known. */
export function fillInSex(patient: PatientEntity, details: PatientDetails): void {
  if (patient.sex === 'unknown' && details.sex) patient.sex = details.sex;
}

/**
 * Another enquiry or a stay rests on this record: the name (compared as the duplicate guard
 * compares it) and the date of birth must be the record's. Spelling that folds to the same
 * name is accepted and the record keeps its own.
 */
export async function requireRecordedIdentity(patients: PatientsRepository, manager: EntityManager, patient: PatientEntity, details: PatientDetails, use: PatientRecordUse): Promise<void> {
  const shared = use.stays > 0 ? 'has a stay' : 'belongs to another enquiry too';
  const reason = (what: string) => `is not the recorded ${what}: the record ${shared}, so this enquiry's assessment may not change it`;
  const differences: ErrorDetail[] = [];
  if (!(await patients.hasName(manager, patient.id, details))) {
    differences.push({ field: 'patient.givenName', reason: reason('name') }, { field: 'patient.familyName', reason: reason('name') });
  }
  if (details.dateOfBirth !== patient.dateOfBirth) differences.push({ field: 'patient.dateOfBirth', reason: reason('date of birth') });
  if (differences.length === 0) return;
  throw INTAKE_ERRORS.PATIENT_DETAILS_MISMATCH(
    `${formatHn(patient.hn)} ${shared}: send the name and date of birth as recorded. If this enquiry is about someone else, close it and open a new one.`,
    differences,
  );
}

/**
 * The record is this enquiry's alone and has no stay: the version corrects the identity, but a
 * date of birth never moves after a day the patient was already assessed or admitted on.
 */
export async function correctIdentity(
  lookups: { assessments: IntakeRepository; timeZone: string },
  manager: EntityManager,
  patient: PatientEntity,
  details: PatientDetails,
  use: PatientRecordUse,
): Promise<void> {
  if (details.dateOfBirth !== patient.dateOfBirth) {
    const assessedOn = await lookups.assessments.firstAssessedOn(manager, patient.id, lookups.timeZone);
    refuseBirthAfter(details.dateOfBirth, [
      { date: use.firstAdmittedOn, what: 'admission' },
      { date: assessedOn, what: 'assessment' },
    ]);
  }
  const { givenName, familyName, dateOfBirth, sex } = details;
  Object.assign(patient, { givenName, familyName, dateOfBirth, sex: sex ?? patient.sex });
}

function refuseBirthAfter(dateOfBirth: string, onRecord: { date: string | null; what: string }[]): void {
  const earlier = onRecord.filter((r): r is { date: string; what: string } => r.date !== null && r.date < dateOfBirth).sort((a, b) => a.date.localeCompare(b.date));
  if (earlier.length === 0) return;
  const first = earlier[0]!;
  throw INTAKE_ERRORS.DATE_OF_BIRTH_AFTER_CARE(`The patient's first ${first.what} on record is dated ${first.date}.`, [
    { field: 'patient.dateOfBirth', reason: `must not be after the patient's first ${first.what} (${first.date})` },
  ]);
}
