import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { bigintTransformer } from '../../../common/database/bigint.transformer.js';
import { AdmissionEntity } from '../../admissions/index.js';
import { PatientEntity } from '../../patients/index.js';
import { UserEntity } from '../../users/index.js';

export const INVOICE_STATUSES = ['DRAFT', 'ISSUED', 'PAID', 'VOID'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/**
 * An invoice for a period of a stay. Issuing gives it a gapless yearly number and freezes it
 * (database triggers refuse changes to an issued invoice or its lines); a correction is a void
 * with a reason and a new invoice. Totals are checked against the lines and payments at commit.
 */
@Entity('invoices')
@Unique('invoices_number_key', ['number'])
@Unique('invoices_year_sequence_key', ['year', 'sequence'])
@Index('invoices_admission_idx', ['admissionId', 'position'])
@Check('invoices_status_check', `status IN ('DRAFT', 'ISSUED', 'PAID', 'VOID')`)
@Check('invoices_period_check', `period_end >= period_start`)
@Check('invoices_amounts_check', `total_minor >= 0 AND paid_minor >= 0 AND paid_minor <= total_minor`)
@Check('invoices_paid_check', `(status <> 'PAID' OR paid_minor = total_minor) AND (status <> 'ISSUED' OR paid_minor < total_minor)`)
@Check('invoices_number_check', `(number IS NULL) = (issued_at IS NULL) AND (status <> 'DRAFT' OR number IS NULL) AND (status NOT IN ('ISSUED', 'PAID') OR number IS NOT NULL)`)
@Check('invoices_void_check', `(status = 'VOID') = (void_reason IS NOT NULL AND voided_at IS NOT NULL)`)
export class InvoiceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Order of creation, for lists. */
  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS', insert: false, update: false })
  position: string;

  @ForeignKey(() => AdmissionEntity)
  @Column({ name: 'admission_id', type: 'uuid' })
  admissionId: string;

  @ForeignKey(() => PatientEntity)
  @Column({ name: 'patient_id', type: 'uuid' })
  patientId: string;

  @Column({ type: 'text' })
  status: InvoiceStatus;

  /** INV-2027-000001, set when issued. */
  @Column({ type: 'text', nullable: true })
  number: string | null;

  @Column({ type: 'int', nullable: true })
  year: number | null;

  @Column({ type: 'int', nullable: true })
  sequence: number | null;

  @Column({ name: 'period_start', type: 'date' })
  periodStart: string;

  @Column({ name: 'period_end', type: 'date' })
  periodEnd: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'total_minor', type: 'bigint', transformer: bigintTransformer })
  totalMinor: number;

  @Column({ name: 'paid_minor', type: 'bigint', default: 0, transformer: bigintTransformer })
  paidMinor: number;

  @ForeignKey(() => UserEntity)
  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'issued_at', type: 'timestamptz', nullable: true })
  issuedAt: Date | null;

  @ForeignKey(() => UserEntity)
  @Column({ name: 'issued_by', type: 'uuid', nullable: true })
  issuedBy: string | null;

  @Column({ name: 'voided_at', type: 'timestamptz', nullable: true })
  voidedAt: Date | null;

  @Column({ name: 'void_reason', type: 'text', nullable: true })
  voidReason: string | null;
}
