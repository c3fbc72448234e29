/**
 * The nurses' list of a day read with plain SQL, and its rows mapped to the list's items. It takes
 * the statement runner as a parameter, so that the benchmark's raw baseline sends the very same
 * statement (bench/baseline/administrations.ts).
 */
import { PATCH_WEAR_HOURS } from '../../clinical/administration.js';
import { fromThousandths, thousandthsOrNull } from '../../clinical/taper-doses.js';
import type { ReadQuery } from '../../common/database/read-snapshot.js';
import { formatHn } from '../patients/index.js';
import type { OrderKind } from './administration.entity.js';
import { ROLLING_DAY_DRUGS, taperUnderParacetamol, underPatientLimits, type LimitFacts } from './doses-due-limits.js';
import type { DoseDueItem, DoseLimitedBy } from './dto/doses-due.responses.js';

/**
 * One statement for the whole ward, whatever its size. For every ACTIVE admission that has begun
 * by that day (a stay booked ahead has nothing due before it; the record refuses it): each ACTIVE
 * taper version's dose that day (the last step started on or before it; paused when a pause
 * holds it, never on a step's first day, as scheduledDoseOn in clinical/taper-day.ts; the day of
 * the final stop listed, the days after it not), each pain-plan and as-needed order in force at
 * some time that day (clinic time zone), and what was given under each that day: for a fentanyl
 * patch, the patches on until the day's end, so that a patch is due again only when it comes off;
 * for a pain-plan or as-needed drug also what all its orders gave and allow (see remainingOf).
 * The latest intake and the paracetamol of the 24 hours around now are read for a taper too when
 * the intake has a combination opioid.
 */
