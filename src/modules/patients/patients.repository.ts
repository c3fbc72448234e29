import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { findOrNotFound, lockOrNotFound } from '../../common/database/rows.js';
import type { SearchTerms } from '../../common/search/search-terms.js';
import { PatientEntity } from './patient.entity.js';
import { patientSearchStatement, type PatientSearchKey, type PatientSearchRow } from './patient-search.js';

/** How far a patient's record reaches beyond one enquiry. */
export interface PatientRecordUse {
  /** Other enquiries about the patient (open, closed or admitted). */
  otherEnquiries: number;
  stays: number;
  firstAdmittedOn: string | null;
}

/**
 * One person's name, compared the one way the duplicate guard and the returning-patient check
 * both use: folded as the search folds it (case, accents, width, punctuation, spacing), given and
 * family either way round. `given` and `family` are the statement's placeholders.
 */
const sameName = (given: string, family: string) => `search_name IN (search_name_text(${given}, ${family}), search_name_text(${family}, ${given}))`;

/** A stay as the patient's record lists it. */
export interface PatientAdmissionRow {
  id: string;
  admittedOn: string;
  status: string;
}

// Read here with plain SQL rather than through the admissions module, which itself depends on this one.
const ADMISSIONS_OF_PATIENT = `SELECT id, admitted_on::text AS "admittedOn", status FROM admissions WHERE patient_id = $1 ORDER BY admitted_on DESC, position DESC`;

/** Patient identity records; callers pass their transaction and do their own auditing. */
@Injectable()
export class PatientsRepository {
  /** For reads, which the caller audits; 404 if there is none. */
  find(manager: EntityManager, id: string): Promise<PatientEntity> {
    return findOrNotFound(manager, PatientEntity, id, 'Patient');
  }

  /** The patient, locked for the rest of the caller's transaction; 404 if there is none. */
  lock(manager: EntityManager, id: string): Promise<PatientEntity> {
    return lockOrNotFound(manager, PatientEntity, id, 'Patient');
  }

  async insert(manager: EntityManager, patient: PatientEntity): Promise<void> {
    await manager.insert(PatientEntity, patient);
  }

  async save(manager: EntityManager, patient: PatientEntity): Promise<void> {
    await manager.save(PatientEntity, patient);
  }

  /** The patients with these ids, in one query. */
  async findMany(manager: EntityManager, ids: readonly string[]): Promise<Map<string, PatientEntity>> {
    if (ids.length === 0) return new Map();
    const patients = await manager.createQueryBuilder(PatientEntity, 'p').where('p.id IN (:...ids)', { ids: [...new Set(ids)] }).getMany();
    return new Map(patients.map((p) => [p.id, p]));
  }

  /** A page of a search, best matches first, `limit + 1` rows (see toPage). */
  search(manager: EntityManager, terms: SearchTerms, page: { after: PatientSearchKey | null; limit: number }): Promise<PatientSearchRow[]> {
    const { sql, values } = patientSearchStatement(terms, page);
    return manager.query(sql, values);
  }

  /**
   * Patients who may be the person described: born the same day, and with the same name (folded
   * as the search folds it: case, accents, spacing; either way round), the same phone digits or
   * the same email. Serialised per date of birth, so that two first assessments of one new person
   * cannot both miss each other. `excludeId`: the record being corrected, never its own duplicate.
   */
  async likelySamePerson(
    manager: EntityManager,
    person: { givenName: string; familyName: string; dateOfBirth: string; phone?: string; email?: string },
    excludeId: string | null = null,
  ): Promise<{ id: string; hn: string }[]> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('patient-born:' || $1::text))`, [person.dateOfBirth]);
    return manager.query(
      `SELECT id, hn FROM patients
        WHERE date_of_birth = $1::date
          AND ($6::uuid IS NULL OR id <> $6::uuid)
          AND (${sameName('$2', '$3')}
               OR ($4::text IS NOT NULL AND search_phone = search_phone_digits($4))
               OR ($5::text IS NOT NULL AND email = lower($5)))
        ORDER BY hn LIMIT 10`,
      [person.dateOfBirth, person.givenName, person.familyName, person.phone ?? null, person.email ?? null, excludeId],
    );
  }

  /** Whether the patient's recorded name is this one, compared as likelySamePerson compares names. */
  async hasName(manager: EntityManager, patientId: string, name: { givenName: string; familyName: string }): Promise<boolean> {
    const [row]: { same: boolean }[] = await manager.query(`SELECT ${sameName('$2', '$3')} AS same FROM patients WHERE id = $1`, [patientId, name.givenName, name.familyName]);
    return row?.same === true;
  }

  /** The patient's other enquiries (besides `enquiryId`) and stays, in one statement. */
  async recordUse(manager: EntityManager, patientId: string, enquiryId: string): Promise<PatientRecordUse> {
    const [row]: PatientRecordUse[] = await manager.query(
      `SELECT (SELECT count(*)::int FROM enquiries WHERE patient_id = $1 AND id <> $2) AS "otherEnquiries",
              (SELECT count(*)::int FROM admissions WHERE patient_id = $1) AS stays,
              (SELECT min(admitted_on)::text FROM admissions WHERE patient_id = $1) AS "firstAdmittedOn"`,
      [patientId, enquiryId],
    );
    return row!;
  }

  /** Every stay of the patient, the latest first. */
  admissionsOf(manager: EntityManager, patientId: string): Promise<PatientAdmissionRow[]> {
    return manager.query(ADMISSIONS_OF_PATIENT, [patientId]);
  }
}
