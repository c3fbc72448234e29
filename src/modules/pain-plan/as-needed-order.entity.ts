import { Check, Column, Entity, Index } from 'typeorm';
import { numericTransformer } from '../../common/database/numeric.transformer.js';
import { PainPlanOrderColumns } from './pain-plan-order.columns.js';

/**
 * An as-needed (PRN) order for withdrawal symptoms or pain (domain.md §8a): a dose given when
 * needed, at least `minIntervalHours` apart, at most `maxDosesPerDay` a day, optionally only at a
 * COWS score of `cowsThreshold` or more.
 */
@Entity('as_needed_orders')
@Index('as_needed_orders_admission_idx', ['admissionId', 'status'])
@Index('as_needed_orders_one_active_per_drug', ['admissionId', 'drug'], { unique: true, where: `status = 'ACTIVE'` })
@Check('as_needed_orders_status_check', `status IN ('ACTIVE', 'DISCONTINUED')`)
@Check('as_needed_orders_dose_check', `dose > 0 AND min_interval_hours > 0 AND max_doses_per_day BETWEEN 1 AND 24`)
@Check('as_needed_orders_cows_check', `cows_threshold IS NULL OR cows_threshold BETWEEN 0 AND 48`)
@Check('as_needed_orders_discontinued_check', `(status = 'DISCONTINUED') = (discontinued_at IS NOT NULL AND discontinued_by IS NOT NULL AND discontinue_reason IS NOT NULL)`)
@Check('as_needed_orders_override_check', `jsonb_array_length(overridden) = 0 OR override_reason IS NOT NULL`)
export class AsNeededOrderEntity extends PainPlanOrderColumns {
  @Column({ type: 'numeric', precision: 12, scale: 3, transformer: numericTransformer })
  dose: number;

  @Column({ type: 'text' })
  unit: string;

  @Column({ type: 'text' })
  route: string;

  @Column({ name: 'min_interval_hours', type: 'numeric', precision: 5, scale: 2, transformer: numericTransformer })
  minIntervalHours: number;

  @Column({ name: 'max_doses_per_day', type: 'int' })
  maxDosesPerDay: number;

  @Column({ type: 'text' })
  indication: string;

  @Column({ name: 'cows_threshold', type: 'int', nullable: true })
  cowsThreshold: number | null;
}
