import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { bigintTransformer } from '../../../common/database/bigint.transformer.js';
import { numericTransformer } from '../../../common/database/numeric.transformer.js';
import { AdmissionEntity } from '../../admissions/index.js';
import { PatientEntity } from '../../patients/index.js';
import { UserEntity, VoidColumns } from '../../users/index.js';
import { BillingItemEntity } from './billing-item.entity.js';

export const CHARGE_SOURCES = ['MANUAL', 'DISPENSATION', 'CONSULT'] as const;
export type ChargeSource = (typeof CHARGE_SOURCES)[number];

/**
 * A billable extra. The idempotency key makes a retried request return the first charge instead
 * of creating another; the amount is checked against quantity × unit price in the database. A
 * manual charge entered by mistake is voided with a reason: kept, and never invoiced.
 */
@Entity('charges')
@Unique('charges_admission_idempotency_key', ['admissionId', 'idempotencyKey'])
@Index('charges_admission_date_idx', ['admissionId', 'serviceDate'])
@Check('charges_quantity_check', `quantity > 0`)
@Check('charges_amount_check', `unit_price_minor >= 0 AND amount_minor >= 0 AND amount_minor = round(quantity * unit_price_minor)`)
@Check('charges_source_check', `source IN ('MANUAL', 'DISPENSATION', 'CONSULT')`)
@Check('charges_currency_check', `currency ~ '^[A-Z]{3}$'`)
@Check('charges_void_check', `(voided_at IS NULL) = (voided_by IS NULL) AND (voided_at IS NULL) = (void_reason IS NULL)`)
export class ChargeEntity extends VoidColumns {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey(() => AdmissionEntity)
  @Column({ name: 'admission_id', type: 'uuid' })
  admissionId: string;

  @ForeignKey(() => PatientEntity)
  @Column({ name: 'patient_id', type: 'uuid' })
  patientId: string;

  @ForeignKey(() => BillingItemEntity)
  @Column({ name: 'item_code', type: 'text' })
  itemCode: string;

  /** Formulary product for medication (`oxycodone:5:mg`), else empty. */
  @Column({ type: 'text', default: '' })
  product: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'numeric', precision: 12, scale: 3, transformer: numericTransformer })
  quantity: number;

  @Column({ name: 'unit_price_minor', type: 'bigint', transformer: bigintTransformer })
  unitPriceMinor: number;

  @Column({ name: 'amount_minor', type: 'bigint', transformer: bigintTransformer })
  amountMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'service_date', type: 'date' })
  serviceDate: string;

  @Column({ type: 'text' })
  source: ChargeSource;

  @Column({ name: 'idempotency_key', type: 'text' })
  idempotencyKey: string;

  /** SHA-256 of the request that created it: the same key with a different request is refused. */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash: string;

  @ForeignKey(() => UserEntity)
  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
