import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { AdmissionEntity } from '../../admissions/index.js';
import { PatientEntity } from '../../patients/index.js';
import { UserEntity, VoidColumns } from '../../users/index.js';
import { ChargeEntity } from './charge.entity.js';

export const CONSULT_KINDS = ['INTAKE', 'ROUTINE', 'ADDITIONAL'] as const;
export type ConsultKind = (typeof CONSULT_KINDS)[number];

/**
 * A visit of the psychiatrist; past the included quota it carries an EXTRA_PSYCH_CONSULT charge.
 * One entered by mistake (a mistyped date) is voided with a reason (its charge with it) and stays on record.
 */
@Entity('psych_consults')
@Unique('psych_consults_admission_idempotency_key', ['admissionId', 'idempotencyKey'])
@Index('psych_consults_admission_date_idx', ['admissionId', 'date'])
@Check('psych_consults_kind_check', `kind IN ('INTAKE', 'ROUTINE', 'ADDITIONAL')`)
@Check('psych_consults_charge_check', `billable = (charge_id IS NOT NULL)`)
@Check('psych_consults_void_check', `(voided_at IS NULL) = (voided_by IS NULL) AND (voided_at IS NULL) = (void_reason IS NULL)`)
export class PsychConsultEntity extends VoidColumns {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey(() => AdmissionEntity)
  @Column({ name: 'admission_id', type: 'uuid' })
  admissionId: string;

  @ForeignKey(() => PatientEntity)
  @Column({ name: 'patient_id', type: 'uuid' })
  patientId: string;

  @Column({ type: 'date' })
  date: string;

  @Column({ type: 'text' })
  kind: ConsultKind;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ type: 'boolean' })
  billable: boolean;

  /** One charge backs at most one record. */
  @ForeignKey(() => ChargeEntity)
  @Index('psych_consults_charge_key', { unique: true })
  @Column({ name: 'charge_id', type: 'uuid', nullable: true })
  chargeId: string | null;

  @Column({ name: 'idempotency_key', type: 'text' })
  idempotencyKey: string;

  @ForeignKey(() => UserEntity)
  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
