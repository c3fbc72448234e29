import type { EntityManager } from 'typeorm';
import { TRAVEL_ITEMS } from '../billing/index.js';

/** The latest record of a stay, by its clinic day, and what it is. */
export interface LastRecord {
  day: string;
  what: string;
}

/**
 * The stay's latest dated record of care: a dose on the medication record (not void), an
 * observation (its clinic day), a dispensation, a psychiatric consult, a charge that is not
 * void (travel aside: the flight home may follow the discharge), or the intake as last corrected
 * (its assessedOn: a patient re-assessed during the stay was still there that day). A discharge dated before it would leave
 * care recorded after the stay, and a handoff whose last dose comes after the discharge.
 */
export async function lastRecordOfStay(manager: EntityManager, admissionId: string, timeZone: string): Promise<LastRecord | null> {
  const rows: LastRecord[] = await manager.query(
    `SELECT day::text AS day, what FROM (
       SELECT max(given_on) AS day, 'a dose on the medication record' AS what FROM administrations WHERE admission_id = $1 AND voided_at IS NULL
       UNION ALL SELECT max((recorded_at AT TIME ZONE $2)::date), 'an observation' FROM observations WHERE admission_id = $1
       UNION ALL SELECT max(dispensed_on), 'a dispensation' FROM dispensations WHERE admission_id = $1 AND voided_at IS NULL
       UNION ALL SELECT max(date), 'a psychiatric consult' FROM psych_consults WHERE admission_id = $1 AND voided_at IS NULL
       UNION ALL SELECT max(service_date), 'a charge' FROM charges WHERE admission_id = $1 AND item_code <> ALL($3::text[]) AND voided_at IS NULL
       UNION ALL (SELECT coalesce((a.input->>'assessedOn')::date, (a.created_at AT TIME ZONE $2)::date), 'the intake assessment'
         FROM assessments a JOIN admissions s ON s.enquiry_id = a.enquiry_id WHERE s.id = $1 ORDER BY a.version DESC LIMIT 1)
     ) r WHERE day IS NOT NULL ORDER BY day DESC, what LIMIT 1`,
    [admissionId, timeZone, TRAVEL_ITEMS],
  );
  return rows[0] ?? null;
}

/** The last day of the residential fee on a live invoice (draft, issued or paid), and that invoice's number (null for a draft). */
export interface LastInvoicedDay {
  day: string;
  number: string | null;
}

/**
 * A discharge may not cut through invoiced days: the fee of days after it would stay billed (even
 * paid) with no way to take it back but a void. The stay is invoiced again after that void.
 */
export async function lastInvoicedDay(manager: EntityManager, admissionId: string): Promise<LastInvoicedDay | null> {
  const rows: LastInvoicedDay[] = await manager.query(
    `SELECT d.day::text AS day, i.number FROM invoiced_days d JOIN invoices i ON i.id = d.invoice_id
     WHERE d.admission_id = $1 AND d.live ORDER BY d.day DESC LIMIT 1`,
    [admissionId],
  );
  return rows[0] ?? null;
}
