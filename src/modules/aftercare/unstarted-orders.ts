import type { EntityManager } from 'typeorm';

/** A signed taper order none of whose doses fall within the stay. */
export interface UnstartedOrder {
  drug: string;
  formulation: string;
  startsOn: string;
}

/**
 * The signed taper orders whose first dose comes after `day` (domain.md §7: an order starts
 * within the stay). Discharged before it, the handoff would tell the outside prescriber to
 * continue a medicine the patient never took here; the order is discontinued first.
 */
export async function ordersStartingAfter(manager: EntityManager, admissionId: string, day: string): Promise<UnstartedOrder[]> {
  return manager.query(
    `SELECT o.drug, o.formulation, first.starts_on::text AS "startsOn"
       FROM taper_orders o
       JOIN LATERAL (SELECT starts_on, daily_dose FROM taper_steps WHERE version_id = o.id ORDER BY starts_on LIMIT 1) first ON true
      WHERE o.admission_id = $1 AND o.status = 'ACTIVE' AND first.daily_dose > 0 AND first.starts_on > $2::date
      ORDER BY first.starts_on, o.drug, o.formulation`,
    [admissionId, day],
  );
}
