import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DoseGivenAt } from '../../clinical/administration.js';
import { lockOrNotFound } from '../../common/database/rows.js';
import { AdministrationEntity, type OrderKind } from './administration.entity.js';

// Only doses GIVEN and not voided count toward a limit (the stock ledger in billing counts them alike).
const COUNTS = `outcome = 'GIVEN' AND voided_at IS NULL`;

/** The medication administration record: its entries and what they add up to. */
@Injectable()
export class AdministrationsRepository {
  findByKey(manager: EntityManager, admissionId: string, idempotencyKey: string): Promise<AdministrationEntity | null> {
    return manager.findOneBy(AdministrationEntity, { admissionId, idempotencyKey });
  }

  /** One entry, locked for the rest of the caller's transaction; 404 if there is none. */
  lock(manager: EntityManager, id: string): Promise<AdministrationEntity> {
    return lockOrNotFound(manager, AdministrationEntity, id, 'Administration');
  }

  /** The doses given under an order (every version of a taper order) on one clinic day. */
  async dosesGivenOn(manager: EntityManager, orderId: string, givenOn: string): Promise<number[]> {
    const rows: { dose: string }[] = await manager.query(`SELECT dose FROM administrations WHERE order_id = $1 AND given_on = $2 AND ${COUNTS}`, [orderId, givenOn]);
    return rows.map((row) => Number(row.dose));
  }

  /** The doses of an order given less than `withinMs` before or after `at`: when, and how much. */
  async givenNear(manager: EntityManager, orderId: string, at: Date, withinMs: number): Promise<DoseGivenAt[]> {
    const rows: { given_at: Date; dose: string }[] = await manager.query(
      `SELECT given_at, dose FROM administrations
        WHERE order_id = $1 AND ${COUNTS}
          AND given_at > $2::timestamptz - make_interval(secs => $3) AND given_at < $2::timestamptz + make_interval(secs => $3)
        ORDER BY given_at`,
      [orderId, at, withinMs / 1000],
    );
    return rows.map((row) => ({ givenAt: row.given_at, dose: Number(row.dose) }));
  }

  /** The doses of a drug given under the admission's orders of these kinds on one clinic day, whichever order. */
  async drugDosesGivenOn(manager: EntityManager, admissionId: string, kinds: readonly OrderKind[], drug: string, givenOn: string): Promise<number[]> {
    const rows: { dose: string }[] = await manager.query(
      `SELECT dose FROM administrations WHERE admission_id = $1 AND order_kind = ANY($2::text[]) AND drug = $3 AND given_on = $4 AND ${COUNTS}`,
      [admissionId, kinds, drug, givenOn],
    );
    return rows.map((row) => Number(row.dose));
  }

  /** When a drug was given under the admission's orders of one kind less than `withinMs` before or after `at`, whichever order. */
  async drugGivenNear(manager: EntityManager, admissionId: string, kind: OrderKind, drug: string, at: Date, withinMs: number): Promise<Date[]> {
    const rows: { given_at: Date }[] = await manager.query(
      `SELECT given_at FROM administrations
        WHERE admission_id = $1 AND order_kind = $2 AND drug = $3 AND ${COUNTS}
          AND given_at > $4::timestamptz - make_interval(secs => $5) AND given_at < $4::timestamptz + make_interval(secs => $5)
        ORDER BY given_at`,
      [admissionId, kind, drug, at, withinMs / 1000],
    );
    return rows.map((row) => row.given_at);
  }

  /**
   * A page of the admission's entries in the order given, then recorded (the `limit + 1` rows
   * after the cursor, see toPage); void ones included (they stay on record).
   */
  list(
    manager: EntityManager,
    admissionId: string,
    filter: { date?: string; orderId?: string },
    page: { after: { afterAt: Date; afterPosition: string } | null; limit: number },
  ): Promise<AdministrationEntity[]> {
    const query = manager.createQueryBuilder(AdministrationEntity, 'a').where('a.admission_id = :admissionId', { admissionId });
    if (filter.date) query.andWhere('a.given_on = :date', { date: filter.date });
    // A taper order is named by its orderId or by the id of one of its versions, as when recording.
    if (filter.orderId) query.andWhere('(a.order_id = :orderId OR a.order_id = (SELECT v.order_id FROM taper_orders v WHERE v.id = :orderId))', { orderId: filter.orderId });
    if (page.after) query.andWhere('(a.given_at, a.position) > (:afterAt, :afterPosition)', page.after);
    return query.orderBy('a.given_at', 'ASC').addOrderBy('a.position', 'ASC').limit(page.limit + 1).getMany();
  }
}
