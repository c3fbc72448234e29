import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { ClinicalWarning } from '../../../clinical/clinical-error.js';
import { numericTransformer } from '../../../common/database/numeric.transformer.js';
import { AdmissionEntity } from '../../admissions/index.js';
import { PatientEntity } from '../../patients/index.js';
import { UserEntity, VoidColumns } from '../../users/index.js';
import { ChargeEntity } from './charge.entity.js';

/**
 * Units of a product handed to a patient by a nurse; each dispensation carries its medication
 * charge. One entered by mistake is voided with a reason (its charge with it) and stays on record.
 */
@Entity('dispensations')
@Unique('dispensations_admission_idempotency_key', ['admissionId', 'idempotencyKey'])
@Index('dispensations_admission_date_idx', ['admissionId', 'dispensedOn'])
@Check('dispensations_quantity_check', `quantity > 0 AND strength > 0`)
@Check('dispensations_override_check', `jsonb_array_length(warnings) = 0 OR override_reason IS NOT NULL`)
@Check('dispensations_formulation_check', `formulation IN ('IR', 'ER', 'TRANSDERMAL')`)
@Check('dispensations_void_check', `(voided_at IS NULL) = (voided_by IS NULL) AND (voided_at IS NULL) = (void_reason IS NULL)`)
export class DispensationEntity extends VoidColumns {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey(() => AdmissionEntity)
  @Column({ name: 'admission_id', type: 'uuid' })
  admissionId: string;

  @ForeignKey(() => PatientEntity)
  @Column({ name: 'patient_id', type: 'uuid' })
  patientId: string;

  @Column({ type: 'text' })
  drug: string;

  /**
   * The taper product's formulation; null for a pain-plan or as-needed drug (their orders name
   * none), and for a dispensation recorded before formulations were kept whose product is unknown.
   */
  @Column({ type: 'text', nullable: true })
  formulation: string | null;

  @Column({ type: 'numeric', precision: 12, scale: 3, transformer: numericTransformer })
  strength: number;

  @Column({ type: 'text' })
  unit: string;

  @Column({ type: 'numeric', precision: 12, scale: 3, transformer: numericTransformer })
  quantity: number;

  @Column({ name: 'dispensed_on', type: 'date' })
  dispensedOn: string;

  /** One charge backs at most one record. */
  @ForeignKey(() => ChargeEntity)
  @Index('dispensations_charge_key', { unique: true })
  @Column({ name: 'charge_id', type: 'uuid' })
  chargeId: string;

  @Column({ name: 'idempotency_key', type: 'text' })
  idempotencyKey: string;

  /** Why the stock on hand came to more than seven days of the orders' need (ABOVE_ORDER_SUPPLY let through). */
  @Column({ name: 'override_reason', type: 'text', nullable: true })
  overrideReason: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  warnings: ClinicalWarning[];

  @ForeignKey(() => UserEntity)
  @Column({ name: 'dispensed_by', type: 'uuid' })
  dispensedBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
