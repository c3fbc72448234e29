import { Check, Column, Entity, Index } from 'typeorm';
import type { MedicationRoute, MedicationUnit } from '../../clinical/pain-plan.js';
import { numericTransformer } from '../../common/database/numeric.transformer.js';
import { PainPlanOrderColumns } from './pain-plan-order.columns.js';

export type { MedicationStatus } from './pain-plan-order.columns.js';

/** A non-opioid pain medication order, with the checks it passed or was overridden past. */
@Entity('pain_medications')
@Index('pain_medications_admission_idx', ['admissionId', 'status'])
@Index('pain_medications_one_active_per_drug', ['admissionId', 'drug'], { unique: true, where: `status = 'ACTIVE'` })
@Check('pain_medications_status_check', `status IN ('ACTIVE', 'DISCONTINUED')`)
@Check('pain_medications_unit_check', `unit IN ('mg', 'patch')`)
@Check('pain_medications_route_check', `route IN ('ORAL', 'TOPICAL', 'TRANSDERMAL')`)
@Check('pain_medications_dose_check', `dose > 0 AND times_per_day BETWEEN 1 AND 24 AND daily_dose > 0`)
@Check('pain_medications_discontinued_check', `(status = 'DISCONTINUED') = (discontinued_at IS NOT NULL AND discontinued_by IS NOT NULL AND discontinue_reason IS NOT NULL)`)
@Check('pain_medications_override_check', `jsonb_array_length(overridden) = 0 OR override_reason IS NOT NULL`)
export class PainMedicationEntity extends PainPlanOrderColumns {
  @Column({ type: 'numeric', precision: 12, scale: 3, transformer: numericTransformer })
  dose: number;

  @Column({ type: 'text' })
  unit: MedicationUnit;

  @Column({ name: 'times_per_day', type: 'int' })
  timesPerDay: number;

  @Column({ type: 'text' })
  route: MedicationRoute;

  @Column({ type: 'text', nullable: true })
  indication: string | null;

  @Column({ name: 'daily_dose', type: 'numeric', precision: 12, scale: 3, transformer: numericTransformer })
  dailyDose: number;

  @Column({ name: 'max_daily_dose', type: 'numeric', precision: 12, scale: 3, transformer: numericTransformer })
  maxDailyDose: number;
}
