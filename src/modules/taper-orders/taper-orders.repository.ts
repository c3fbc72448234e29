import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TaperDoseEntry } from '../../clinical/administration-history.js';
import { lockOrNotFound } from '../../common/database/rows.js';
import type { OpioidTaperStep, TaperPause } from '../../clinical/taper.js';
import type { DoseUnit, OpioidFormulation } from '../../clinical/mme.js';
import type { Product } from '../../clinical/taper.js';
import { TaperOrderEntity, type RecordedPause } from './taper-order.entity.js';
import { TaperStepEntity } from './taper-step.entity.js';

/** An ACTIVE version as the clinical rules read it: its product, its steps and its pauses. */
export interface ActiveVersion extends Product {
  id: string;
  orderId: string;
  version: number;
  unit: DoseUnit;
  /** A rotation: the intake product it replaces. */
  replaces: Product | null;
  /** A rotation given beside the product it replaces. */
  crossTaper: boolean;
  /** What a dose is made of (the record gives only doses these can make). */
  unitStrengths: number[];
  allowHalfTablets: boolean;
  steps: OpioidTaperStep[];
  pauses: TaperPause[];
}

interface ActiveVersionRow {
  id: string;
  order_id: string;
  version: number;
  unit: DoseUnit;
  drug: string;
  formulation: OpioidFormulation;
  replaces_drug: string | null;
  replaces_formulation: OpioidFormulation | null;
  cross_taper: boolean;
  unit_strengths: (string | number)[];
  allow_half_tablets: boolean;
  pauses: RecordedPause[];
  steps: (Omit<OpioidTaperStep, 'dailyDose' | 'dailyMme'> & { dailyDose: string | number; dailyMme: string | number | null })[];
}

const ACTIVE_VERSION_COLUMNS = `
  SELECT o.id, o.order_id, o.version, o.unit, o.drug, o.formulation, o.replaces_drug, o.replaces_formulation, o.cross_taper, o.unit_strengths, o.allow_half_tablets, o.pauses,
         (SELECT json_agg(json_build_object('step', s.step, 'startsOn', s.starts_on, 'dailyDose', s.daily_dose, 'dailyMme', s.daily_mme,
                                            'reductionPercent', s.reduction_percent, 'percentOfStart', s.percent_of_start) ORDER BY s.step)
            FROM taper_steps s WHERE s.version_id = o.id) AS steps
    FROM taper_orders o`;

const ACTIVE_VERSIONS = `${ACTIVE_VERSION_COLUMNS}
   WHERE o.admission_id = $1 AND o.status = 'ACTIVE'
   ORDER BY o.created_at, o.id`;

// An order is named by its orderId (the id of version 1), or by the id of its ACTIVE version.
const ACTIVE_VERSION_OF_ORDER = `${ACTIVE_VERSION_COLUMNS}
   WHERE o.admission_id = $1 AND o.status = 'ACTIVE' AND (o.order_id = $2 OR o.id = $2)`;

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
  async insertSteps(manager: EntityManager, versionId: string, steps: readonly OpioidTaperStep[]): Promise<TaperStepEntity[]> {
    const rows = steps.map((step) => manager.create(TaperStepEntity, { versionId, ...step }));
    await manager.insert(TaperStepEntity, rows);
    return rows;
  }

  /**
   * The ACTIVE version of each order of the admission with its steps and pauses, in one statement:
   * what the patient takes on any day from these orders (a version keeps the steps already taken).
   */
  async activeVersions(manager: EntityManager, admissionId: string): Promise<ActiveVersion[]> {
    const rows: ActiveVersionRow[] = await manager.query(ACTIVE_VERSIONS, [admissionId]);
    return rows.map(toActiveVersion);
  }

  /** The ACTIVE version of one order of the admission, named by its orderId or its own id; null if none is ACTIVE. */
  async activeVersionOf(manager: EntityManager, admissionId: string, orderId: string): Promise<ActiveVersion | null> {
    const rows: ActiveVersionRow[] = await manager.query(ACTIVE_VERSION_OF_ORDER, [admissionId, orderId]);
    return rows[0] ? toActiveVersion(rows[0]) : null;
  }

  /** Some version of the admission's orders has this id or orderId (a draft, a superseded version). */
  isOrderOf(manager: EntityManager, admissionId: string, orderId: string): Promise<boolean> {
    return manager.exists(TaperOrderEntity, { where: [{ admissionId, orderId }, { admissionId, id: orderId }] });
  }

  /**
   * The doses of this order (every version) the administration record shows GIVEN, not voided,
   * on or after a clinic day (a patch given before it is still on: `appliedAfter`). Read here as
   * plain SQL: the administrations module builds on this one.
   */
  async takenSince(manager: EntityManager, orderId: string, day: string, appliedAfter: Date | null): Promise<TaperDoseEntry[]> {
    const rows: { given_on: string; dose: string; given_at: Date }[] = await manager.query(
      `SELECT given_on::text, dose, given_at FROM administrations
        WHERE order_kind = 'TAPER' AND order_id = $1 AND outcome = 'GIVEN' AND voided_at IS NULL
          AND (given_on >= $2 OR given_at > $3)`,
      [orderId, day, appliedAfter],
    );
    return rows.map((row) => ({ date: row.given_on, dose: Number(row.dose), outcome: 'GIVEN', givenAt: row.given_at.toISOString() }));
  }
}

function toActiveVersion(row: ActiveVersionRow): ActiveVersion {
  return {
    id: row.id,
    orderId: row.order_id,
    version: row.version,
    unit: row.unit,
    drug: row.drug,
    formulation: row.formulation,
    replaces: row.replaces_drug && row.replaces_formulation ? { drug: row.replaces_drug, formulation: row.replaces_formulation } : null,
    crossTaper: row.cross_taper,
    unitStrengths: row.unit_strengths.map(Number),
    allowHalfTablets: row.allow_half_tablets,
    pauses: row.pauses.map(({ from, days }) => ({ from, days })),
    steps: row.steps.map((s) => ({ ...s, dailyDose: Number(s.dailyDose), dailyMme: s.dailyMme === null ? null : Number(s.dailyMme) })),
  };
}