const DOSES_DUE = `
  WITH ward AS (
    SELECT a.id AS admission_id, p.id AS patient_id, p.hn, p.given_name, p.family_name
      FROM admissions a JOIN patients p ON p.id = a.patient_id
     WHERE a.status = 'ACTIVE' AND a.admitted_on <= $1::date
  ), clinic_day AS (
    SELECT ($1::date::timestamp AT TIME ZONE $2) AS starts, (($1::date + 1)::timestamp AT TIME ZONE $2) AS ends
  ), intake AS (
    -- The latest intake of each stay (a correction counts from the moment it is made): its risk factors and combination opioids.
    SELECT w.admission_id, latest.input->'medical' AS medical, latest.input->'opioids' AS opioids,
           jsonb_path_exists(latest.input->'opioids', '$[*] ? (@.paracetamolPerUnitMg != null)') AS has_combination
      FROM ward w JOIN admissions a ON a.id = w.admission_id
      JOIN LATERAL (SELECT s.input FROM assessments s WHERE s.enquiry_id = a.enquiry_id ORDER BY s.version DESC LIMIT 1) latest ON true
  ), rolling_point AS (
    -- A dose given now on this day's list: now, or the nearest instant of the day (another day's list).
    SELECT least(greatest($4::timestamptz, starts), ends) AS at FROM clinic_day
  ), rolling AS (
    -- Drugs held over any 24 hours ($5): every dose that shares 24 hours with that instant, and the taper doses that may carry the drug.
    SELECT x.admission_id,
           jsonb_agg(jsonb_build_object('givenAt', x.given_at, 'orderKind', x.order_kind, 'drug', x.drug, 'formulation', x.formulation, 'dose', x.dose)) AS taken
      FROM ward w JOIN administrations x ON x.admission_id = w.admission_id, rolling_point r
     WHERE x.given_at > r.at - interval '24 hours' AND x.given_at < r.at + interval '24 hours'
       AND (x.drug = ANY($5::text[]) OR x.order_kind = 'TAPER') AND x.outcome = 'GIVEN' AND x.voided_at IS NULL
     GROUP BY x.admission_id
  ), due AS (
    SELECT 'TAPER' AS kind, 1 AS kind_order, w.*, o.order_id, o.id AS version_id, o.version, o.drug, o.formulation, o.unit,
           NULL::numeric AS dose, s.daily_dose, s.daily_mme, s.step, s.starts_on::text AS step_started_on,
           s.starts_on <> $1::date AND EXISTS (
             SELECT 1 FROM jsonb_array_elements(o.pauses) pause
              WHERE $1::date >= (pause->>'from')::date AND $1::date < (pause->>'from')::date + (pause->>'days')::int
           ) AS paused,
           NULL::numeric AS min_interval_hours, NULL::int AS max_doses_per_day, NULL::int AS cows_threshold, NULL::timestamptz AS discontinued_at, NULL::jsonb AS overridden,
           o.unit_strengths, o.allow_half_tablets
      FROM ward w
      JOIN taper_orders o ON o.admission_id = w.admission_id AND o.status = 'ACTIVE'
      JOIN LATERAL (
        SELECT step, daily_dose, daily_mme, starts_on FROM taper_steps
         WHERE version_id = o.id AND starts_on <= $1::date
         ORDER BY starts_on DESC LIMIT 1
      ) s ON true
     -- A taper that stopped before this day has nothing left to give.
     WHERE NOT (s.daily_dose = 0 AND s.starts_on < $1::date)
    UNION ALL
    SELECT 'PAIN_PLAN', 2, w.*, m.id, NULL, NULL, m.drug, NULL, m.unit,
           m.dose, m.daily_dose, NULL, NULL, NULL, false, NULL, NULL, NULL, m.discontinued_at, m.overridden, NULL, NULL
      FROM ward w JOIN pain_medications m ON m.admission_id = w.admission_id, clinic_day d
     WHERE m.created_at < d.ends AND (m.discontinued_at IS NULL OR m.discontinued_at > d.starts)
    UNION ALL
    SELECT 'AS_NEEDED', 3, w.*, n.id, NULL, NULL, n.drug, NULL, n.unit,
           n.dose, n.dose * n.max_doses_per_day, NULL, NULL, NULL, false, n.min_interval_hours, n.max_doses_per_day, n.cows_threshold, n.discontinued_at, n.overridden, NULL, NULL
      FROM ward w JOIN as_needed_orders n ON n.admission_id = w.admission_id, clinic_day d
     WHERE n.created_at < d.ends AND (n.discontinued_at IS NULL OR n.discontinued_at > d.starts)
  ), drug_given AS (
    -- Once per patient and drug, not per order: the ward's doses of the day through the (admission, given_at) index.
    SELECT x.admission_id, x.drug,
           coalesce(sum(x.dose) FILTER (WHERE x.order_kind = 'PAIN_PLAN'), 0) AS pain_plan,
           coalesce(sum(x.dose) FILTER (WHERE x.order_kind = 'AS_NEEDED'), 0) AS as_needed,
           count(*) FILTER (WHERE x.order_kind = 'AS_NEEDED')::int AS as_needed_doses,
           sum(x.dose) AS total
      FROM ward w JOIN administrations x ON x.admission_id = w.admission_id, clinic_day d
     WHERE x.given_at >= d.starts AND x.given_at < d.ends AND x.given_on = $1::date
       AND x.order_kind <> 'TAPER' AND x.outcome = 'GIVEN' AND x.voided_at IS NULL
     GROUP BY x.admission_id, x.drug
  ), drug_allowed AS (
    SELECT o.admission_id, o.drug, sum(o.daily) AS total FROM (
      SELECT m.admission_id, m.drug, m.daily_dose AS daily FROM ward w JOIN pain_medications m ON m.admission_id = w.admission_id, clinic_day d
       WHERE m.created_at < d.ends AND (m.discontinued_at IS NULL OR m.discontinued_at >= d.ends)
      UNION ALL
      SELECT n.admission_id, n.drug, n.dose * n.max_doses_per_day FROM ward w JOIN as_needed_orders n ON n.admission_id = w.admission_id, clinic_day d
       WHERE n.created_at < d.ends AND (n.discontinued_at IS NULL OR n.discontinued_at >= d.ends)
    ) o GROUP BY o.admission_id, o.drug
  )
  SELECT due.*, given.total AS given_so_far, given.doses AS doses_given, given.last_at AS last_given_at, worn.on_until AS patch_on_until,
         due.discontinued_at < (SELECT ends FROM clinic_day) AS stopped,
         CASE due.kind WHEN 'PAIN_PLAN' THEN drug_given.pain_plan WHEN 'AS_NEEDED' THEN drug_given.as_needed END AS drug_kind_given,
         CASE due.kind WHEN 'AS_NEEDED' THEN coalesce(drug_given.as_needed_doses, 0) END AS drug_as_needed_doses,
         drug_given.total AS drug_given, drug_allowed.total AS drug_allowed,
         CASE WHEN due.kind <> 'TAPER' OR intake.has_combination THEN intake.medical END AS medical,
         CASE WHEN due.kind <> 'TAPER' AND due.drug = ANY($5::text[]) OR due.kind = 'TAPER' AND intake.has_combination THEN intake.opioids END AS intake_opioids,
         rolling.taken AS rolling_taken, (SELECT at FROM rolling_point) AS rolling_at
    FROM due
    JOIN LATERAL (
      SELECT coalesce(sum(x.dose), 0) AS total, count(*)::int AS doses, max(x.given_at) AS last_at
        FROM administrations x
       WHERE x.order_id = due.order_id AND x.outcome = 'GIVEN' AND x.voided_at IS NULL
         AND CASE WHEN due.formulation = 'TRANSDERMAL' AND $3::jsonb ? due.drug
                  -- A patch counts on each day it is on until the day's end (worn the hours $3 gives its drug).
                  THEN x.given_at >= (SELECT ends FROM clinic_day) - make_interval(hours => ($3::jsonb ->> due.drug)::int) AND x.given_at < (SELECT ends FROM clinic_day)
                  ELSE x.given_on = $1::date END
    ) given ON true
    -- A patch on at some time that day: when the last one comes off (the next is due then, not before).
    LEFT JOIN LATERAL (
      SELECT max(x.given_at) + make_interval(hours => ($3::jsonb ->> due.drug)::int) AS on_until
        FROM administrations x
       WHERE due.formulation = 'TRANSDERMAL' AND $3::jsonb ? due.drug
         AND x.order_id = due.order_id AND x.outcome = 'GIVEN' AND x.voided_at IS NULL
         AND x.given_at < (SELECT ends FROM clinic_day)
         AND x.given_at > (SELECT starts FROM clinic_day) - make_interval(hours => ($3::jsonb ->> due.drug)::int)
    ) worn ON true
    -- Pain-plan and as-needed drugs: what every order of the drug gave that day, and what the
    -- orders of it still in force at the day's end allow together (AdministeredOrders' limits).
    LEFT JOIN drug_given ON due.kind <> 'TAPER' AND drug_given.admission_id = due.admission_id AND drug_given.drug = due.drug
    LEFT JOIN drug_allowed ON due.kind <> 'TAPER' AND drug_allowed.admission_id = due.admission_id AND drug_allowed.drug = due.drug
    -- The patient's limits by the latest intake (see patientLimitOf), and the 24 hours around a dose given now:
    -- for a taper too when the intake has a combination opioid, whose doses carry paracetamol (taperUnderParacetamol).
    LEFT JOIN intake ON intake.admission_id = due.admission_id
    LEFT JOIN rolling ON rolling.admission_id = due.admission_id
          AND (due.kind <> 'TAPER' AND due.drug = ANY($5::text[]) OR due.kind = 'TAPER' AND intake.has_combination)
   ORDER BY due.family_name, due.given_name, due.admission_id, due.kind_order, due.drug, due.discontinued_at NULLS LAST, due.order_id`;

