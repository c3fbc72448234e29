import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { medicationBalance, type BalanceLine, type DispensedStock, type GivenStock } from '../../clinical/supply.js';

/** One drug (every formulation of it) or nothing: the whole admission. */
export type StockFilter = { drug: string } | undefined;

/**
 * An admission's medication stock per product (domain.md §10): what was dispensed (not void), and
 * what of it the administration record says was given, each with its formulation (a dose's is
 * its order's). Dispensing reads it to keep the stock of a product within its orders' need; the
 * administration record to warn of doses given beyond it.
 */
@Injectable()
export class StockLedgerRepository {
  /** Everything dispensed for the admission and not voided, one row per product, strength and unit. */
  async dispensedStock(manager: EntityManager, admissionId: string, filter?: StockFilter): Promise<DispensedStock[]> {
    const rows: { drug: string; formulation: string | null; strength: string; unit: string; quantity: string }[] = await manager.query(
      `SELECT drug, formulation, strength, unit, SUM(quantity) AS quantity FROM dispensations
        WHERE admission_id = $1 AND ($2::text IS NULL OR drug = $2) AND voided_at IS NULL
        GROUP BY drug, formulation, strength, unit`,
      [admissionId, filter?.drug ?? null],
    );
    return rows.map((row) => ({ drug: row.drug, formulation: row.formulation, strength: Number(row.strength), unit: row.unit, quantity: Number(row.quantity) }));
  }

  /** What was given for the admission, per product and unit: doses GIVEN and not voided. */
  async givenStock(manager: EntityManager, admissionId: string, filter?: StockFilter): Promise<GivenStock[]> {
    const rows: { drug: string; formulation: string | null; unit: string; dose: string }[] = await manager.query(
      `SELECT drug, formulation, unit, SUM(dose) AS dose FROM administrations
        WHERE admission_id = $1 AND ($2::text IS NULL OR drug = $2) AND outcome = 'GIVEN' AND voided_at IS NULL
        GROUP BY drug, formulation, unit`,
      [admissionId, filter?.drug ?? null],
    );
    return rows.map((row) => ({ drug: row.drug, formulation: row.formulation, unit: row.unit, dose: Number(row.dose) }));
  }

  /** Per product and unit: dispensed, given, on hand (optionally the products of one drug). */
  async balance(manager: EntityManager, admissionId: string, filter?: StockFilter): Promise<BalanceLine[]> {
    return medicationBalance(await this.dispensedStock(manager, admissionId, filter), await this.givenStock(manager, admissionId, filter));
  }

  /** The balance line of one product in one unit, if it has any stock or doses. */
  async productLine(manager: EntityManager, admissionId: string, product: { drug: string; formulation: string | null; unit: string }): Promise<BalanceLine | undefined> {
    const lines = await this.balance(manager, admissionId, { drug: product.drug });
    return lines.find((l) => l.formulation === product.formulation && l.unit === product.unit);
  }
}
