import type { DataSource } from 'typeorm';

/**
 * The patient a refused request was aimed at, so `GET /audit-events?patientId=` shows who was
 * refused that patient's record: found from the route's first segment and its `:id`. The tables
 * are named here rather than asked of each module because the guard runs before any module code;
 * a route not listed (users, settings) concerns no patient.
 */
const PATIENT_BY_SEGMENT: Record<string, string> = {
  patients: 'SELECT id AS patient_id FROM patients WHERE id = $1',
  enquiries: 'SELECT patient_id FROM enquiries WHERE id = $1',
  assessments: 'SELECT patient_id FROM assessments WHERE id = $1',
  triage: 'SELECT patient_id FROM triage_decisions WHERE id = $1',
  admissions: 'SELECT patient_id FROM admissions WHERE id = $1',
  'taper-orders': 'SELECT patient_id FROM taper_orders WHERE id = $1',
  administrations: 'SELECT patient_id FROM administrations WHERE id = $1',
  'as-needed-orders': 'SELECT patient_id FROM as_needed_orders WHERE id = $1',
  'pain-plan': 'SELECT patient_id FROM pain_medications WHERE id = $1',
  charges: 'SELECT patient_id FROM charges WHERE id = $1',
  dispensations: 'SELECT patient_id FROM dispensations WHERE id = $1',
  'psychiatric-consults': 'SELECT patient_id FROM psych_consults WHERE id = $1',
  invoices: 'SELECT patient_id FROM invoices WHERE id = $1',
  payments: 'SELECT i.patient_id FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE p.id = $1',
  aftercare: 'SELECT patient_id FROM aftercare_check_ins WHERE id = $1',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The patient of `/api/v1/<segment>/…/:id`, or null (no such record, no patient, or the lookup failed: the refusal stands either way). */
export async function refusedPatientOf(dataSource: DataSource, routeUrl: string | undefined, id: string | undefined): Promise<string | null> {
  const segment = routeUrl?.split('/')[3];
  const sql = segment === undefined ? undefined : PATIENT_BY_SEGMENT[segment];
  if (!sql || !id || !UUID.test(id)) return null;
  try {
    const [row]: { patient_id: string | null }[] = await dataSource.query(sql, [id]);
    return row?.patient_id ?? null;
  } catch {
    return null;
  }
}