interface DueRow {
  kind: OrderKind;
  admission_id: string;
  patient_id: string;
  hn: string;
  given_name: string;
  family_name: string;
  order_id: string;
  version_id: string | null;
  version: number | null;
  drug: string;
  formulation: string | null;
  unit: string;
  dose: string | null;
  daily_dose: string;
  daily_mme: string | null;
  step: number | null;
  step_started_on: string | null;
  paused: boolean;
  min_interval_hours: string | null;
  max_doses_per_day: number | null;
  cows_threshold: number | null;
  discontinued_at: Date | null;
  given_so_far: string;
  doses_given: number;
  last_given_at: Date | null;
  patch_on_until: Date | null;
  stopped: boolean | null;
  drug_kind_given: string | null;
  /** As-needed items: the as-needed doses of the drug given that day, under any of its as-needed orders. */
  drug_as_needed_doses: number | null;
  drug_given: string | null;
  drug_allowed: string | null;
  overridden: LimitFacts['overridden'];
  /** A taper: the strengths its doses are made of. */
  unit_strengths: number[] | null;
  allow_half_tablets: boolean | null;
  medical: LimitFacts['medical'];
  intake_opioids: LimitFacts['intakeOpioids'];
  rolling_taken: LimitFacts['rollingTaken'];
  rolling_at: Date;
}

/**
 * Every order due on the ward on `date` (a clinic calendar day in `timeZone`), with what was given
 * so far and what remains for a dose given `now` (or, on another day's list, at its nearest instant).
 */
