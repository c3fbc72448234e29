import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DispensedStock } from '../../clinical/supply.js';

/** Dispensations as other modules read them: the stock handed out for an admission. */
@Injectable()
export class DispensationsRepository {
  /** Everything dispensed for the admission, one row per drug, strength and unit (optionally one drug). */
  async dispensedStock(manager: EntityManager, admissionId: string, drug?: string): Promise<DispensedStock[]> {
    const rows: { drug: string; strength: string; unit: string; quantity: string }[] = await manager.query(
      `SELECT drug, strength, unit, SUM(quantity) AS quantity FROM dispensations
        WHERE admission_id = $1 AND ($2::text IS NULL OR drug = $2)
        GROUP BY drug, strength, unit`,
      [admissionId, drug ?? null],
    );
    return rows.map((row) => ({ drug: row.drug, strength: Number(row.strength), unit: row.unit, quantity: Number(row.quantity) }));
  }
}
