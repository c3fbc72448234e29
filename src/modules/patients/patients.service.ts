import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotFound } from '../../common/errors/common.errors.js';
import { PatientEntity, type Sex } from './patient.entity.js';
import { PATIENT_ERRORS } from './patients.errors.js';

export interface PatientDetails {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  /** Left out: a new patient is 'unknown', an existing one keeps what was recorded. */
  sex?: Sex;
}

/** Patient identity records; callers pass their transaction and do their own auditing. */
@Injectable()
export class PatientsService {
  /** Creates the patient, or brings an existing one's details up to date (a corrected spelling). */
  async createOrUpdate(manager: EntityManager, patientId: string | null, details: PatientDetails): Promise<PatientEntity> {
    if (!patientId) {
      const patient = manager.create(PatientEntity, { ...details, sex: details.sex ?? 'unknown' });
      await manager.insert(PatientEntity, patient);
      return patient;
    }
    const patient = await manager.findOne(PatientEntity, { where: { id: patientId }, lock: { mode: 'pessimistic_write' } });
    if (!patient) throw new NotFound('Patient');
    Object.assign(patient, { ...details, sex: details.sex ?? patient.sex });
    await manager.save(PatientEntity, patient);
    return patient;
  }

  /**
   * A returning patient's record, for a new enquiry. The details given must name the same person
   * (names and date of birth): a mistyped id must not attach, let alone rewrite, someone else.
   */
  async attach(manager: EntityManager, patientId: string, details: PatientDetails): Promise<PatientEntity> {
    const patient = await manager.findOne(PatientEntity, { where: { id: patientId }, lock: { mode: 'pessimistic_write' } });
    if (!patient) throw new NotFound('Patient');
    const same = (a: string, b: string) => a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();
    if (!same(patient.givenName, details.givenName) || !same(patient.familyName, details.familyName) || patient.dateOfBirth !== details.dateOfBirth) {
      throw PATIENT_ERRORS.PATIENT_DETAILS_MISMATCH('The name or date of birth does not match the record of that patient.');
    }
    return patient;
  }

  async findMany(manager: EntityManager, ids: readonly string[]): Promise<Map<string, PatientEntity>> {
    if (ids.length === 0) return new Map();
    const patients = await manager.createQueryBuilder(PatientEntity, 'p').where('p.id IN (:...ids)', { ids: [...new Set(ids)] }).getMany();
    return new Map(patients.map((p) => [p.id, p]));
  }
}