export async function readDosesDue(read: ReadQuery, date: string, timeZone: string, now: Date): Promise<DoseDueItem[]> {
  const rows = await read<DueRow>(DOSES_DUE, [date, timeZone, JSON.stringify(PATCH_WEAR_HOURS), now.toISOString(), ROLLING_DAY_DRUGS]);
  return rows.map(toDoseDueItem);
}

const numberOrNull = (value: string | null): number | null => (value === null ? null : Number(value));

const thousandths = (value: string | number | null): number => thousandthsOrNull(Number(value ?? 0)) ?? 0;

/**
 * What may still be given that day, exact in thousandths as the record's limits are: a taper's
 * dose less what was given (for a combination opioid, no more than the paracetamol it carries
 * allows now: taperUnderParacetamol); for a pain-plan or as-needed order, nothing once it is discontinued,
 * otherwise the least of its own day (counting an earlier order of the drug of the same kind)
 * and what the drug's orders allow together less what all of them gave; for an as-needed order
 * also no more than its doses left that day at the ordered dose, since the record counts doses
 * (three 4 mg doses of an "8 mg, at most 3 a day" order leave nothing, not 12 mg). Then no more
 * than the patient's limits allow now (doses-due-limits.ts).
 */
function remainingOf(row: DueRow): { remaining: number; limitedBy: DoseLimitedBy | null } {
  if (row.kind === 'TAPER') {
    const bySchedule = Math.max(0, thousandths(row.daily_dose) - thousandths(row.given_so_far));
    const taper = { drug: row.drug, formulation: row.formulation, unit: row.unit, unitStrengths: row.unit_strengths ?? [], allowHalfTablets: row.allow_half_tablets === true };
    return taperUnderParacetamol({ medical: row.medical, intakeOpioids: row.intake_opioids, rollingTaken: row.rolling_taken, rollingAt: row.rolling_at }, taper, bySchedule);
  }
  if (row.stopped) return { remaining: 0, limitedBy: null };
  const byAmount = Math.min(thousandths(row.daily_dose) - thousandths(row.drug_kind_given), thousandths(row.drug_allowed) - thousandths(row.drug_given));
  const dosesLeft = row.kind === 'AS_NEEDED' && row.max_doses_per_day !== null ? Math.max(0, row.max_doses_per_day - (row.drug_as_needed_doses ?? 0)) : null;
  const byOrders = Math.max(0, dosesLeft === null ? byAmount : Math.min(byAmount, dosesLeft * thousandths(row.dose)));
  return underPatientLimits(
    {
      drug: row.drug,
      orderedDaily: Number(row.drug_allowed ?? row.daily_dose),
      orderDaily: Number(row.daily_dose),
      drugGiven: Number(row.drug_given ?? 0),
      medical: row.medical,
      overridden: row.overridden,
      intakeOpioids: row.intake_opioids,
      rollingTaken: row.rolling_taken,
      rollingAt: row.rolling_at,
    },
    byOrders,
  );
}

function toDoseDueItem(row: DueRow): DoseDueItem {
  const dailyDose = Number(row.daily_dose);
  const givenSoFar = Number(row.given_so_far);
  const { remaining, limitedBy } = remainingOf(row);
  return {
    kind: row.kind,
    admissionId: row.admission_id,
    patientId: row.patient_id,
    patientName: `${row.given_name} ${row.family_name}`,
    hn: formatHn(row.hn),
    drug: row.drug,
    formulation: row.formulation,
    unit: row.unit,
    dose: numberOrNull(row.dose),
    dailyDose,
    dailyMme: numberOrNull(row.daily_mme),
    givenSoFar,
    remaining: fromThousandths(remaining),
    limitedBy,
    dosesGiven: row.doses_given,
    lastGivenAt: row.last_given_at?.toISOString() ?? null,
    patchOnUntil: row.patch_on_until?.toISOString() ?? null,
    orderId: row.order_id,
    versionId: row.version_id,
    version: row.version,
    step: row.step,
    stepStartedOn: row.step_started_on,
    paused: row.paused,
    minIntervalHours: numberOrNull(row.min_interval_hours),
    maxDosesPerDay: row.max_doses_per_day,
    cowsThreshold: row.cows_threshold,
    discontinuedAt: row.discontinued_at?.toISOString() ?? null,
  };
}
