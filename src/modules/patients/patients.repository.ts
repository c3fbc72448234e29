import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { lockOrNotFound } from '../../common/database/rows.js';
import { PatientEntity } from './patient.entity.js';

/** Patient identity records; callers pass their transaction and do their own auditing. */
@Injectable()
export class PatientsRepository {
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
}
