import { Injectable } from '@nestjs/common';
import type { ReadQuery } from '../../common/database/read-snapshot.js';
import type { AdministrationEntity } from './administration.entity.js';

/** A taper dose as the handoff reads it: what was given, held, refused or omitted, and when. */
export type TaperAdministration = Pick<AdministrationEntity, 'orderId' | 'drug' | 'formulation' | 'dose' | 'unit' | 'givenAt' | 'givenOn' | 'outcome'>;

// Void entries count toward nothing (domain.md §8a). In the shapes of the entity: dose a number,
// givenOn 'YYYY-MM-DD', givenAt a Date.
const TAPER_ENTRIES = `SELECT order_id AS "orderId", drug, formulation, dose::float8 AS dose, unit, given_at AS "givenAt", given_on::text AS "givenOn", outcome
  FROM administrations WHERE admission_id = $1 AND order_kind = 'TAPER' AND voided_at IS NULL ORDER BY given_at, position`;

/**
 * The administration record as the stay's history reads it: plain SQL through the caller's
 * read (one snapshot with the rest of the stay), one statement whatever the number of doses.
 */
@Injectable()
export class AdministrationHistoryRepository {
  /** Every non-void entry under the stay's taper orders, in the order given, then recorded. */
  taperEntries(query: ReadQuery, admissionId: string): Promise<TaperAdministration[]> {
    return query<TaperAdministration>(TAPER_ENTRIES, [admissionId]);
  }
}
