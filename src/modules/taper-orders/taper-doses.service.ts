import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service.js';
import type { RequestContext } from '../../common/auth/request-context.js';
import { formatHn } from '../patients/index.js';
import type { TaperDoseItem, TaperDosesResponse } from './dto/taper-order.responses.js';

/**
 * One statement for the whole ward: for every ACTIVE admission and every ACTIVE taper version,
 * the last step started on or before the day, and whether a pause holds the dose that day. The
 * day of the final stop is listed (dose 0); days after it are not.
 */
const DOSES_ON_DATE = `
  SELECT a.id AS admission_id, p.id AS patient_id, p.hn, p.given_name, p.family_name,
         o.drug, o.formulation, o.unit, o.order_id, o.id AS version_id, o.version,
         s.step, s.daily_dose, s.daily_mme, s.starts_on::text AS starts_on,
         EXISTS (
           SELECT 1 FROM jsonb_array_elements(o.pauses) pause
           WHERE $1::date >= (pause->>'from')::date AND $1::date < (pause->>'from')::date + (pause->>'days')::int
         ) AS paused
  FROM admissions a
  JOIN patients p ON p.id = a.patient_id
  JOIN taper_orders o ON o.admission_id = a.id AND o.status = 'ACTIVE'
  JOIN LATERAL (
    SELECT step, daily_dose, daily_mme, starts_on FROM taper_steps
    WHERE version_id = o.id AND starts_on <= $1::date
    ORDER BY starts_on DESC LIMIT 1
  ) s ON true
  -- A taper that stopped before this day has nothing left to give.
  WHERE a.status = 'ACTIVE' AND NOT (s.daily_dose = 0 AND s.starts_on < $1::date)
  ORDER BY p.family_name, p.given_name, a.id, o.drug`;

interface DoseRow {
  admission_id: string;
  patient_id: string;
  hn: string;
  given_name: string;
  family_name: string;
  drug: string;
  formulation: string;
  unit: string;
  order_id: string;
  version_id: string;
  version: number;
  step: number;
  daily_dose: string;
  daily_mme: string;
  starts_on: string;
  paused: boolean;
}

/** The nurses' list of taper doses due on a day. */
@Injectable()
export class TaperDosesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async dueOn(date: string, context: RequestContext): Promise<TaperDosesResponse> {
    const rows: DoseRow[] = await this.dataSource.query(DOSES_ON_DATE, [date]);
    const items = rows.map(toDoseItem);
    await this.audit.recordListRead(context, 'taper_doses', items.map((item) => item.patientId), { date });
    return { date, items };
  }
}

function toDoseItem(row: DoseRow): TaperDoseItem {
  return {
    admissionId: row.admission_id,
    patientId: row.patient_id,
    patientName: `${row.given_name} ${row.family_name}`,
    hn: formatHn(row.hn),
    drug: row.drug,
    formulation: row.formulation,
    unit: row.unit,
    dailyDose: Number(row.daily_dose),
    dailyMme: Number(row.daily_mme),
    orderId: row.order_id,
    versionId: row.version_id,
    version: row.version,
    step: row.step,
    stepStartedOn: row.starts_on,
    paused: row.paused,
  };
}
