import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { findOrNotFound, lockOrNotFound, shareOrNotFound } from '../../common/database/rows.js';
import { decodeCursor } from '../../common/pagination/cursor.js';
import { AdmissionEntity, type AdmissionStatus } from './admission.entity.js';
import { ADMISSION_ERRORS } from './admissions.errors.js';

/** Admissions as other modules need them: found, locked for a use case, discharged. */
@Injectable()
export class AdmissionsRepository {
  /** An admission, 404 if there is none. */
  find(manager: EntityManager, id: string): Promise<AdmissionEntity> {
    return findOrNotFound(manager, AdmissionEntity, id, 'Admission');
  }

  /** An admission in any state, locked for the rest of the caller's transaction (billing after discharge). */
  lock(manager: EntityManager, id: string): Promise<AdmissionEntity> {
    return lockOrNotFound(manager, AdmissionEntity, id, 'Admission');
  }

  /**
   * An admission in any state, share-locked for the rest of the caller's transaction: records
   * dated within the stay (an observation, a charge) are written side by side, while a discharge,
   * which checks the stay's latest record, waits for them (and they for it).
   */
  share(manager: EntityManager, id: string): Promise<AdmissionEntity> {
    return shareOrNotFound(manager, AdmissionEntity, id, 'Admission');
  }

  /**
   * An ACTIVE admission, locked for the rest of the caller's transaction: orders written for one
   * patient at the same moment queue behind each other (e.g. two NSAIDs checked for duplicates).
   */
  async lockActive(manager: EntityManager, id: string): Promise<AdmissionEntity> {
    const admission = await this.lock(manager, id);
    if (admission.status !== 'ACTIVE') throw ADMISSION_ERRORS.ADMISSION_NOT_ACTIVE();
    return admission;
  }

  hasActive(manager: EntityManager, patientId: string): Promise<boolean> {
    return manager.existsBy(AdmissionEntity, { patientId, status: 'ACTIVE' });
  }

  /** The last day of the patient's stays so far (all discharged when none is active), or null for a first stay. */
  async lastDischargedOn(manager: EntityManager, patientId: string): Promise<string | null> {
    const [row]: { last: string | null }[] = await manager.query('SELECT max(discharged_on)::text AS last FROM admissions WHERE patient_id = $1', [patientId]);
    return row?.last ?? null;
  }

  /** The partial unique index settles a race between two enquiries of one patient. */
  async insert(manager: EntityManager, admission: AdmissionEntity): Promise<void> {
    await manager.insert(AdmissionEntity, admission).catch((error: unknown) => {
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') throw ADMISSION_ERRORS.ALREADY_ADMITTED();
      throw error;
    });
  }

  /** A locked ACTIVE admission becomes DISCHARGED on that day. */
  async markDischarged(manager: EntityManager, admission: AdmissionEntity, dischargedOn: string): Promise<void> {
    Object.assign(admission, { status: 'DISCHARGED', dischargedOn });
    await manager.save(AdmissionEntity, admission);
  }

  /** Newest first, `limit + 1` rows (see toPage). */
  page(manager: EntityManager, query: { status?: AdmissionStatus; cursor?: string; limit: number }): Promise<AdmissionEntity[]> {
    const builder = manager.createQueryBuilder(AdmissionEntity, 'a').orderBy('a.position', 'DESC').limit(query.limit + 1);
    if (query.status) builder.andWhere('a.status = :status', { status: query.status });
    if (query.cursor) builder.andWhere('a.position < :position', { position: decodeCursor(query.cursor, ['integer'])[0] });
    return builder.getMany();
  }
}
