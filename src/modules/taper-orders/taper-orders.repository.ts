import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TaperInForce } from '../../clinical/opioid-in-use.js';
import type { TaperStep } from '../../clinical/taper.js';
import { lockOrNotFound } from '../../common/database/rows.js';
import { TaperOrderEntity } from './taper-order.entity.js';
import { TaperStepEntity } from './taper-step.entity.js';

/** Taper order versions and their steps, and what other modules ask of them: the tapers in force. */
@Injectable()
export class TaperOrdersRepository {
  /** One version, locked for the rest of the caller's transaction; 404 if there is none. */
  lockVersion(manager: EntityManager, id: string): Promise<TaperOrderEntity> {
    return lockOrNotFound(manager, TaperOrderEntity, id, 'Taper order');
  }

  stepsOf(manager: EntityManager, versionId: string): Promise<TaperStepEntity[]> {
    return manager.find(TaperStepEntity, { where: { versionId }, order: { step: 'ASC' } });
  }

  /** All steps of a version in one statement. */
  async insertSteps(manager: EntityManager, versionId: string, steps: readonly TaperStep[]): Promise<TaperStepEntity[]> {
    const rows = steps.map((step) => manager.create(TaperStepEntity, { versionId, ...step }));
    await manager.insert(TaperStepEntity, rows);
    return rows;
  }

  /** Is an opioid being tapered for this admission (an ACTIVE version)? */
  hasActiveOrder(manager: EntityManager, admissionId: string): Promise<boolean> {
    return manager.existsBy(TaperOrderEntity, { admissionId, status: 'ACTIVE' });
  }

  /** Each ACTIVE order of the admission with the daily dose of its step in force on `date`. */
  async tapersInForce(manager: EntityManager, admissionId: string, date: string): Promise<TaperInForce[]> {
    const rows: { drug: string; dose: string | null }[] = await manager.query(
      `SELECT o.drug,
              (SELECT s.daily_dose FROM taper_steps s WHERE s.version_id = o.id AND s.starts_on <= $2 ORDER BY s.starts_on DESC LIMIT 1) AS dose
         FROM taper_orders o
        WHERE o.admission_id = $1 AND o.status = 'ACTIVE'`,
      [admissionId, date],
    );
    return rows.map((row) => ({ drug: row.drug, dailyDoseToday: row.dose === null ? null : Number(row.dose) }));
  }
}
