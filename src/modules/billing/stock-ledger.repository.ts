import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { medicationBalance, type BalanceLine, type DispensedStock, type GivenStock } from '../../clinical/supply.js';

/**
 * An admission's medication stock (domain.md §10): what was dispensed, and what of it the
 * administration record says was given. Dispensing reads it to keep the stock on hand within the
 * orders' need; the administration record to warn of doses given beyond it.
 */
@Injectable()
export class StockLedgerRepository {
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

  /** What was given for the admission, per drug and unit (optionally one drug): doses GIVEN and not voided. */
  async givenStock(manager: EntityManager, admissionId: string, drug?: string): Promise<GivenStock[]> {
    const rows: { drug: string; unit: string; dose: string }[] = await manager.query(
      `SELECT drug, unit, SUM(dose) AS dose FROM administrations
        WHERE admission_id = $1 AND ($2::text IS NULL OR drug = $2) AND outcome = 'GIVEN' AND voided_at IS NULL
        GROUP BY drug, unit`,
      [admissionId, drug ?? null],
    );
    return rows.map((row) => ({ drug: row.drug, unit: row.unit, dose: Number(row.dose) }));
  }

  /** Per drug and unit: dispensed, given, on hand (optionally one drug). */
  async balance(manager: EntityManager, admissionId: string, drug?: string): Promise<BalanceLine[]> {
    return medicationBalance(await this.dispensedStock(manager, admissionId, drug), await this.givenStock(manager, admissionId, drug));
  }
}
