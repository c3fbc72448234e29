import type { EntityManager } from 'typeorm';
import { TRAVEL_ITEMS } from '../billing/index.js';

/** The latest record of a stay, by its clinic day, and what it is. */
export interface LastRecord {
  day: string;
  what: string;
}

/**
 * The stay's latest dated record of care: a dose on the medication record (not void), an
 * observation (its clinic day), a dispensation, a psychiatric consult, or a charge (travel
 * aside: the flight home may follow the discharge). A discharge dated before it would leave
 * care recorded after the stay, and a handoff whose last dose comes after the discharge.
 */
export async function lastRecordOfStay(manager: EntityManager, admissionId: string, timeZone: string): Promise<LastRecord | null> {
  const rows: LastRecord[] = await manager.query(
    `SELECT day::text AS day, what FROM (
       SELECT max(given_on) AS day, 'a dose on the medication record' AS what FROM administrations WHERE admission_id = $1 AND voided_at IS NULL
       UNION ALL SELECT max((recorded_at AT TIME ZONE $2)::date), 'an observation' FROM observations WHERE admission_id = $1
       UNION ALL SELECT max(dispensed_on), 'a dispensation' FROM dispensations WHERE admission_id = $1 AND voided_at IS NULL
       UNION ALL SELECT max(date), 'a psychiatric consult' FROM psych_consults WHERE admission_id = $1
       UNION ALL SELECT max(service_date), 'a charge' FROM charges WHERE admission_id = $1 AND item_code <> ALL($3::text[])
     ) r WHERE day IS NOT NULL ORDER BY day DESC, what LIMIT 1`,
    [admissionId, timeZone, TRAVEL_ITEMS],
  );
  return rows[0] ?? null;
}
